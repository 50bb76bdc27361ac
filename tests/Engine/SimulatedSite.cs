using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// A stack and its site, for transition tests: the simulated hosts (pbx01 and the servers, tests/hosts) with the
/// fake Web Portal in pbx01's namespace, and the stack's state. <see cref="Up"/> is `pulumi up`: the program is
/// run under mocks (<see cref="ProgramRecorder"/>), the steps planned against the state as the engine plans them
/// (<see cref="StepPlanner"/>), and each step's script run on pbx01 (<see cref="StepExecutor"/>).
/// </summary>
public sealed partial class SimulatedSite : IDisposable
{
    /// <summary>The site's virtual IP: on the hosts' network, owned by no simulated host (as res/vars.yml says).</summary>
    public const string VirtualIp = "10.213.57.130";

    public SimulatedHosts Hosts { get; }
    public PortalOnPbx01 Portal { get; }
    public EngineState State { get; } = new();

    /// <summary>The stack's name (its site id is <see cref="Support.PulumiRun.SiteId"/> of it).</summary>
    public string StackName { get; }

    private readonly StepExecutor executor;
    private readonly bool ownsPortal;

    private SimulatedSite(SimulatedHosts hosts, PortalOnPbx01 portal, string stack = "test", bool ownsPortal = true)
    {
        Hosts = hosts;
        Portal = portal;
        StackName = stack;
        this.ownsPortal = ownsPortal;
        executor = new StepExecutor(hosts);
    }

    /// <summary>Another stack, with a state of its own, on the same hosts and portal (a copied or mistyped stack file).</summary>
    public SimulatedSite OtherStack(string stack) => new(Hosts, Portal, stack, ownsPortal: false);

    /// <summary>Resets the hosts (skips the test where they cannot run) and starts a fresh portal and an empty stack.</summary>
    public static SimulatedSite Start(SimulatedHosts hosts)
    {
        hosts.Require();
        return new SimulatedSite(hosts, PortalOnPbx01.Start(hosts.Home("pbx01", ".standin/extend.sh")));
    }

    public Dictionary<string, string> StackConfig(SiteConfig site) => site.ToStackConfig(
        Hosts.Pbx01, VirtualIp, Hosts.Ip, Portal,
        File.ReadAllText(Path.Combine(Hosts.Dir, "test_key")), Hosts.Password);

    /// <summary>`pulumi up` with <paramref name="site"/> as the stack's config; the state keeps what succeeded.</summary>
    public async Task<UpResult> Up(SiteConfig site)
    {
        var program = await ProgramRecorder.Record(StackConfig(site), StackName);
        State.ApplyAliases(program);
        var plan = StepPlanner.Plan(State.Resources, program, State.PendingDeletes.ToList());
        return executor.Run(plan, State);
    }

    /// <summary>`pulumi up` that must succeed.</summary>
    public async Task<UpResult> Apply(SiteConfig site)
    {
        var up = await Up(site);
        if (up.Failed is not null)
        {
            Assert.Fail($"pulumi up failed at {up.FailureMessage}\nsteps run:\n{up}");
        }
        return up;
    }

    /// <summary>`pulumi destroy`: every resource of the state deleted, in reverse dependency order.</summary>
    public UpResult Destroy() => executor.Run(StepPlanner.Plan(State.Resources, [], State.PendingDeletes.ToList()), State);

    public void Dispose()
    {
        if (ownsPortal)
        {
            Portal.Dispose();
        }
    }
}
