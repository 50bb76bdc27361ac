using System.Collections.Immutable;
using Pulumi;

namespace PortsipInfra.Components;

/// <summary>
/// The SBC cluster: its servers share one image. Web portals listen on port 8883 of each server. The SBC token
/// (Servers > SBC in the Web Portal) is read, or generated when there is none, and kept as a secret output for
/// the SBC's own configuration.
/// </summary>
public sealed class SbcCluster : ComponentResource
{
    [Output("image")] public Output<string> Image { get; private set; }
    [Output("webPortals")] public Output<ImmutableArray<string>> WebPortals { get; private set; }

    [Output("token")] public Output<string> Token { get; private set; }

    public IReadOnlyList<SbcServer> Servers { get; }

    public SbcCluster(string name, SbcSettings sbc, Pbx01 pbx01, ServerAccess access, WebPortal portal, ComponentResourceOptions? options = null)
        : base("portsip:cluster:SbcCluster", name, options)
    {
        var children = new ComponentResourceOptions { Parent = this };
        Servers = sbc.Servers.Select(s => new SbcServer(s, sbc, pbx01, access, portal, children)).ToList();
        var token = PortalToken.Generate($"{name}-token", PortalCommands.SbcToken(regenerate: false), PortalCommands.SbcToken(regenerate: false),
            new InputList<object>(), pbx01, portal, this);
        Token = Output.CreateSecret(token.Stdout.Apply(t => (t ?? "").Trim()));

        Image = Output.Create(sbc.Image);
        WebPortals = Output.Create(sbc.Servers.Select(s => $"https://{s.PublicIp ?? s.PrivateIp}:8883").ToImmutableArray());
        RegisterOutputs();
    }
}
