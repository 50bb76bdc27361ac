namespace PortsipInfra;

/// <summary>
/// The scripts of the run-state steps (<c>NAME-state</c>, <c>NAME-restart</c>) and of a step that waits for a
/// stopped server, as pbx01 runs them: infra/Scripts/remote/run-state*.sh and restart*.sh around the guide's
/// <c>start</c>, <c>stop</c> or <c>restart</c> of one server or service, in the guide queue like an install.
/// pbx01 records each server's state in <c>~/.portsip-infra/running/KEY</c> and its restart count in
/// <c>~/.portsip-infra/restarts/KEY</c> (KEY: as install.sh records it), so that a step decides from the desired
/// state and what pbx01 did last: a change of connection or guide folder starts, stops or restarts nothing.
/// </summary>
public static class RunStateScripts
{
    /// <summary>
    /// The state step: runs <paramref name="start"/> or <paramref name="stop"/> when pbx01 records the other state
    /// (no record: running); the same script on create and update.
    /// </summary>
    /// <param name="portal">for an extended server: the REST helper's drain (before a stop) and enable (after a start,
    /// and whenever it should run and does), with the Web Portal's connection on the step's stdin</param>
    public static RemoteStep State(string what, string key, RunState run, string start, string stop, PortalSwitch? portal = null)
    {
        var change = run.Stopped ? Stop(what, key, stop, portal) : Start(what, key, start, portal);
        return new(change, change, RemoteFiles.Script([("what", what), ("record", key)], "run-state-forget.sh"));
    }

    /// <summary>Stops one server or service; an extended server is drained first (<paramref name="portal"/>).</summary>
    public static string Stop(string what, string key, string stop, PortalSwitch? portal = null) => Change(what, key, RunState.StoppedWord, stop, portal);

    /// <summary>Starts one server or service (the guides' <c>start</c> of a running one is taken as harmless), then enables it in the portal.</summary>
    public static string Start(string what, string key, string start, PortalSwitch? portal = null) => Change(what, key, RunState.RunningWord, start, portal);

    private static string Change(string what, string key, string desired, string guideCommand, PortalSwitch? portal) =>
        RemoteFiles.Script([("what", what), ("key", key + "-state"), ("record", key), ("desired", desired), ("guide_command", guideCommand),
                ("drain_command", portal?.Drain ?? ""), ("enable_command", portal?.Enable ?? "")],
            "run-state-check.sh", "guide-lock.sh", "run-guide.sh", "run-state.sh");

    /// <summary>
    /// The restart step: runs <paramref name="restart"/> once when the count is raised above pbx01's record (not
    /// when pbx01 records the server stopped, it has no record yet, or the count went down); the same script on
    /// create and update. Only the count is in it, so a start or stop leaves this step alone.
    /// </summary>
    public static string Restart(string what, string key, RunState run, string restart) =>
        RemoteFiles.Script([("what", what), ("key", key + "-restart"), ("record", key),
                ("count", run.Restart.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("guide_command", restart)],
            "restart-check.sh", "guide-lock.sh", "run-guide.sh", "restart.sh");

    /// <summary>
    /// An upgrade step's update: <paramref name="update"/>, or, while any of <paramref name="stopped"/> is stopped, only a
    /// message that the upgrade of <paramref name="whose"/> waits (it runs in the run that starts them again).
    /// </summary>
    public static string UpgradeOrWait(string update, string whose, IReadOnlyList<string> stopped) =>
        stopped.Count > 0 ? Say(RunStateMessages.UpgradeWaits(whose, stopped)) : update;

    /// <summary>A step that only says something (an upgrade that waits, a wait for ONLINE that is skipped).</summary>
    public static string Say(string message) => RemoteFiles.Script([("message", message)], "say.sh");
}

/// <summary>An extended server's switch in the Web Portal: the REST helper's drain and enable lines (DrainCommands).</summary>
public sealed record PortalSwitch(string Drain, string Enable);
