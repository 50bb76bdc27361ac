using System.Collections.Immutable;
using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// One PortSIP HA site: the PBX HA main cluster and everything added to it. Built from the validated
/// <see cref="SiteTopology"/> only.
/// </summary>
public sealed class Site : ComponentResource
{
    /// <summary>Every server of the site: role, name, private and public IP.</summary>
    [Output("inventory")] public Output<ImmutableArray<ImmutableDictionary<string, string>>> Inventory { get; private set; }

    /// <summary>The media servers' call capacity: in all, with <c>capacity.redundancy</c> of them down, the headroom above the target.</summary>
    [Output("capacity")] public Output<ImmutableDictionary<string, int>> Capacity { get; private set; }

    public PbxHaCluster Pbx { get; }
    public IReadOnlyList<ExtendedServer> ExtendedServers { get; }
    public IReadOnlyDictionary<ServerRole, Command> RoleUpgrades { get; }

    /// <summary>Per role with extended servers (and <c>disableDefaultServers</c>): its built-in server disabled.</summary>
    public IReadOnlyDictionary<ServerRole, Command> DefaultServersOff { get; }
    public ImService? Im { get; }
    public SbcCluster? Sbc { get; }
    public DataFlowService? DataFlow { get; }

    public WebPortal Portal { get; }

    public DeployKey? DeployKey { get; }

    /// <summary>The stack's site id and the owner step every other command waits for and checks (One stack owns a site).</summary>
    public SiteOwner Owner { get; }

    public Site(string name, SiteTopology site, SiteSecrets secrets, ComponentResourceOptions? options = null)
        : this(name, site, secrets, options, new SiteOwnership())
    {
    }

    private Site(string name, SiteTopology site, SiteSecrets secrets, ComponentResourceOptions? options, SiteOwnership ownership)
        : base("portsip:cluster:Site", name, ownership.AppliedTo(CommandSecrecy.AppliedTo(options)))
    {
        var children = new ComponentResourceOptions { Parent = this };
        var pbx = site.Pbx;

        var pbx01 = Pbx01.Connect(pbx, secrets.SshPrivateKey);
        if (pbx.Ssh.DeployKey)
        {
            DeployKey = new DeployKey("deploy-key", pbx, secrets.SshPrivateKey, children);
            pbx01 = Pbx01.Connect(pbx, DeployKey.PrivateKey) with { ClusterReady = DeployKey.Authorize };
        }
        // First of all on pbx01, logged in as the deploy key's authorization is (which waits for it).
        var deployment = Deployment.Instance;
        Owner = new SiteOwner("site-ownership", Pbx01.Connect(pbx, secrets.SshPrivateKey ?? DeployKey?.PrivateKey).Connection,
            OwnerScripts.StackName(deployment.OrganizationName, deployment.ProjectName, deployment.StackName), site.TakeOverSiteFrom, children);
        ownership.Bind(Owner);

        Pbx = new PbxHaCluster("pbx-ha", pbx, pbx01, children);
        var afterPbx = pbx01 with { ClusterReady = Pbx.Upgrade };
        Portal = new WebPortal("web-portal", site.Portal, afterPbx, pbx.Ssh.User, secrets.PortalPassword, children);
        var access = new ServerAccess(pbx.Ssh.User, secrets.ServerPassword, site.HostPreparation.WarnOnly);

        ExtendedServers = site.ExtendedServers.Select(server => Create(server, afterPbx, access, Portal, site.Portal, children, site.Drain)).ToList();

        // The guide disables the main server's default servers; a role keeps its own until it has extended servers.
        DefaultServersOff = !site.Portal.DisableDefaultServers
            ? new Dictionary<ServerRole, Command>()
            : ServerRoles.All
                .Select(role => (role, servers: ExtendedServers.Where((_, i) => site.ExtendedServers[i].Role == role).ToList()))
                .Where(r => r.servers.Count > 0)
                .ToDictionary(r => r.role, r => DefaultServer.Disable(r.role, r.servers, afterPbx, Portal));

        // "Upgrading Extended Servers": once per role, after the PBX HA cluster itself.
        RoleUpgrades = ServerRoles.All
            .Where(role => site.ServersOf(role).Any())
            .ToDictionary(role => role, role => site.Drain.StrategyOf(role) == UpgradeStrategy.Rolling
                ? RollingRoleUpgrade(role, site, afterPbx)
                : RoleUpgrade(role, pbx, afterPbx, site, ExtendedServers));
        foreach (var warning in UpgradeWarnings.Of(site))
        {
            Log.Warn(warning, this);
        }

        if (site.Im is { } im)
        {
            Im = new ImService("im", im, pbx.Image, afterPbx, access, Portal, children);
        }
        if (site.Sbc is { } sbc)
        {
            Sbc = new SbcCluster("sbc", sbc, afterPbx, access, Portal, children);
        }
        if (site.DataFlow is { } dataFlow)
        {
            DataFlow = new DataFlowService("dataflow", dataFlow, pbx, afterPbx, access, Portal, secrets.DataFlowToken, children);
        }

        Inventory = Output.Create(SiteInventory.Of(site));
        Capacity = Output.Create(CapacityPlan.Of(site).ToOutput());
        RegisterOutputs();
    }

