using System.Collections.Immutable;

namespace PortsipInfra.Tests.Engine;

/// <summary>What the engine does with one resource in a `pulumi up`.</summary>
public enum StepKind
{
    /// <summary>Inputs unchanged: nothing runs.</summary>
    Same,
    /// <summary>Not in the state: the provider's create.</summary>
    Create,
    /// <summary>Inputs changed, no replacement: the provider's update (Remote.Command: <c>update</c>, or <c>create</c> when unset).</summary>
    Update,
    /// <summary>The new resource of a replacement.</summary>
    CreateReplacement,
    /// <summary>The old resource of a replacement: first with DeleteBeforeReplace, at the very end otherwise.</summary>
    DeleteReplaced,
    /// <summary>No longer in the program: deleted after everything else.</summary>
    Delete,
}

/// <summary>
/// One step. <see cref="Old"/> is the state's record (what a delete runs), <see cref="New"/> the registration
/// (what a create or update runs). <see cref="Refusal"/> set: the engine refuses the step (a protected resource)
/// and the run stops there.
/// </summary>
public sealed record Step(StepKind Kind, ResourceRecord? Old, ResourceRecord? New, string Why, string? Refusal = null)
{
    public ResourceRecord Resource => New ?? Old!;

    public string Name => Resource.Name;

    public override string ToString() => $"{Kind switch
    {
        StepKind.Same => "same",
        StepKind.Create => "create",
        StepKind.Update => "update",
        StepKind.CreateReplacement => "create-replacement",
        StepKind.DeleteReplaced => "delete-replaced",
        _ => "delete",
    }} {Name}";
}

