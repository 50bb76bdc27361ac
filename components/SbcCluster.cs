using System.Collections.Immutable;
using Pulumi;

namespace PortsipInfra.Components;

/// <summary>The SBC cluster: its servers share one image. Web portals listen on port 8883 of each server.</summary>
public sealed class SbcCluster : ComponentResource
{
    [Output("image")] public Output<string> Image { get; private set; }
    [Output("webPortals")] public Output<ImmutableArray<string>> WebPortals { get; private set; }

    public IReadOnlyList<SbcServer> Servers { get; }

    public SbcCluster(string name, SbcSettings sbc, Pbx01 pbx01, ComponentResourceOptions? options = null)
        : base("portsip:cluster:SbcCluster", name, options)
    {
        var children = new ComponentResourceOptions { Parent = this };
        Servers = sbc.Servers.Select(s => new SbcServer(s, sbc, pbx01, children)).ToList();

        Image = Output.Create(sbc.Image);
        WebPortals = Output.Create(sbc.Servers.Select(s => $"https://{s.PublicIp ?? s.PrivateIp}:8883").ToImmutableArray());
        RegisterOutputs();
    }
}
