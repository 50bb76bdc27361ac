using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Scripts;

/// <summary>
/// The run-state and restart steps' scripts (run-state-check.sh, run-state.sh, restart-check.sh, restart.sh after
/// guide-lock.sh and run-guide.sh) run directly with sh and bash in a scratch home, the guide's command replaced by
/// a line that records its calls: they decide from the desired state and pbx01's records only.
/// </summary>
public class RunStateScriptTests
{
    public static TheoryData<string> Shells => ["/bin/sh", "/bin/bash"];

    private const string What = "Queue Server q1 (10.0.0.22)";
    private const string Key = "queue-server-only@10.0.0.22";

    private static string Guide(string words) => $"printf '%s\\n' {Shell.Quote(words)} >> \"$HOME/calls\"";

    private static string[] Calls(ScratchHome home) =>
        File.Exists(home.File("calls")) ? File.ReadAllLines(home.File("calls")) : [];

    private static string State(bool stopped) =>
        RunStateScripts.State(What, Key, new RunState(stopped), Guide("start"), Guide("stop")).Create;

    private static string Restart(int count) => RunStateScripts.Restart(What, Key, new RunState(false, count), Guide("restart"));

    [Theory]
    [MemberData(nameof(Shells))]
    public void A_state_change_runs_its_one_guide_command_once_and_a_server_with_no_record_runs(string shell)
    {
        using var home = new ScratchHome();
        var running = home.Run(State(stopped: false), null, shell);
        Assert.True(running.ExitCode == 0, running.ToString());
        Assert.Equal($"{What} is running; nothing to do\n", running.Stdout);
        Assert.Empty(Calls(home));

        Assert.Equal(0, home.Run(State(stopped: true), null, shell).ExitCode);
        Assert.Equal(0, home.Run(State(stopped: true), null, shell).ExitCode);
        Assert.Equal(["stop"], Calls(home));
        Assert.Equal("stopped\n", home.Read($".portsip-infra/running/{Key}"));

        Assert.Equal(0, home.Run(State(stopped: false), null, shell).ExitCode);
        Assert.Equal(["stop", "start"], Calls(home));

        var forget = home.Run(RunStateScripts.State(What, Key, RunState.Running, Guide("start"), Guide("stop")).Delete!, null, shell);
        Assert.Equal(0, forget.ExitCode);
        Assert.False(File.Exists(home.File($".portsip-infra/running/{Key}")));
        Assert.Equal(["stop", "start"], Calls(home));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void A_restart_runs_once_per_raise_and_never_for_a_new_record_a_lower_count_or_a_stopped_server(string shell)
    {
        using var home = new ScratchHome();
        Assert.Equal(0, home.Run(Restart(2), null, shell).ExitCode);   // entering the stack: recorded only
        Assert.Equal(0, home.Run(Restart(2), null, shell).ExitCode);
        Assert.Empty(Calls(home));
        Assert.Equal(0, home.Run(Restart(3), null, shell).ExitCode);
        Assert.Equal(0, home.Run(Restart(3), null, shell).ExitCode);
        Assert.Equal(["restart"], Calls(home));
        Assert.Equal(0, home.Run(Restart(1), null, shell).ExitCode);   // lowered: nothing
        Assert.Equal(["restart"], Calls(home));

        Assert.Equal(0, home.Run(State(stopped: true), null, shell).ExitCode);
        var stopped = home.Run(Restart(5), null, shell);
        Assert.Contains("is stopped: not restarted", stopped.Stdout);
        Assert.Equal(["restart", "stop"], Calls(home));
        Assert.Equal("5\n", home.Read($".portsip-infra/restarts/{Key}"));
    }
}
