using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// The existing PBX HA main cluster (pbx01..pbx03 behind the virtual IP). The program does not install it (see
/// "High Availability Installations on Ubuntu"); it checks on pbx01 that the install is there, and when
/// <c>pbxImage</c> changes it upgrades it with update.sh, before any extended server or service is touched.
/// </summary>
public sealed class PbxHaCluster : ComponentResource
{
    [Output("pbx01")] public Output<string> Pbx01Address { get; private set; }
    [Output("virtualIp")] public Output<string> VirtualIp { get; private set; }
    [Output("image")] public Output<string> Image { get; private set; }

    /// <summary>Created once as a check; its update runs the guide's PBX upgrade.</summary>
    public Command Upgrade { get; }

    public PbxHaCluster(string name, PbxClusterSettings pbx, Pbx01 pbx01, ComponentResourceOptions? options = null)
        : base("portsip:cluster:PbxHaCluster", name, options)
    {
        var scripts = ServerScripts.PbxCluster(pbx);
        Upgrade = new Command($"{name}-upgrade", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = scripts.Create,
            Update = scripts.Update,
        }, new CustomResourceOptions { Parent = this, DependsOn = pbx01.DependsOn() });

        Pbx01Address = Output.Create(pbx.Pbx01);
        VirtualIp = Output.Create(pbx.VirtualIp);
        Image = Output.Create(pbx.Image);
        RegisterOutputs();
    }
}
