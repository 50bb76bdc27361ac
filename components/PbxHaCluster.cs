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

    /// <summary>Under this key pbx01 records the PBX image the cluster runs.</summary>
    public const string VersionKey = "pbx";

    public PbxHaCluster(string name, PbxClusterSettings pbx, Pbx01 pbx01, ComponentResourceOptions? options = null)
        : base("portsip:cluster:PbxHaCluster", name, options)
    {
        var vars = $"{pbx.GuideFolder}/res/vars.yml";
        var check =
            $"""
            if [ ! -f {Shell.Quote(vars)} ]; then
              echo {Shell.Quote($"pbx01 has no finished PBX HA install: {vars} is missing. Install the HA cluster first (High Availability Installations on Ubuntu).")} >&2
              exit 1
            fi

            """;
        // Turning the Certificate Manager on is applied by update.sh -c, as the guide says, even with the same image.
        var version = pbx.Image + (pbx.CertificateManager ? " with Certificate Manager" : "");
        Upgrade = new Command($"{name}-upgrade", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = RemoteScript.RecordVersion("The PBX HA cluster", VersionKey, version, check),
            Update = RemoteScript.Upgrade("the PBX HA cluster", VersionKey, version, GuideCommands.PbxUpdate(pbx)),
        }, new CustomResourceOptions { Parent = this, DependsOn = pbx01.DependsOn() });

        Pbx01Address = Output.Create(pbx.Pbx01);
        VirtualIp = Output.Create(pbx.VirtualIp);
        Image = Output.Create(pbx.Image);
        RegisterOutputs();
    }
}
