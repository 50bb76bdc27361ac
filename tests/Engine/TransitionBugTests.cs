using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// The transitions of issue #8 that break a site today: each is what an operator would expect to work, applied
/// as `pulumi up` applies it (config A, then config B, in the engine's order), then checked like the passing
/// transitions. They fail until the day-2 fixes land.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class TransitionBugTests(SimulatedHosts hosts)
{
    private static readonly SiteConfig Site = SiteConfig.Empty
        .Media("media-server-1", "media1", "203.0.113.21")
        .Media("media-server-2", "im1", "203.0.113.25")
        .Queue("queue-server-1", "queue1");

    // Today: a new name is a new URN, so the engine installs media-server-1b first (extend.sh run at the same IP:
    // the stand-in reinstalls) and deletes media-server-1's resources at the end: extend.sh rm -a IP removes the
    // server just installed, and the untrust takes pbx01's key off the host. The run succeeds; the host runs nothing.
    [SkippableFact]
    public async Task Renaming_a_server_at_the_same_IP_leaves_it_installed_registered_and_trusted_under_the_new_name()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Site);

        var renamed = Site.Change("media-server-1", s => s with { Name = "media-server-1b" });
        await site.Apply(renamed);

        site.AssertIs(renamed);
    }

    // Today: every command of the server is replaced old-one-first (DeleteBeforeReplace). The install depends on
    // the trust step (through the preflight), so the trust step is replaced first (pbx01's key taken off queue1);
    // then the install's old half runs extend.sh rm on queue1, which cannot log in there any more:
    // "pbx@10.213.57.22: Permission denied (publickey,password)".
    [SkippableFact]
    public async Task Moving_a_server_to_a_new_IP_removes_it_from_the_old_host_and_installs_it_on_the_new_one()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Site);

        var moved = Site.Change("queue-server-1", s => s with { Host = "sbc1" });
        await site.Apply(moved);

        site.AssertIs(moved);
    }

    // Today: as for a move, the old install's extend.sh rm cannot log in to the host whose key was just revoked.
    [SkippableFact]
    public async Task Swapping_two_servers_IPs_leaves_each_installed_on_the_others_host()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Site);

        var swapped = Site
            .Change("media-server-1", s => s with { Host = "im1" })
            .Change("media-server-2", s => s with { Host = "media1" });
        await site.Apply(swapped);

        site.AssertIs(swapped);
    }

    // Today: the new server is created before the removed one is deleted (deletes come last), so its extend.sh run
    // finds the host still running the media server: "media1 already runs media-server-only; a server can run
    // only one role".
    [SkippableFact]
    public async Task Removing_a_server_and_adding_another_at_its_IP_leaves_only_the_new_one_there()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Site);

        var reused = Site.Without("media-server-1").Queue("queue-server-2", "media1");
        await site.Apply(reused);

        site.AssertIs(reused);
    }
}
