using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// Day-2 changes of a site, each applied as `pulumi up` would apply it: config A, then config B, every step's
/// script run on the simulated pbx01 in the engine's order (see <see cref="StepPlanner"/>), then the hosts, the
/// portal and the trusted keys checked.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class TransitionTests(SimulatedHosts hosts)
{
    // The guides' site, on the simulated hosts.
    private static readonly SiteConfig Guides = SiteConfig.Empty
        .Media("media-server-1", "media1", "203.0.113.21")
        .Queue("queue-server-1", "queue1")
        .Ivr("ivr-server-1", "dataflow1");

    [SkippableFact]
    public async Task Adding_a_media_server_installs_registers_and_trusts_that_server_only()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Guides);
        site.AssertIs(Guides);
        var before = site.Snapshot();
        var calls = site.GuideCalls().Length;

        var added = Guides.Media("media-server-2", "im1", "203.0.113.25");
        var up = await site.Apply(added);

        site.AssertIs(added);
        Assert.Equal(["im1"], site.TouchedSince(before));
        Assert.Equal([$"extend.sh run -s media-server-only -n media-server-2 -a {hosts.Ip("im1")}"], site.GuideCalls()[calls..]);
        Assert.Equal(
        [
            "create media-server-2",
            "create media-server-2-register",
            "create media-server-2-trust",
            "create media-server-2-preflight",
            "create media-server-2-install",
            "create media-server-2-online",
        ], up.Changes);
    }
}
