using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// One server of the SBC cluster, deployed, upgraded and removed by sbc.sh with <c>-a</c> naming only this
/// server, so that adding or removing one SBC leaves the others alone. A new image upgrades it in place.
/// </summary>
public sealed class SbcServer : ComponentResource
{
    [Output("serverName")] public Output<string> ServerName { get; private set; }
    [Output("privateIp")] public Output<string> PrivateIp { get; private set; }
    [Output("publicIp")] public Output<string?> PublicIp { get; private set; }
    /// <summary>The desired run state: running or stopped.</summary>
    [Output("state")] public Output<string> State { get; private set; }

    public Command Install { get; }

    /// <summary>Its run state (sbc.sh start|stop -a IP) and restarts, after the install.</summary>
    public RunStateSteps RunState { get; }

    public Command Preflight { get; }

    public SbcServer(SbcServerSettings server, SbcSettings sbc, Pbx01 pbx01, ServerAccess access, WebPortal portal, ComponentResourceOptions? options = null)
        : base("portsip:cluster:SbcServer", server.Name, options)
    {
        var guide = pbx01.GuideFolder;
        var what = $"SBC server {server.Name} ({server.PrivateIp})";
        // "Enable Password-Free SSH Login" and the host requirements.
        var host = PreparedHost.Prepare(server.Name, $"{server.Name} ({server.PrivateIp})", server.PrivateIp, server.HostKey,
            PreflightChecks.MinDiskGb(false), new InstallRecord($"sbc@{server.PrivateIp}", server.PrivateIp), pbx01, access, portal, this);
        Preflight = host.Preflight;

        var scripts = ServerScripts.Sbc(guide, server, sbc);
        Install = new Command($"{server.Name}-install", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = scripts.Create,
            // A stopped server's upgrade waits until it runs again.
            Update = RunStateScripts.UpgradeOrWait(scripts.Update, $"SBC server {server.Name}'s", server.Run.Stopped ? [server.Name] : []),
            Delete = scripts.Delete!,
            Triggers = ReplaceWhen.After(host.Trust, server.PrivateIp),
        }, ReplaceWhen.OldOneFirst(this, pbx01.DependsOn().Concat(Preflight)));

        RunState = RunStateSteps.Add(server.Name, what, $"sbc@{server.PrivateIp}", server.Run,
            action => GuideCommands.SbcControl(guide, server.PrivateIp, action), Install, [server.PrivateIp], pbx01, this);

        ServerName = Output.Create(server.Name);
        PrivateIp = Output.Create(server.PrivateIp);
        PublicIp = Output.Create(server.PublicIp);
        State = Output.Create(server.Run.Word);
        RegisterOutputs();
    }
}
