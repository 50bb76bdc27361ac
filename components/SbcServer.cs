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

    public Command Install { get; }

    public SbcServer(SbcServerSettings server, SbcSettings sbc, Pbx01 pbx01, ComponentResourceOptions? options = null)
        : base("portsip:cluster:SbcServer", server.Name, options)
    {
        var guide = pbx01.GuideFolder;
        var what = $"SBC server {server.Name} ({server.PrivateIp})";
        var markerKey = $"sbc@{server.PrivateIp}";
        Install = new Command($"{server.Name}-install", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = RemoteScript.Install(what, markerKey, server.PrivateIp, GuideCommands.SbcRun(guide, sbc, server.PrivateIp), sbc.Image),
            Update = RemoteScript.Upgrade(what, markerKey, sbc.Image, GuideCommands.SbcUpgrade(guide, sbc, server.PrivateIp)),
            Delete = RemoteScript.Remove(what, markerKey, GuideCommands.SbcRemove(guide, server.PrivateIp)),
            Triggers = ReplaceWhen.AnyChanges(server.PrivateIp),
        }, new CustomResourceOptions
        {
            Parent = this,
            DependsOn = pbx01.DependsOn(),
            DeleteBeforeReplace = true,
            ReplaceOnChanges = { "triggers" },
        });

        ServerName = Output.Create(server.Name);
        PrivateIp = Output.Create(server.PrivateIp);
        PublicIp = Output.Create(server.PublicIp);
        RegisterOutputs();
    }
}