/// <summary>
/// Plans a `pulumi up` from the state (the records of the last successful run) and the program's new
/// registrations, as the Pulumi engine does, one step at a time: the engine runs independent steps in
/// parallel, this planner runs them sequentially, in one valid topological order (registration order among
/// the steps that are ready), which is one of the orders the engine may take.
/// <para>
/// The engine's rules (see /work/shared/reference/pulumi-engine/step-order.md; pulumi/pulumi v3.259.0,
/// pulumi-dotnet v3.112.1, pulumi-command v1.2.1):
/// </para>
/// <list type="number">
/// <item>Registrations arrive after their dependencies' and their parent's URNs are known
/// (pulumi-dotnet <c>Deployment_Prepare.cs</c>): steps for the new program go in dependency order.</item>
/// <item>Per registration (<c>pkg/resource/deploy/step_generator.go</c>, <c>GenerateSteps</c>): not in the state:
/// create; same inputs: same; inputs differ: update, unless a replacement is required: by the provider's own
/// replace keys (Remote.Command and CopyToRemote: <c>triggers</c>; Tls/Random keys are all replace-on-change) or by the
/// resource's <c>ReplaceOnChanges</c>.</item>
/// <item>A replacement creates the new resource at once and deletes the old one at the end of the run; with
/// <c>DeleteBeforeReplace</c> it deletes the old one first, and before that the dependents that would be replaced
/// themselves (<c>step_generator.go</c>, <c>calculateDependentReplacements</c>: transitive dependents in the old
/// state, <c>pkg/resource/graph/dependency_graph.go</c> <c>DependingOn</c>, kept only when one of their inputs has a
/// property dependency on a resource being replaced and the provider's diff, with that input unknown, says
/// replace; deleted in reverse dependency order). A dependent through <c>DependsOn</c> only is not deleted early;
/// its own registration decides. A dependent deleted early is created again at its registration.</item>
/// <item>Resources no longer in the program, and the old halves of create-before-delete replacements, are deleted
/// after every other step, in reverse dependency order of the state (<c>deployment_executor.go</c>;
/// <c>step_generator.go</c> <c>GenerateDeletes</c>/<c>ScheduleDeletes</c>).</item>
/// <item>A protected resource (the state's <c>Protect</c>) cannot be replaced or deleted: that step fails
/// (<c>step_generator.go</c>).</item>
/// </list>
/// </summary>
public static class StepPlanner
{
    /// <param name="pendingDeletes">old halves of replacements that a failed run left undeleted: deleted with the removed resources.</param>
    public static IReadOnlyList<Step> Plan(IReadOnlyList<ResourceRecord> state, IReadOnlyList<ResourceRecord> program,
        IReadOnlyList<ResourceRecord>? pendingDeletes = null)
    {
        var old = state.ToDictionary(r => r.Urn);
        var steps = new List<Step>();
        var deletedEarly = new HashSet<string>();
        var deleteAtEnd = new List<ResourceRecord>();

        foreach (var goal in InDependencyOrder(program))
        {
            if (!old.TryGetValue(goal.Urn, out var current) || deletedEarly.Contains(goal.Urn))
            {
                steps.Add(new Step(StepKind.Create, null, goal, current is null ? "not in the state" : "deleted before a replacement it depends on"));
                continue;
            }
            var changed = ChangedInputs(current, goal);
            if (changed.Count == 0)
            {
                steps.Add(new Step(StepKind.Same, current, goal, "inputs unchanged"));
                continue;
            }
            var replaceKeys = changed.Where(k => ReplacesOnChange(goal, k)).ToList();
            if (replaceKeys.Count == 0)
            {
                steps.Add(new Step(StepKind.Update, current, goal, $"changed: {string.Join(", ", changed)}"));
                continue;
            }
            var why = $"replace: {string.Join(", ", replaceKeys)} changed";
            if (current.Protect)
            {
                steps.Add(new Step(StepKind.DeleteReplaced, current, goal, why, ProtectedReplace(current)));
                continue;
            }
            if (!goal.DeleteBeforeReplace)
            {
                steps.Add(new Step(StepKind.CreateReplacement, current, goal, why + " (create first, delete at the end)"));
                deleteAtEnd.Add(current);
                continue;
            }
            foreach (var dependent in DependentReplacements(current, state).Reverse().Where(d => deletedEarly.Add(d.Urn)))
            {
                steps.Add(dependent.Protect
                    ? new Step(StepKind.DeleteReplaced, dependent, null, $"its input depends on {current.Name}, replaced", ProtectedReplace(dependent))
                    : new Step(StepKind.DeleteReplaced, dependent, null, $"its input depends on {current.Name}, replaced"));
            }
            steps.Add(new Step(StepKind.DeleteReplaced, current, null, why + " (delete first)"));
            steps.Add(new Step(StepKind.CreateReplacement, current, goal, why + " (delete first)"));
        }

        var inProgram = program.Select(r => r.Urn).ToHashSet();
        var removed = state.Where(r => !inProgram.Contains(r.Urn) && !deletedEarly.Contains(r.Urn)).Concat(deleteAtEnd).ToList();
        removed.AddRange((pendingDeletes ?? []).Where(p => removed.All(r => r.Urn != p.Urn)));
        foreach (var gone in InDependencyOrder(removed).Reverse())
        {
            var kind = inProgram.Contains(gone.Urn) ? StepKind.DeleteReplaced : StepKind.Delete;
            var why = kind == StepKind.Delete ? "no longer in the program" : "replaced (create first, delete at the end)";
            steps.Add(new Step(kind, gone, null, why, gone.Protect ? ProtectedDelete(gone) : null));
        }
        return steps;
    }

    /// <summary>The input keys whose values differ between the state and the registration.</summary>
    public static IReadOnlyList<string> ChangedInputs(ResourceRecord old, ResourceRecord goal) =>
        old.Inputs.Keys.Union(goal.Inputs.Keys).Order(StringComparer.Ordinal)
            .Where(k => old.InputText(k) != goal.InputText(k)).ToList();

    /// <summary>Whether a change of <paramref name="key"/> replaces the resource (provider or ReplaceOnChanges).</summary>
    public static bool ReplacesOnChange(ResourceRecord resource, string key) =>
        resource.Custom && (ProviderReplaces(resource.Type, key) || resource.ReplaceKeys.Any(p => Root(p) == key || p == "*"));

