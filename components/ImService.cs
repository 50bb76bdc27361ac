using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// The Instant Messaging service on its own server (im.sh). Protected by default: removing it deletes the IM
/// installation, so the operator sets <c>im.protect: false</c> before a removal or a move to a new IP.
/// A new PBX image upgrades it with <c>im.sh upgrade</c>.
/// </summary>
public sealed class ImService : ComponentResource
{
    [Output("privateIp")] public Output<string> PrivateIp { get; private set; }
    [Output("publicIp")] public Output<string> PublicIp { get; private set; }

    public Command Install { get; }

    public ImService(string name, ImSettings im, string pbxImage, Pbx01 pbx01, ComponentResourceOptions? options = null)
        : base("portsip:cluster:ImService", name, options)
    {
        var guide = pbx01.GuideFolder;
        var what = $"IM service ({im.PrivateIp})";
        var install = RemoteScript.Install(what, "im", im.PrivateIp, GuideCommands.ImRun(guide, im), pbxImage);
        Install = new Command($"{name}-install", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = install,
            Update = RemoteScript.Upgrade("the IM service", "im", pbxImage, GuideCommands.ImUpgrade(guide)),
            Delete = RemoteScript.Remove(what, "im", GuideCommands.ImRemove(guide)),
            Triggers = ReplaceWhen.AnyChanges(im.PrivateIp, im.PublicIp, im.StoragePath ?? ""),
        }, new CustomResourceOptions
        {
            Parent = this,
            DependsOn = pbx01.DependsOn(),
            DeleteBeforeReplace = true,
            ReplaceOnChanges = { "triggers" },
            Protect = im.Protect,
        });

        PrivateIp = Output.Create(im.PrivateIp);
        PublicIp = Output.Create(im.PublicIp);
        RegisterOutputs();
    }
}
