using System.Collections.Immutable;
using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Engine;

/// <summary>The executor's provider rules, with a pbx01 that only records what it is asked to run.</summary>
public sealed class StepExecutorTests
{
    private const string Pbx01 = "10.0.0.1";

    private readonly List<string> ran = [];
    private readonly HashSet<string> failing = [];

    private StepExecutor Executor() => new(new StepExecutor.Pbx01Shell(Pbx01, (command, stdin) =>
    {
        ran.Add(stdin is null ? command : $"{command} <<< {stdin}");
        return failing.Contains(command) ? new SshResult(1, "", $"{command} failed\n") : new SshResult(0, "ok\n", "");
    }));

    private static ResourceRecord Cmd(string name, string? create = null, string? update = null, string? delete = null, string? stdin = null, string trigger = "t")
    {
        var inputs = ImmutableDictionary<string, object>.Empty
            .Add("connection", ImmutableDictionary<string, object>.Empty.Add("host", Pbx01).Add("user", SimulatedHosts.User))
            .Add("triggers", ImmutableArray.Create<object>(trigger));
        foreach (var (key, value) in new[] { ("create", create), ("update", update), ("delete", delete), ("stdin", stdin) })
        {
            if (value is not null)
            {
                inputs = inputs.Add(key, value);
            }
        }
        return new ResourceRecord($"urn:{name}", "command:remote:Command", name, null, true, inputs, [], ImmutableDictionary<string, ImmutableArray<string>>.Empty);
    }

    private UpResult Up(EngineState state, params ResourceRecord[] program) =>
        Executor().Run(StepPlanner.Plan(state.Resources, program, state.PendingDeletes.ToList()), state);

    [Fact]
    public void Create_update_and_delete_run_their_scripts_with_stdin_and_an_update_without_update_runs_create()
    {
        var state = new EngineState();
        Up(state, Cmd("a", create: "make a", update: "upgrade a", delete: "remove a", stdin: "secret"), Cmd("b", create: "make b"));
        Up(state, Cmd("a", create: "make a2", update: "upgrade a2", delete: "remove a", stdin: "secret"), Cmd("b", create: "make b2"));
        Up(state);

        Assert.Equal(["make a <<< secret", "make b", "upgrade a2 <<< secret", "make b2", "remove a <<< secret"], ran);
        Assert.Empty(state.Resources);
    }

    [Fact]
    public void A_delete_runs_the_script_of_the_state_not_of_the_program()
    {
        var state = new EngineState();
        Up(state, Cmd("a", create: "make", delete: "remove old way", trigger: "1"));
        Up(state, Cmd("a", create: "make", delete: "remove new way", trigger: "2"));

        Assert.Equal(["make", "make", "remove old way"], ran);
    }

    [Fact]
    public void The_first_failing_step_stops_the_run_and_the_state_keeps_what_succeeded()
    {
        var state = new EngineState();
        failing.Add("make b");
        var up = Up(state, Cmd("a", create: "make a"), Cmd("b", create: "make b"), Cmd("c", create: "make c"));

        Assert.Equal("create b", up.Failed?.Step.ToString());
        Assert.Equal("create b: exit 1: make b failed", up.FailureMessage);
        Assert.Equal(["make a", "make b"], ran);
        Assert.Equal(["a"], state.Resources.Select(r => r.Name));

        // The next run retries the failed create and goes on.
        failing.Clear();
        Assert.Null(Up(state, Cmd("a", create: "make a"), Cmd("b", create: "make b"), Cmd("c", create: "make c")).Failed);
        Assert.Equal(["make a", "make b", "make b", "make c"], ran);
    }

    [Fact]
    public void An_old_half_left_by_a_failed_run_is_deleted_by_the_next()
    {
        var state = new EngineState();
        Up(state, Cmd("a", create: "make 1", delete: "remove 1", trigger: "1"), Cmd("b", create: "make b"));
        failing.Add("make b2");
        Up(state, Cmd("a", create: "make 2", delete: "remove 2", trigger: "2"), Cmd("b", create: "make b2"));
        failing.Clear();
        Up(state, Cmd("a", create: "make 2", delete: "remove 2", trigger: "2"), Cmd("b", create: "make b2"));

        Assert.Equal(["make 1", "make b", "make 2", "make b2", "make b2", "remove 1"], ran);
        Assert.Empty(state.PendingDeletes);
    }

    [Fact]
    public void A_command_for_another_host_is_refused()
    {
        var other = Cmd("a", create: "x") with { Inputs = Cmd("a", create: "x").Inputs.SetItem("connection", ImmutableDictionary<string, object>.Empty.Add("host", "10.9.9.9").Add("user", "pbx")) };

        var e = Assert.Throws<InvalidOperationException>(() => Up(new EngineState(), other));

        Assert.Contains("connects to pbx@10.9.9.9", e.Message);
    }
}
