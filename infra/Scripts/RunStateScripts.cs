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
    public static RemoteStep State(string what, string key, RunState run, string start, string stop) => new(
        run.Stopped ? Stop(what, key, stop) : Start(what, key, start),
        run.Stopped ? Stop(what, key, stop) : Start(what, key, start),
        RemoteFiles.Script([("what", what), ("record", key)], "run-state-forget.sh"));

    /// <summary>
    /// Stops one server or service. The one place that renders a stop: a step that must come before the guide's
    /// <c>stop</c> (such as draining its calls) goes here, between the check and the guide queue.
    /// </summary>
    public static string Stop(string what, string key, string stop) => Change(what, key, RunState.StoppedWord, stop);

    /// <summary>Starts one server or service (the guides' <c>start</c> of a running one is taken as harmless).</summary>
    public static string Start(string what, string key, string start) => Change(what, key, RunState.RunningWord, start);

    private static string Change(string what, string key, string desired, string guideCommand) =>
        RemoteFiles.Script([("what", what), ("key", key + "-state"), ("record", key), ("desired", desired), ("guide_command", guideCommand)],
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

    /// <summary>A step that only says something (an upgrade that waits, a wait for ONLINE that is skipped).</summary>
    public static string Say(string message) => RemoteFiles.Script([("message", message)], "say.sh");
}
