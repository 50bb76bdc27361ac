using System.Collections.Immutable;
using PortsipInfra.Components;
using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Engine;

/// <summary>The stack's state between two runs: the records of every resource that exists, as the engine keeps them.</summary>
public sealed class EngineState
{
    private readonly List<ResourceRecord> resources = [];

    public IReadOnlyList<ResourceRecord> Resources => resources;

    /// <summary>Old halves of create-before-delete replacements whose delete has not run yet (the engine deletes them next time).</summary>
    public List<ResourceRecord> PendingDeletes { get; } = [];

    public ResourceRecord? Find(string urn) => resources.FirstOrDefault(r => r.Urn == urn);

    /// <summary>
    /// The engine's aliases (<c>step_generator.go</c>, <c>GenerateSteps</c>: a registration not in the state is looked up
    /// under its alias URNs; the old resource is then the same one, under its new URN, and references to the old URN
    /// follow): each resource of the state that a registration of <paramref name="program"/> names as an alias takes
    /// that registration's URN, before the run is planned.
    /// </summary>
    public void ApplyAliases(IReadOnlyList<ResourceRecord> program)
    {
        var renamed = new Dictionary<string, string>();
        foreach (var goal in program.Where(g => Find(g.Urn) is null))
        {
            if (goal.AliasUrns.FirstOrDefault(a => Find(a) is not null) is { } old)
            {
                renamed[old] = goal.Urn;
            }
        }
        if (renamed.Count == 0)
        {
            return;
        }
        string Map(string urn) => renamed.TryGetValue(urn, out var now) ? now : urn;
        for (var i = 0; i < resources.Count; i++)
        {
            var r = resources[i];
            resources[i] = r with
            {
                Urn = Map(r.Urn),
                Parent = r.Parent is null ? null : Map(r.Parent),
                DependsOn = [.. r.DependsOn.Select(Map)],
                PropertyDependencies = r.PropertyDependencies.ToImmutableDictionary(p => p.Key, p => ImmutableArray.CreateRange(p.Value.Select(Map))),
            };
        }
    }

    internal void Put(ResourceRecord record)
    {
        var i = resources.FindIndex(r => r.Urn == record.Urn);
        if (i >= 0)
        {
            resources[i] = record;
        }
        else
        {
            resources.Add(record);
        }
    }

    internal void Remove(ResourceRecord record)
    {
        if (!PendingDeletes.Remove(record))
        {
            resources.RemoveAll(r => ReferenceEquals(r, record));
        }
    }
}

/// <summary>What one step did on pbx01: the script's exit code and output (none for steps that run nothing).</summary>
public sealed record StepRun(Step Step, string? Script, SshResult? Result)
{
    public bool Succeeded => Step.Refusal is null && (Result is null || Result.ExitCode == 0);

    public override string ToString() => Step.Refusal is { } refusal
        ? $"{Step}: refused: {refusal}"
        : Result is null ? $"{Step}" : $"{Step}: exit {Result.ExitCode}";
}

/// <summary>A whole `pulumi up`: the steps in the order they ran, and the one that failed, if any.</summary>
public sealed record UpResult(IReadOnlyList<Step> Plan, IReadOnlyList<StepRun> Ran)
{
    public StepRun? Failed => Ran.FirstOrDefault(r => !r.Succeeded);

    /// <summary>The steps that did something, as "create media-server-1-install".</summary>
    public IEnumerable<string> Changes => Ran.Where(r => r.Step.Kind != StepKind.Same).Select(r => r.Step.ToString());

    /// <summary>The failing step and its message, quoted as the engine would show it.</summary>
    public string FailureMessage => Failed is not { } f ? "" : f.Step.Refusal ?? $"{f.Step}: exit {f.Result!.ExitCode}: {f.Result.Stderr.Trim()}";

    public override string ToString() => string.Join("\n", Ran.Select(r => r.ToString()))
        + (Failed is { Result: { } res } ? $"\n--- stdout:\n{res.Stdout}--- stderr:\n{res.Stderr}" : "");
}