    // The providers' own replace-on-change inputs: pulumi-command v1.2.1 `triggers` (Command, CopyToRemote);
    // every input of Tls PrivateKey and of the Random resources is ForceNew.
    private static bool ProviderReplaces(string type, string key) => type switch
    {
        "command:remote:Command" or "command:remote:CopyToRemote" or "command:local:Command" => key == "triggers",
        _ when type.StartsWith("tls:", StringComparison.Ordinal) || type.StartsWith("random:", StringComparison.Ordinal) => true,
        _ => false,
    };

    // "triggers[*]" and "triggers" both name the input triggers.
    private static string Root(string path) => path.Split('[', '.')[0];

    /// <summary>
    /// <c>calculateDependentReplacements</c>: the transitive dependents of <paramref name="root"/> in the state,
    /// in dependency order, that the provider would replace once the inputs fed by a replaced resource are
    /// unknown (only the provider's own replace keys count there, not ReplaceOnChanges).
    /// </summary>
    public static IReadOnlyList<ResourceRecord> DependentReplacements(ResourceRecord root, IReadOnlyList<ResourceRecord> state)
    {
        var replaceSet = new HashSet<string> { root.Urn };
        var result = new List<ResourceRecord>();
        foreach (var dependent in DependingOn(root, state))
        {
            if (!dependent.Custom)
            {
                continue;
            }
            var unknown = dependent.PropertyDependencies
                .Where(p => p.Value.Any(replaceSet.Contains)).Select(p => p.Key).ToList();
            if (unknown.Any(key => ProviderReplaces(dependent.Type, key)))
            {
                result.Add(dependent);
                replaceSet.Add(dependent.Urn);
            }
        }
        return result;
    }

    /// <summary><c>DependencyGraph.DependingOn</c>: every resource that directly or indirectly depends on <paramref name="root"/>, in dependency order.</summary>
    public static IReadOnlyList<ResourceRecord> DependingOn(ResourceRecord root, IReadOnlyList<ResourceRecord> state)
    {
        var dependents = new HashSet<string> { root.Urn };
        foreach (var r in InDependencyOrder(state))
        {
            if (r.Dependencies.Any(dependents.Contains))
            {
                dependents.Add(r.Urn);
            }
        }
        dependents.Remove(root.Urn);
        return InDependencyOrder(state).Where(r => dependents.Contains(r.Urn)).ToList();
    }

    /// <summary>
    /// A topological order of <paramref name="records"/> by their dependencies and parents (those among them),
    /// the earliest registration first among the ready ones.
    /// </summary>
    public static IReadOnlyList<ResourceRecord> InDependencyOrder(IReadOnlyList<ResourceRecord> records)
    {
        var index = records.Select((r, i) => (r.Urn, i)).ToDictionary(x => x.Urn, x => x.i);
        var before = records.Select(r => r.Dependencies.Append(r.Parent ?? "").Where(index.ContainsKey).Where(u => u != r.Urn).ToHashSet()).ToList();
        var done = new HashSet<string>();
        var order = new List<ResourceRecord>();
        var ready = new SortedSet<int>(Enumerable.Range(0, records.Count).Where(i => before[i].Count == 0));
        var waiting = Enumerable.Range(0, records.Count).Where(i => before[i].Count > 0).ToHashSet();
        while (ready.Count > 0)
        {
            var next = ready.Min;
            ready.Remove(next);
            order.Add(records[next]);
            done.Add(records[next].Urn);
            foreach (var i in waiting.Where(i => before[i].IsSubsetOf(done)).ToList())
            {
                waiting.Remove(i);
                ready.Add(i);
            }
        }
        if (waiting.Count > 0)
        {
            throw new InvalidOperationException($"dependency cycle among {string.Join(", ", waiting.Select(i => records[i].Name))}");
        }
        return order;
    }

    // Wording of the engine's refusals (step_generator.go).
    private static string ProtectedReplace(ResourceRecord r) =>
        $"unable to replace resource \"{r.Urn}\"\nas it is currently marked for protection. To unprotect the resource, remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`";

    private static string ProtectedDelete(ResourceRecord r) =>
        $"resource \"{r.Urn}\" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`, or use the command:\n`pulumi state unprotect '{r.Urn}'`";
}
