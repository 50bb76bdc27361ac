using System.Collections.Immutable;

namespace PortsipInfra.Tests.Engine;

/// <summary>The planner on small made-up graphs, one engine rule per test (see <see cref="StepPlanner"/>).</summary>
public sealed class StepPlannerTests
{
    private const string Command = "command:remote:Command";

    /// <summary>A Remote.Command named <paramref name="name"/> whose create script is <paramref name="create"/>.</summary>
    private static ResourceRecord R(string name, string create = "x", string trigger = "t", string[]? dependsOn = null,
        Dictionary<string, string[]>? inputDeps = null, bool dbr = false, bool protect = false, string type = Command)
    {
        var inputs = ImmutableDictionary<string, object>.Empty
            .Add("create", create)
            .Add("triggers", ImmutableArray.Create<object>(trigger));
        return new ResourceRecord($"urn:{name}", type, name, null, true, inputs,
            [.. (dependsOn ?? []).Select(d => $"urn:{d}")],
            (inputDeps ?? []).ToImmutableDictionary(kv => kv.Key, kv => kv.Value.Select(d => $"urn:{d}").ToImmutableArray()),
            dbr, dbr ? ["triggers"] : [], protect);
    }

    private static string[] Plan(IReadOnlyList<ResourceRecord> state, IReadOnlyList<ResourceRecord> program) =>
        StepPlanner.Plan(state, program).Select(s => s.ToString()).ToArray();

    [Fact]
    public void New_resources_are_created_in_dependency_order_whatever_the_registration_order()
    {
        var program = new[] { R("c", dependsOn: ["b"]), R("b", inputDeps: new() { ["stdin"] = ["a"] }), R("a") };

        Assert.Equal(["create a", "create b", "create c"], Plan([], program));
    }

    [Fact]
    public void Among_ready_steps_registration_order_wins()
    {
        Assert.Equal(["create z", "create y", "create x"], Plan([], [R("z"), R("y"), R("x")]));
    }

    [Fact]
    public void Same_inputs_are_same_and_changed_inputs_an_update()
    {
        var state = new[] { R("a"), R("b") };

        Assert.Equal(["same a", "update b"], Plan(state, [R("a"), R("b", create: "changed")]));
    }

    [Fact]
    public void A_replacement_creates_first_and_deletes_the_old_one_after_every_other_step()
    {
        var state = new[] { R("a"), R("b"), R("c", dependsOn: ["a"]) };
        var program = new[] { R("a", trigger: "new"), R("b", create: "y"), R("c", dependsOn: ["a"]) };

        Assert.Equal(["create-replacement a", "update b", "same c", "delete-replaced a"], Plan(state, program));
    }

    [Fact]
    public void Delete_before_replace_deletes_first_and_leaves_a_DependsOn_only_dependent_to_its_own_registration()
    {
        var state = new[] { R("a", dbr: true), R("b", dependsOn: ["a"]) };
        var program = new[] { R("a", trigger: "new", dbr: true), R("b", dependsOn: ["a"]) };

        Assert.Equal(["delete-replaced a", "create-replacement a", "same b"], Plan(state, program));
    }

    [Fact]
    public void Delete_before_replace_first_deletes_dependents_whose_replace_input_comes_from_it()
    {
        // c's triggers take a's output (replace when unknown); b's stdin does (an update, not deleted early);
        // d hangs off c's triggers, so it goes too, before c.
        var state = new[]
        {
            R("a", dbr: true),
            R("b", inputDeps: new() { ["stdin"] = ["a"] }),
            R("c", inputDeps: new() { ["triggers"] = ["a"] }),
            R("d", inputDeps: new() { ["triggers"] = ["c"] }),
        };
        var program = new[]
        {
            R("a", trigger: "new", dbr: true),
            R("b", inputDeps: new() { ["stdin"] = ["a"] }),
            R("c", inputDeps: new() { ["triggers"] = ["a"] }),
            R("d", inputDeps: new() { ["triggers"] = ["c"] }),
        };

        Assert.Equal(
        [
            "delete-replaced d", "delete-replaced c", "delete-replaced a", "create-replacement a",
            "same b", "create c", "create d",
        ], Plan(state, program));
    }

    [Fact]
    public void Removed_resources_are_deleted_last_in_reverse_dependency_order()
    {
        var state = new[] { R("a"), R("b", dependsOn: ["a"]), R("c", inputDeps: new() { ["stdin"] = ["b"] }), R("keep") };

        Assert.Equal(["same keep", "delete c", "delete b", "delete a"], Plan(state, [R("keep")]));
    }

    [Fact]
    public void A_rename_is_a_new_resource_created_before_the_old_one_is_deleted()
    {
        var state = new[] { R("old-install", create: "install at 1") };

        Assert.Equal(["create new-install", "delete old-install"], Plan(state, [R("new-install", create: "install at 1")]));
    }

    [Fact]
    public void A_protected_resource_refuses_replacement_and_deletion()
    {
        var state = new[] { R("p", protect: true, dbr: true), R("q", protect: true) };
        var steps = StepPlanner.Plan(state, [R("p", trigger: "new", dbr: true, protect: true)]);

        Assert.Contains("unable to replace resource \"urn:p\"", steps[0].Refusal);
        Assert.Contains("cannot be deleted", steps.Single(s => s.Name == "q").Refusal);
    }

    [Fact]
    public void A_changed_trigger_replaces_a_command_even_without_ReplaceOnChanges_but_not_a_component()
    {
        var component = R("comp", trigger: "1") with { Custom = false, Type = "portsip:cluster:MediaServer" };

        Assert.Equal(["create-replacement a", "same comp", "delete-replaced a"],
            Plan([R("a"), component], [R("a", trigger: "new"), component]));
        Assert.Equal(["update comp"], Plan([component], [component with { Inputs = component.Inputs.SetItem("triggers", "2") }]));
    }

    [Fact]
    public void A_cycle_is_reported()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Plan([], [R("a", dependsOn: ["b"]), R("b", dependsOn: ["a"])]));

        Assert.Contains("cycle", e.Message);
    }
}
