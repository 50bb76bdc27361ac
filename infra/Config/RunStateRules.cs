namespace PortsipInfra;

/// <summary>
/// The rules of <c>state</c> (<c>running</c> or <c>stopped</c>, default running) and <c>restart</c> (a counter, 0
/// or more: raise it by one to restart once) on each extended server, SBC server, the IM and the Data Flow service.
/// </summary>
public static class RunStateRules
{
    public const string RestartRange = "a count of restarts, 0 or more (raise it by one to restart once)";

    /// <summary>
    /// The run state of the entry at <paramref name="key"/> (such as <c>mediaServers[1]</c>); each bad value is
    /// reported through <paramref name="error"/> with its key path, and replaced by the default.
    /// </summary>
    public static RunState Check(string key, string? state, int? restart, Action<string, string> error)
    {
        var stopped = false;
        switch (state)
        {
            case null or RunState.RunningWord:
                break;
            case RunState.StoppedWord:
                stopped = true;
                break;
            default:
                error(key + ".state", $"{Show.Text(state)} is not a run state; give {RunState.RunningWord} or {RunState.StoppedWord}");
                break;
        }
        if (restart is < 0)
        {
            error(key + ".restart", $"{restart} is not {RestartRange}");
        }
        return new RunState(stopped, Math.Max(restart ?? 0, 0));
    }
}
