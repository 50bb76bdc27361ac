namespace PortsipInfra;

/// <summary>
/// Wraps a guide command into the script that a Remote.Command runs on pbx01. Every script:
/// <list type="bullet">
/// <item>holds a lock on pbx01, so two guide scripts never run at once (the guides say never to interrupt a
/// running deployment; two at once would be worse);</item>
/// <item>is safe to run again: pbx01 records what was installed and at which version, in the SSH user's home,
/// so a create or update that Pulumi re-runs (after a dropped connection, or because only the SSH settings
/// changed) does not install or upgrade a second time.</item>
/// </list>
/// </summary>
public static class RemoteScript
{
    /// <summary>Where the program keeps its own small state on pbx01.</summary>
    public const string StateFolder = "$HOME/.portsip-infra";

    private static string Installed(string key) => $"{StateFolder}/installed/{key}";

    private static string Version(string key) => $"{StateFolder}/versions/{key}";

    private static string Prologue() =>
        $"""
        set -eu
        mkdir -p "{StateFolder}/installed" "{StateFolder}/versions"
        exec 9>"{StateFolder}/guide.lock"
        if ! flock -w {LockWaitSeconds} 9; then
          echo "another guide script has held the lock on pbx01 ({StateFolder}/guide.lock) for {LockWaitSeconds / 60} minutes; is one stuck?" >&2
          exit 1
        fi
        """;

    /// <summary>How long a script waits for another one on pbx01 before it gives up (guide scripts take minutes, not hours).</summary>
    public const int LockWaitSeconds = 7200;

    private static string Record(string file, string value) => $"printf '%s\\n' {Shell.Quote(value)} > \"{file}\"";

    private static string Recorded(string file) => $"\"$(cat \"{file}\" 2>/dev/null || true)\"";

    /// <summary>
    /// Runs <paramref name="guideCommand"/> unless pbx01 records that it already succeeded for
    /// <paramref name="key"/> with the same <paramref name="identity"/> (the server's name or IP); records
    /// success afterwards, and the version installed when there is one.
    /// </summary>
    public static string Install(string what, string key, string identity, string guideCommand,
        string? version = null, string? beforeGuide = null) =>
        $"""
        {Prologue()}
        if [ {Recorded(Installed(key))} = {Shell.Quote(identity)} ]; then
          echo {Shell.Quote(what + " is already installed; nothing to do")}
          exit 0
        fi
        {beforeGuide}{guideCommand}
        {Record(Installed(key), identity)}
        {(version is null ? "" : Record(Version(key), version))}
        echo {Shell.Quote(what + " is installed")}
        """;

    /// <summary>Runs the guide's remove command for one server or service and forgets its records.</summary>
    public static string Remove(string what, string key, string guideCommand) =>
        $"""
        {Prologue()}
        {guideCommand}
        rm -f "{Installed(key)}" "{Version(key)}"
        echo {Shell.Quote(what + " is removed")}
        """;

    /// <summary>Runs an upgrade command unless pbx01 records that <paramref name="key"/> is at <paramref name="version"/> already.</summary>
    public static string Upgrade(string what, string key, string version, string guideCommand, string? beforeGuide = null) =>
        $"""
        {Prologue()}
        if [ {Recorded(Version(key))} = {Shell.Quote(version)} ]; then
          echo {Shell.Quote($"{what} is at {version} already; nothing to do")}
          exit 0
        fi
        echo {Shell.Quote($"Upgrading {what} to {version}")}
        {beforeGuide}{guideCommand}
        {Record(Version(key), version)}
        """;

    /// <summary>
    /// Records that <paramref name="key"/> runs <paramref name="version"/> (after an optional check) and does
    /// nothing else: what is already there when it enters the stack is taken as it is.
    /// </summary>
    public static string RecordVersion(string what, string key, string version, string? check = null) =>
        $"""
        set -eu
        {check}mkdir -p "{StateFolder}/versions"
        {Record(Version(key), version)}
        echo {Shell.Quote($"{what} runs {version}")}
        """;
}
