namespace PortsipInfra;

/// <summary>
/// Whether a server or service should run (<c>state: running | stopped</c>), and how many restarts the operator
/// has asked for so far (<c>restart</c>, a counter: raising it runs the guide's <c>restart</c> once).
/// </summary>
public sealed record RunState(bool Stopped = false, int Restart = 0)
{
    public static readonly RunState Running = new();

    public const string RunningWord = "running";
    public const string StoppedWord = "stopped";

    /// <summary>The config's word for it: <c>running</c> or <c>stopped</c>.</summary>
    public string Word => Stopped ? StoppedWord : RunningWord;
}

/// <summary>What the guides' scripts do to a running server: <c>start</c>, <c>stop</c>, <c>restart</c>.</summary>
public enum RunAction
{
    Start,
    Stop,
    Restart,
}

public static class RunActions
{
    public static string Word(this RunAction action) => action switch
    {
        RunAction.Start => "start",
        RunAction.Stop => "stop",
        _ => "restart",
    };
}
