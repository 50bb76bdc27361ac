using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// The identity changes of issue #8 (a server's name or address), applied as `pulumi up` applies them (config A,
/// then config B, in the engine's order): each ends with exactly the new topology, or is refused before anything is
/// changed on any host, in the portal or in pbx01's records, with a message that names the servers and what to do.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class TransitionBugTests(SimulatedHosts hosts)
{
    private static readonly SiteConfig Site = SiteConfig.Empty
        .Media("media-server-1", "media1", "203.0.113.21")
        .Media("media-server-2", "im1", "203.0.113.25")
        .Queue("queue-server-1", "queue1");

    // With renamedFrom, the rename is one replacement, old one first: rm, unregister under the old name (pbx01
    // keeps its key: the address stays in use), then register and install under the new one.
    [SkippableFact]
    public async Task Renaming_a_server_at_the_same_IP_with_renamedFrom_leaves_it_installed_registered_and_trusted_under_the_new_name()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Site);
        var calls = site.GuideCalls().Length;

        var renamed = Site.Change("media-server-1", s => s with { Name = "media-server-1b", RenamedFrom = "media-server-1" });
        var up = await site.Apply(renamed);

        site.AssertIs(renamed);
        var ip = hosts.Ip("media1");
        Assert.Equal([$"extend.sh rm -s media-server-only -a {ip}", $"extend.sh run -s media-server-only -n media-server-1b -a {ip}"],
            site.GuideCalls()[calls..]);
        var changes = up.Changes.ToList();
        Assert.True(changes.IndexOf("delete-replaced media-server-1-install") < changes.IndexOf("delete-replaced media-server-1-register"), up.ToString());
        Assert.True(changes.IndexOf("delete-replaced media-server-1-register") < changes.IndexOf("create-replacement media-server-1b-register"), up.ToString());

        // The operator then removes renamedFrom: nothing runs.
        var settled = renamed.Change("media-server-1b", s => s with { RenamedFrom = null });
        var before = site.Snapshot();
        await site.Apply(settled);
        site.AssertIs(settled);
        Assert.Empty(site.TouchedSince(before));
    }

    // Without renamedFrom the program cannot tell a rename from a new server (it has no view of the old state at
    // preview), and the engine would install the new name before deleting the old one: the claim refuses at `up`.
    [SkippableFact]
    public async Task Renaming_a_server_at_the_same_IP_without_renamedFrom_is_refused_before_anything_changes()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Site);
        var before = site.Snapshot();
        var calls = site.GuideCalls().Length;

        var up = await site.Up(Site.Change("media-server-1", s => s with { Name = "media-server-1b" }));

        Assert.Equal("create media-server-1b-claim", up.Failed?.Step.ToString());
        Assert.Contains("pbx01's records show media-server-1 (media-server-only) installed at", up.FailureMessage);
        Assert.Contains("set renamedFrom to its old name", up.FailureMessage);
        AssertNothingChanged(site, before, calls);
    }

    // pbx01 still trusts the old address when extend.sh rm runs there: the install's delete comes before the trust's.
    [SkippableFact]
    public async Task Moving_a_server_to_a_new_IP_removes_it_from_the_old_host_and_installs_it_on_the_new_one()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Site);

        var moved = Site.Change("queue-server-1", s => s with { Host = "sbc1" });
        var up = await site.Apply(moved);

        site.AssertIs(moved);
        var changes = up.Changes.ToList();
        string[] undone = ["queue-server-1-online", "queue-server-1-install", "queue-server-1-register", "queue-server-1-trust"];
        var at = undone.Select(n => changes.IndexOf("delete-replaced " + n)).ToList();
        Assert.True(at.All(i => i >= 0) && at.SequenceEqual(at.Order()), up.ToString());
    }

    [SkippableFact]
    public async Task Renaming_and_moving_a_server_at_once_ends_with_the_new_server_only()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Site);

        var withAlias = Site.Change("queue-server-1", s => s with { Name = "queue-server-9", Host = "sbc1", RenamedFrom = "queue-server-1" });
        await site.Apply(withAlias);
        site.AssertIs(withAlias);
    }

    [SkippableFact]
    public async Task Renaming_and_moving_a_server_without_renamedFrom_ends_with_the_new_server_only()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Site);

        var replaced = Site.Change("queue-server-1", s => s with { Name = "queue-server-9", Host = "sbc1" });
        await site.Apply(replaced);
        site.AssertIs(replaced);
    }

    // No order is safe in one run (each would be installed where the other still runs): refused, nothing changed.
    [SkippableFact]
    public async Task Swapping_two_servers_IPs_is_refused_before_anything_changes()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Site);
        var before = site.Snapshot();
        var calls = site.GuideCalls().Length;

        var up = await site.Up(Site
            .Change("media-server-1", s => s with { Host = "im1" })
            .Change("media-server-2", s => s with { Host = "media1" }));

        Assert.Equal("create-replacement media-server-1-claim", up.Failed?.Step.ToString());
        Assert.Contains($"pbx01's records show media-server-2 (media-server-only) installed at {hosts.Ip("im1")}", up.FailureMessage);
        Assert.Contains("in one pulumi up, then give", up.FailureMessage);
        AssertNothingChanged(site, before, calls);
    }

    // The engine creates before it deletes what left the stack: the add is refused until the removal has run.
    [SkippableFact]
    public async Task Removing_a_server_and_adding_another_at_its_IP_is_refused_then_works_in_two_runs()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Site);
        var before = site.Snapshot();
        var calls = site.GuideCalls().Length;

        var reused = Site.Without("media-server-1").Queue("queue-server-2", "media1");
        var up = await site.Up(reused);

        Assert.Equal("create queue-server-2-claim", up.Failed?.Step.ToString());
        Assert.Contains($"pbx01's records show media-server-1 (media-server-only) installed at {hosts.Ip("media1")}", up.FailureMessage);
        AssertNothingChanged(site, before, calls);

        // What the message says: the removal first, then the add.
        await site.Apply(Site.Without("media-server-1"));
        await site.Apply(reused);
        site.AssertIs(reused);
    }

    // The IM service (unprotected) moves as a server does: im.sh rm while pbx01 still trusts the old server.
    [SkippableFact]
    public async Task Moving_the_IM_service_removes_it_from_the_old_host_and_installs_it_on_the_new_one()
    {
        using var site = SimulatedSite.Start(hosts);
        var withIm = Site.Im("ext01");
        await site.Apply(withIm);
        site.AssertIs(withIm);

        var moved = withIm.Im("ext02");
        var up = await site.Apply(moved);

        site.AssertIs(moved);
        var changes = up.Changes.ToList();
        Assert.True(changes.IndexOf("delete-replaced im-install") < changes.IndexOf("delete-replaced im-trust"), up.ToString());
    }

    private static void AssertNothingChanged(SimulatedSite site, IReadOnlyDictionary<string, string> before, int calls)
    {
        Assert.Empty(site.TouchedSince(before));
        Assert.Equal(calls, site.GuideCalls().Length);
        site.AssertIs(Site);
    }
}