/// <summary>
/// Runs the planned steps for real, one at a time, against the simulated pbx01 (tests/hosts), as the providers
/// would:
/// <list type="bullet">
/// <item><c>command:remote:Command</c> (pulumi-command v1.2.1 <c>provider/pkg/provider/remote/commandController.go</c>):
/// create runs <c>create</c>; update runs <c>update</c>, or <c>create</c> when no <c>update</c> is set; delete runs
/// the state's <c>delete</c> (nothing when unset); each with its <c>stdin</c>, over SSH to the connection's host,
/// which must be the simulated pbx01 as user pbx (the tests' key logs in; the recorded key is the tests' key too).
/// The previous stdout that the provider offers as PULUMI_COMMAND_STDOUT is left out: sshd drops it (AcceptEnv).</item>
/// <item><c>command:remote:CopyToRemote</c> (<c>copyController.go</c>): create, or an update that changes the source
/// or remote path, uploads the file; it has no delete. The program uploads one file, the REST helper
/// (<see cref="PortalCommands.HelperSource"/>): a FileAsset's path is not public in the SDK, so the helper is the
/// file uploaded, and the remote path must be the one the stack names.</item>
/// <item>Components, <c>tls:</c> and <c>random:</c> resources run nothing on any host.</item>
/// </list>
/// The first failing step stops the run, as the engine's step executor does (<c>step_executor.go</c>); the state
/// keeps what succeeded before it.
/// </summary>
public sealed class StepExecutor(StepExecutor.Pbx01Shell pbx01)
{
    /// <summary>How steps reach pbx01: its address, and a command run there over SSH with stdin.</summary>
    public sealed record Pbx01Shell(string Address, Func<string, string?, SshResult> Run);

    public StepExecutor(SimulatedHosts hosts)
        : this(new Pbx01Shell(hosts.Pbx01, (command, stdin) => hosts.OnPbx01(command, stdin, timeoutSeconds: 300)))
    {
    }

    public UpResult Run(IReadOnlyList<Step> plan, EngineState state)
    {
        var ran = new List<StepRun>();
        foreach (var step in plan)
        {
            var run = Execute(step);
            ran.Add(run);
            if (!run.Succeeded)
            {
                break;
            }
            Record(step, state);
        }
        return new UpResult(plan, ran);
    }

    private static void Record(Step step, EngineState state)
    {
        switch (step.Kind)
        {
            case StepKind.Same or StepKind.Create or StepKind.Update:
                state.Put(step.New!);
                break;
            case StepKind.CreateReplacement:
                if (state.Find(step.Old!.Urn) is not null)
                {
                    state.PendingDeletes.Add(step.Old);
                }
                state.Put(step.New!);
                break;
            default:
                state.Remove(step.Old!);
                break;
        }
    }

    private StepRun Execute(Step step)
    {
        if (step.Refusal is not null || step.Kind == StepKind.Same || !step.Resource.Custom)
        {
            return new StepRun(step, null, null);
        }
        return step.Resource.Type switch
        {
            "command:remote:Command" => RunCommand(step),
            "command:remote:CopyToRemote" => Copy(step),
            _ => new StepRun(step, null, null),
        };
    }

    private StepRun RunCommand(Step step)
    {
        var deleting = step.Kind is StepKind.Delete or StepKind.DeleteReplaced;
        var resource = deleting ? step.Old! : step.New!;
        var script = step.Kind switch
        {
            StepKind.Update => resource.Input("update") ?? resource.Input("create"),
            StepKind.Create or StepKind.CreateReplacement => resource.Input("create"),
            _ => resource.Input("delete"),
        };
        if (script is null)
        {
            return new StepRun(step, null, null);
        }
        CheckConnection(resource);
        return new StepRun(step, script, pbx01.Run(script, resource.Input("stdin")));
    }

    private StepRun Copy(Step step)
    {
        if (step.Kind is StepKind.Delete or StepKind.DeleteReplaced)
        {
            return new StepRun(step, null, null);
        }
        var resource = step.New!;
        if (step.Kind == StepKind.Update && StepPlanner.ChangedInputs(step.Old!, resource).All(k => k is not ("source" or "remotePath")))
        {
            return new StepRun(step, null, null);
        }
        CheckConnection(resource);
        var remotePath = resource.Input("remotePath")!;
        var user = resource.Map("connection")?["user"] as string ?? SimulatedHosts.User;
        if (remotePath != WebPortal.HelperRemotePath(user))
        {
            throw new InvalidOperationException($"{resource.Name} uploads to {remotePath}; the harness only knows the REST helper's path");
        }
        var content = File.ReadAllText(Path.Combine(Support.StackFile.RepositoryRoot, PortalCommands.HelperSource));
        var script = $"cat > {Shell.Quote(remotePath)}";
        return new StepRun(step, script, pbx01.Run(script, content));
    }

    private void CheckConnection(ResourceRecord resource)
    {
        var connection = resource.Map("connection") ?? throw new InvalidOperationException($"{resource.Name} has no connection");
        var host = connection.TryGetValue("host", out var h) ? h as string : null;
        var user = connection.TryGetValue("user", out var u) ? u as string : null;
        if (host != pbx01.Address || user != SimulatedHosts.User)
        {
            throw new InvalidOperationException($"{resource.Name} connects to {user}@{host}; the simulated pbx01 is {SimulatedHosts.User}@{pbx01.Address}");
        }
    }
}
