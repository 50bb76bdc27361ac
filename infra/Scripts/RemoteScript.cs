namespace PortsipInfra;

/// <summary>
/// Wraps a guide command into the script that a Remote.Command runs on pbx01 (infra/Scripts/remote/guide-lock.sh
/// and run-guide.sh, followed by install.sh, remove.sh or upgrade.sh, with the values in a header). Every script:
/// <list type="bullet">
/// <item>waits for its turn in a fair queue on pbx01, with no time limit, so two guide scripts never run at once
/// (the guides say never to interrupt a running deployment; two at once would be worse);</item>
/// <item>runs the guide script detached from the SSH session, so a dropped connection does not kill it; the
/// step follows its log and exits with its code, and a re-run follows a script still running instead of
/// starting a second one;</item>
/// <item>is safe to run again: pbx01 records what was installed and at which version, in the SSH user's home,
/// so a create or update that Pulumi re-runs (after a dropped connection, or because only the SSH settings
/// changed) does not install or upgrade a second time.</item>
/// </list>
/// The guide's command line stays rendered here (<see cref="GuideCommands"/>, each value quoted) and reaches the
/// script as the header variable <c>guide_command</c>, which the script runs with <c>sh -c</c>: the preview shows
/// the guide's line letter for letter, and the script never splices it into its own text. A failed install is
/// undone by the guide's targeted remove (also rendered here) before the next try installs again.
/// </summary>
public static class RemoteScript
{
    /// <summary>Where the program keeps its own small state on pbx01.</summary>
    public const string StateFolder = "$HOME/.portsip-infra";

    /// <summary>
    /// Runs <paramref name="guideCommand"/> unless pbx01 records that it already succeeded for
    /// <paramref name="key"/> with the same <paramref name="identity"/> (the server's name or IP); records
    /// success afterwards, and the version installed when there is one. When the last install for this key failed,
    /// <paramref name="removeCommand"/> (the guide's remove for this one server or service) runs first.
    /// </summary>
    /// <remarks>
    /// With <paramref name="portalStatus"/> (<see cref="PortalCommands.Status"/>, the REST helper's connection on
    /// stdin), a server the Web Portal shows under this name at this IP and ONLINE is taken as installed: recorded,
    /// the guide command not run. <paramref name="adoptOnly"/> (the update of an install step: only the connection,
    /// the guide folder or the script changed) never runs the guide command. <paramref name="removeCommand"/> is run
    /// first when the last try of this install failed (run-guide.sh).
    /// </remarks>
    public static string Install(string what, string key, string identity, string guideCommand, string removeCommand,
        string? version = null, string portalStatus = "", bool adoptOnly = false) =>
        RemoteFiles.Script(
            [("what", what), ("key", key), ("identity", identity), ("guide_command", guideCommand), ("remove_command", removeCommand),
                ("version", version ?? ""), ("portal_status", portalStatus), ("adopt_only", adoptOnly ? "yes" : "")],
            "guide-lock.sh", "run-guide.sh", "site-facts.sh", "install.sh");

    /// <summary>
    /// Runs the guide's remove command for one server or service and forgets its records, unless pbx01 records
    /// another <paramref name="identity"/> installed under <paramref name="key"/> (another server at that address):
    /// then it removes nothing and says so.
    /// </summary>
    /// <remarks>
    /// <paramref name="drainCommand"/> (an extended server's, <see cref="DrainCommands"/>; empty: none) runs first, once
    /// the records show the address is this server's: a failed drain removes nothing.
    /// </remarks>
    public static string Remove(string what, string key, string identity, string guideCommand, string drainCommand = "") =>
        RemoteFiles.Script(
            drainCommand.Length == 0
                ? [("what", what), ("key", key), ("identity", identity), ("guide_command", guideCommand)]
                : [("what", what), ("key", key), ("identity", identity), ("guide_command", guideCommand), ("drain_command", drainCommand)],
            "guide-lock.sh", "run-guide.sh", "remove.sh");

    /// <summary>
    /// Checks, before anything is done for a server, that neither pbx01's records nor the Web Portal show another
    /// server or service at <paramref name="ip"/> (claim.sh, the portal's connection on stdin); <paramref name="key"/>
    /// and <paramref name="identity"/> are what <see cref="Install"/> records for it, <paramref name="previous"/> the
    /// identity it is renamed from (or null), <paramref name="portalKind"/> what the portal lists it as (the
    /// helper's kind, <c>im</c>, or null for a server the portal does not list).
    /// </summary>
    public static string Claim(string what, string ip, string key, string identity, string? previous, string? portalKind) =>
        RemoteFiles.Script([("what", what), ("ip", ip), ("key", key), ("identity", identity), ("previous", previous ?? ""),
            ("portal_kind", portalKind ?? "")], "claim.sh");

    /// <summary>
    /// Runs an upgrade command unless pbx01 records that <paramref name="key"/> is at <paramref name="version"/>
    /// already or, with a <paramref name="fact"/>, the site itself shows it runs that version (site-facts.sh reads
    /// <paramref name="varsFile"/>, the HA install's res/vars.yml): then it only records it.
    /// </summary>
    public static string Upgrade(string what, string key, string version, string guideCommand, SiteFact fact = SiteFact.None, string varsFile = "") =>
        RemoteFiles.Script([("what", what), ("key", key), ("version", version), ("guide_command", guideCommand),
                ("site_fact", fact switch { SiteFact.Pbx => "pbx", SiteFact.Role => "role", SiteFact.Recorded => "recorded", _ => "" }), ("vars_file", varsFile)],
            "guide-lock.sh", "run-guide.sh", "site-facts.sh", "upgrade.sh");

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

/// <summary>What on pbx01 tells that an upgrade is already done, when pbx01's record does not (site-facts.sh).</summary>
public enum SiteFact
{
    /// <summary>Only pbx01's record.</summary>
    None,
    /// <summary>The PBX HA cluster: the <c>pbx_image</c> of res/vars.yml.</summary>
    Pbx,
    /// <summary>An extended server role: with no record, the image the cluster ran before update.sh last ran, else its image now.</summary>
    Role,
    /// <summary>IM, SBC, Data Flow: no fact on pbx01 shows their version; with no record, taken as it is.</summary>
    Recorded,
}