    private Command RoleUpgrade(ServerRole role, PbxClusterSettings pbx, Pbx01 pbx01, SiteTopology site, IReadOnlyList<ExtendedServer> servers)
    {
        var scripts = ServerScripts.RoleUpgrade(pbx.GuideFolder, role, pbx.Image);
        // extend.sh upgrade -s ROLE upgrades every server of the role: while one is stopped, the upgrade waits (the
        // recorded version stays), and runs in the run that starts it again, after its start.
        var stopped = site.ServersOf(role).Where(s => s.Run.Stopped).Select(s => s.Name).ToList();
        var states = servers.Where((_, i) => site.ExtendedServers[i].Role == role).Select(s => (Resource)s.RunState.State).ToArray();
        return new Command($"{role.Slug()}-servers-upgrade", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = scripts.Create,
            Update = RunStateScripts.UpgradeOrWait(scripts.Update, $"the {role.PortalName()}s'", stopped),
        }, new CustomResourceOptions { Parent = this, DependsOn = pbx01.DependsOn().Concat(states) });
    }

    /// <summary>upgradeStrategy rolling: one server at a time (RollingUpgrade), after any server of the role added in this run.</summary>
    private Command RollingRoleUpgrade(ServerRole role, SiteTopology site, Pbx01 pbx01)
    {
        var servers = site.ServersOf(role).ToList();
        var scripts = RollingUpgrade.Step(site.Pbx.GuideFolder, role, site.Pbx.Image, servers, site.Drain, site.Portal.OnlineTimeoutSeconds,
            site.Capacity.TargetConcurrentCalls);
        var online = ExtendedServers.Where((_, i) => site.ExtendedServers[i].Role == role).Select(s => (Resource)s.Online);
        // A rolling upgrade reinstalls each server, which would start a stopped one: it waits as the role's upgrade does.
        var stopped = servers.Where(s => s.Run.Stopped).Select(s => s.Name).ToList();
        return new Command($"{role.Slug()}-servers-upgrade", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = scripts.Create,
            Update = RunStateScripts.UpgradeOrWait(scripts.Update, $"the {role.PortalName()}s'", stopped),
            Stdin = Portal.ApiStdin,
            // rolling-upgrade.sh reads stdin once and hands it to the REST helper only: its drains' progress is streamed.
            Logging = Logging.StdoutAndStderr,
        }, new CustomResourceOptions { Parent = this, DependsOn = pbx01.DependsOn().Concat(online.ToArray()) });
    }

    private static ExtendedServer Create(ExtendedServerSettings server, Pbx01 pbx01, ServerAccess access, WebPortal portal,
        PortalSettings settings, ComponentResourceOptions options, DrainSettings drain) =>
        server.Role switch
        {
            ServerRole.Media => new MediaServer(server, pbx01, access, portal, settings, options, drain),
            ServerRole.Queue => new QueueServer(server, pbx01, access, portal, settings, options, drain),
            ServerRole.Meeting => new MeetingServer(server, pbx01, access, portal, settings, options, drain),
            _ => new IvrServer(server, pbx01, access, portal, settings, options, drain),
        };
}
