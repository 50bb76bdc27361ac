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
            "create media-server-2-claim",
            "create media-server-2-trust",
            "create media-server-2-preflight",
            "create media-server-2-register",
            "create media-server-2-install",
            "create media-server-2-state",
            "create media-server-2-restart",
            "create media-server-2-online",
        ], up.Changes);
    }

    [SkippableFact]
    public async Task Removing_the_IVR_server_removes_unregisters_and_untrusts_that_server_only()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Guides);
        var before = site.Snapshot();
        var calls = site.GuideCalls().Length;

        var removed = Guides.Without("ivr-server-1");
        var up = await site.Apply(removed);

        site.AssertIs(removed);
        Assert.Equal(["dataflow1"], site.TouchedSince(before));
        Assert.Equal([$"remove ivr-server-only ip={hosts.Ip("dataflow1")}"], site.Actions("dataflow1")[1..]);
        Assert.Equal([$"extend.sh rm -s ivr-server-only -a {hosts.Ip("dataflow1")}"], site.GuideCalls()[calls..]);
        // Reverse dependency order: the server is removed before it is unregistered and before pbx01's key goes.
        var changes = up.Changes.ToList();
        Assert.All(changes, c => Assert.StartsWith("delete ", c));
        Assert.True(changes.IndexOf("delete ivr-server-1-install") < changes.IndexOf("delete ivr-server-1-register"), string.Join("\n", changes));
        Assert.True(changes.IndexOf("delete ivr-server-1-install") < changes.IndexOf("delete ivr-server-1-trust"), string.Join("\n", changes));
        Assert.Contains("delete ivr-servers-upgrade", changes);
    }

    [SkippableFact]
    public async Task A_new_pbx_image_upgrades_the_cluster_first_then_each_role_once_and_reinstalls_nothing()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Guides);
        var calls = site.GuideCalls().Length;

        var upgraded = Guides.WithPbxImage("portsip/pbx:22.4");
        var up = await site.Apply(upgraded);

        site.AssertIs(upgraded);
        Assert.Equal(
        [
            "update.sh portsip/pbx:22.4",
            "extend.sh upgrade -s media-server-only",
            "extend.sh upgrade -s queue-server-only",
            "extend.sh upgrade -s ivr-server-only",
        ], site.GuideCalls()[calls..]);
        Assert.Equal(["update pbx image=portsip/pbx:22.4 certificate-manager=no"], site.Actions("pbx01"));
        foreach (var server in Guides.Servers)
        {
            Assert.Equal($"upgrade {server.Role.ScriptFilter()} name={server.Name}", site.Actions(server.Host).Last());
            Assert.Single(site.Actions(server.Host), a => a.StartsWith("install ", StringComparison.Ordinal));
        }
        Assert.Equal(["update pbx-ha-upgrade", "update media-servers-upgrade", "update queue-servers-upgrade", "update ivr-servers-upgrade"], up.Changes);

        // Applying the same config again changes nothing.
        Assert.Empty((await site.Apply(upgraded)).Changes);
        Assert.Equal(calls + 4, site.GuideCalls().Length);
    }

    [SkippableFact]
    public async Task A_new_maxSessions_updates_the_registration_in_place_by_running_its_create_again()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Guides);
        var before = site.Snapshot();
        var calls = site.GuideCalls().Length;
        var id = Media(site)["id"]!.GetValue<string>();

        var raised = Guides.Change("media-server-1", s => s with { MaxSessions = 4000 });
        var up = await site.Apply(raised);

        // The register command has no update script: the provider runs its create, which adopts the server.
        Assert.Equal(["update media-server-1-register"], up.Changes);
        Assert.Equal(4000, Media(site)["max_concurrency"]!.GetValue<int>());
        Assert.Equal(id, Media(site)["id"]!.GetValue<string>());
        site.AssertIs(raised);
        Assert.Empty(site.TouchedSince(before));
        Assert.Equal(calls, site.GuideCalls().Length);
    }

    private static System.Text.Json.Nodes.JsonObject Media(SimulatedSite site) =>
        PortalOnPbx01.Servers(site.Portal.State(), "media").Single(s => (string?)s["name"] == "media-server-1");

    [SkippableFact]
    public async Task Scaling_out_from_no_extended_server_to_thirty_installs_each_on_its_own_host()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(SiteConfig.Empty);
        site.AssertIs(SiteConfig.Empty);

        var thirty = SiteConfig.Empty;
        for (var i = 1; i <= 30; i++)
        {
            var host = $"ext{i:00}";
            thirty = (i % 4) switch
            {
                1 => thirty.Media($"media-server-{i}", host, $"203.0.113.{i}"),
                2 => thirty.Queue($"queue-server-{i}", host),
                3 => thirty.Meeting($"meeting-server-{i}", host),
                _ => thirty.Ivr($"ivr-server-{i}", host),
            };
        }
        var up = await site.Apply(thirty);

        site.AssertIs(thirty);
        Assert.Equal(30, site.GuideCalls().Count(c => c.StartsWith("extend.sh run ", StringComparison.Ordinal)));
        Assert.All(thirty.Servers, s => Assert.Subset(up.Changes.ToHashSet(),
            new[] { "", "-claim", "-register", "-trust", "-preflight", "-install", "-online" }.Select(step => $"create {s.Name}{step}").ToHashSet()));
        Assert.DoesNotContain(up.Changes, c => !c.StartsWith("create ", StringComparison.Ordinal));
    }
}
