namespace PortsipInfra;

/// <summary>
/// Wraps a guide command into the script that a Remote.Command runs on pbx01 (infra/Scripts/remote/guide-lock.sh
/// followed by install.sh, remove.sh or upgrade.sh, with the values in a header). Every script:
/// <list type="bullet">
/// <item>holds a lock on pbx01, so two guide scripts never run at once (the guides say never to interrupt a
/// running deployment; two at once would be worse);</item>
/// <item>is safe to run again: pbx01 records what was installed and at which version, in the SSH user's home,
/// so a create or update that Pulumi re-runs (after a dropped connection, or because only the SSH settings
/// changed) does not install or upgrade a second time.</item>
/// </list>
/// The guide's command line stays rendered here (<see cref="GuideCommands"/>, each value quoted) and reaches the
/// script as the header variable <c>guide_command</c>, which the script runs with <c>sh -c</c>: the preview shows
/// the guide's line letter for letter, and the script never splices it into its own text.
/// </summary>
public static class RemoteScript
{
    /// <summary>Where the program keeps its own small state on pbx01.</summary>
    public const string StateFolder = "$HOME/.portsip-infra";

    /// <summary>How long a script waits for another one on pbx01 before it gives up (guide scripts take minutes, not hours).</summary>
    public const int LockWaitSeconds = 7200;

    private static (string, string) Lock => ("lock_wait_seconds", LockWaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Runs <paramref name="guideCommand"/> unless pbx01 records that it already succeeded for
    /// <paramref name="key"/> with the same <paramref name="identity"/> (the server's name or IP); records
    /// success afterwards, and the version installed when there is one.
    /// </summary>
    public static string Install(string what, string key, string identity, string guideCommand, string? version = null) =>
        RemoteFiles.Script(
            [Lock, ("what", what), ("key", key), ("identity", identity), ("guide_command", guideCommand), ("version", version ?? "")],
            "guide-lock.sh", "install.sh");

    /// <summary>
    /// Runs the guide's remove command for one server or service and forgets its records, unless pbx01 records
    /// another <paramref name="identity"/> installed under <paramref name="key"/> (another server at that address):
    /// then it removes nothing and says so.
    /// </summary>
    public static string Remove(string what, string key, string identity, string guideCommand) =>
        RemoteFiles.Script([Lock, ("what", what), ("key", key), ("identity", identity), ("guide_command", guideCommand)], "guide-lock.sh", "remove.sh");

    /// <summary>
    /// Checks, before anything is done for a server, that pbx01's records show no other server or service
    /// installed at <paramref name="ip"/> (claim.sh); <paramref name="key"/> and <paramref name="identity"/> are what
    /// <see cref="Install"/> records for it, <paramref name="previous"/> the identity it is renamed from (or null).
    /// </summary>
    public static string Claim(string what, string ip, string key, string identity, string? previous) =>
        RemoteFiles.Script([("what", what), ("ip", ip), ("key", key), ("identity", identity), ("previous", previous ?? "")], "claim.sh");

    /// <summary>Runs an upgrade command unless pbx01 records that <paramref name="key"/> is at <paramref name="version"/> already.</summary>
    public static string Upgrade(string what, string key, string version, string guideCommand) =>
        RemoteFiles.Script([Lock, ("what", what), ("key", key), ("version", version), ("guide_command", guideCommand)],
            "guide-lock.sh", "upgrade.sh");

    /// <summary>
    /// Records that <paramref name="key"/> runs <paramref name="version"/> and does nothing else: what is already
    /// there when it enters the stack is taken as it is.
    /// </summary>
    public static string RecordVersion(string what, string key, string version) =>
        RemoteFiles.Script([("what", what), ("key", key), ("version", version)], "record-version.sh");

    /// <summary>As <see cref="RecordVersion"/>, after checking that the PBX HA install is there (its <paramref name="varsFile"/>).</summary>
    public static string CheckPbxAndRecordVersion(string varsFile, string what, string key, string version) =>
        RemoteFiles.Script([("vars_file", varsFile), ("what", what), ("key", key), ("version", version)], "pbx-check.sh", "record-version.sh");

    /// <summary>Makes <see cref="StateFolder"/>, where the REST API helper is uploaded.</summary>
    public static string HelperFolder() => RemoteFiles.Script([], "helper-folder.sh");
}
