using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// Drain before anything that drops calls (issue #10), applied as `pulumi up` would apply it on the simulated site:
/// a removed media server with open sessions is disabled in the portal and awaited before extend.sh rm runs; a rolling
/// upgrade takes the media servers one at a time. The fake portal logs each server update, status read and destroy
/// with whether the server was deployed (pbx01's stand-in extend.sh inventory) at that moment.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class DrainTransitionTests(SimulatedHosts hosts)
{
    private static readonly SiteConfig TwoMedia = SiteConfig.Empty
        .Media("media-server-1", "media1", "203.0.113.21")
        .Media("media-server-2", "im1", "203.0.113.25");

    private static string[] EventsOf(SimulatedSite site, string name) =>
        site.Portal.Events().Where(e => e.Contains($" {name} ", StringComparison.Ordinal)).ToArray();

    [SkippableFact]
    public async Task Removing_a_media_server_with_sessions_drains_it_before_extend_sh_rm()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(TwoMedia);
        site.Portal.Sessions("media", "media-server-2", 4, 2, 0);
        var calls = site.GuideCalls().Length;

        var removed = TwoMedia.Without("media-server-2");
        var up = await site.Apply(removed);

        site.AssertIs(removed);
        Assert.Equal([$"extend.sh rm -s media-server-only -a {hosts.Ip("im1")}"], site.GuideCalls()[calls..]);
        // Disabled while it still ran, its sessions read down to 0, all before extend.sh rm took it away; then unregistered.
        Assert.Equal(
        [
            "update media media-server-2 enabled=false deployed=yes",
            "status media media-server-2 current_concurrency=4 deployed=yes",
            "status media media-server-2 current_concurrency=2 deployed=yes",
            "status media media-server-2 current_concurrency=0 deployed=yes",
            "destroy media media-server-2 deployed=no",
        ], EventsOf(site, "media-server-2").SkipWhile(e => !e.StartsWith("update media media-server-2 enabled=false", StringComparison.Ordinal)));
        var install = up.Ran.Single(r => r.Step.ToString() == "delete media-server-2-install");
        Assert.Contains("media-server-2: 4 sessions left, ", install.Result!.Stdout);
        Assert.DoesNotContain(EventsOf(site, "media-server-1"), e => e.Contains("enabled=false", StringComparison.Ordinal));
    }

    // state: stopped drops the server's calls as a removal does: drained first; started again, it is enabled again.
    [SkippableFact]
    public async Task Stopping_a_media_server_drains_it_before_extend_sh_stop_and_starting_it_enables_it_again()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(TwoMedia);
        site.Portal.Sessions("media", "media-server-2", 3, 0);
        var calls = site.GuideCalls().Length;
        var ip = hosts.Ip("im1");

        var stopped = TwoMedia.Change("media-server-2", s => s with { State = "stopped" });
        await site.Apply(stopped);

        Assert.Equal([$"extend.sh stop -s media-server-only -a {ip}"], site.GuideCalls()[calls..]);
        Assert.Equal(
        [
            "update media media-server-2 enabled=false deployed=yes",
            "status media media-server-2 current_concurrency=3 deployed=yes",
            "status media media-server-2 current_concurrency=0 deployed=yes",
        ], EventsOf(site, "media-server-2").SkipWhile(e => !e.StartsWith("update media media-server-2 enabled=false", StringComparison.Ordinal)));
        Assert.Contains($"media media-server-2 {ip} disabled", site.Registered());

        var started = await site.Apply(TwoMedia);
        Assert.Equal([$"extend.sh stop -s media-server-only -a {ip}", $"extend.sh start -s media-server-only -a {ip}"], site.GuideCalls()[calls..]);
        Assert.DoesNotContain($"media media-server-2 {ip} disabled", site.Registered());
        Assert.DoesNotContain(EventsOf(site, "media-server-1"), e => e.Contains("enabled=false", StringComparison.Ordinal));
    }

    // A stop whose drain times out (drainTimeoutAction fail) stops nothing and puts the server back in service.
    [SkippableFact]
    public async Task A_stop_whose_drain_times_out_stops_nothing_and_leaves_the_server_in_service()
    {
        using var site = SimulatedSite.Start(hosts);
        var guides = TwoMedia.With("drainTimeoutSeconds", "1");
        await site.Apply(guides);
        site.Portal.Sessions("media", "media-server-2", 3);
        var calls = site.GuideCalls().Length;
        var ip = hosts.Ip("im1");

        var up = await site.Up(guides.Change("media-server-2", s => s with { State = "stopped" }));

        Assert.Equal("update media-server-2-state", up.Failed?.Step.ToString());
        Assert.Contains("3 sessions still open after 1 s of draining", up.FailureMessage);
        Assert.Contains("it takes new sessions again, nothing was run", up.FailureMessage);
        Assert.Equal(calls, site.GuideCalls().Length);
        Assert.Contains($"media media-server-2 {ip} enabled", site.Registered());
        Assert.Contains("update media media-server-2 enabled=false deployed=yes", EventsOf(site, "media-server-2"));

        // Back to running: the state step's inputs are those of its last success, nothing runs, and it keeps serving.
        await site.Apply(guides);
        Assert.Equal(calls, site.GuideCalls().Length);
        Assert.Contains($"media media-server-2 {ip} enabled", site.Registered());
    }

    [SkippableFact]
    public async Task A_drain_that_times_out_with_fail_removes_nothing_and_names_the_open_sessions()
    {
        using var site = SimulatedSite.Start(hosts);
        var guides = TwoMedia.With("drainTimeoutSeconds", "1");
        await site.Apply(guides);
        site.Portal.Sessions("media", "media-server-2", 3);
        var calls = site.GuideCalls().Length;

        var up = await site.Up(guides.Without("media-server-2"));

        Assert.Equal("delete media-server-2-install", up.Failed?.Step.ToString());
        Assert.Contains("media-server-2: 3 sessions still open after 1 s of draining; stopped, nothing removed or restarted", up.FailureMessage);
        Assert.Equal(calls, site.GuideCalls().Length);
        Assert.Contains($"media-server-only media-server-2 {hosts.Ip("im1")}", site.ExtendInventory());
        Assert.Contains($"media media-server-2 {hosts.Ip("im1")} disabled", site.Registered());
    }

    [SkippableFact]
    public async Task A_rolling_upgrade_takes_the_media_servers_one_at_a_time_each_drained_and_enabled_again()
    {
        using var site = SimulatedSite.Start(hosts);
        var rolling = TwoMedia.With("upgradeStrategy", """{"media":"rolling"}""");
        await site.Apply(rolling);
        site.Portal.Sessions("media", "media-server-1", 2, 0);
        var calls = site.GuideCalls().Length;
        var events = site.Portal.Events().Length;

        var upgraded = rolling.WithPbxImage("portsip/pbx:22.4");
        var up = await site.Apply(upgraded);

        site.AssertIs(upgraded);
        Assert.Equal(
        [
            "update.sh portsip/pbx:22.4",
            $"extend.sh rm -s media-server-only -a {hosts.Ip("media1")}",
            $"extend.sh run -s media-server-only -n media-server-1 -a {hosts.Ip("media1")}",
            $"extend.sh rm -s media-server-only -a {hosts.Ip("im1")}",
            $"extend.sh run -s media-server-only -n media-server-2 -a {hosts.Ip("im1")}",
        ], site.GuideCalls()[calls..]);
        Assert.Equal(["update pbx-ha-upgrade", "update media-servers-upgrade"], up.Changes);
        // media-server-1 is back and enabled before media-server-2 is disabled: one server out at a time.
        var toggles = site.Portal.Events().Skip(events).Where(e => e.StartsWith("update media ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
        [
            "update media media-server-1 enabled=false deployed=yes",
            "update media media-server-1 enabled=true deployed=yes",
            "update media media-server-2 enabled=false deployed=yes",
            "update media media-server-2 enabled=true deployed=yes",
        ], toggles);

        // Applying it again changes nothing.
        Assert.Empty((await site.Apply(upgraded)).Changes);
        Assert.Equal(calls + 5, site.GuideCalls().Length);
    }

    [SkippableFact]
    public async Task A_rolling_upgrade_stops_at_the_first_server_that_does_not_come_back_and_a_rerun_converges()
    {
        using var site = SimulatedSite.Start(hosts);
        var rolling = TwoMedia.With("upgradeStrategy", """{"media":"rolling"}""");
        await site.Apply(rolling);
        var calls = site.GuideCalls().Length;
        // The reinstall of media-server-1 breaks half-way (the stand-in's fail-once).
        Assert.Equal(0, hosts.OnPbx01("touch \"$HOME/.standin/fail-once\"").ExitCode);

        var upgraded = rolling.WithPbxImage("portsip/pbx:22.4");
        var failed = await site.Up(upgraded);

        Assert.Equal("update media-servers-upgrade", failed.Failed?.Step.ToString());
        Assert.DoesNotContain(site.GuideCalls()[calls..], c => c.Contains(hosts.Ip("im1"), StringComparison.Ordinal));

        var up = await site.Apply(upgraded);

        site.AssertIs(upgraded);
        var after = site.GuideCalls()[calls..];
        Assert.Equal($"extend.sh run -s media-server-only -n media-server-2 -a {hosts.Ip("im1")}", after[^1]);
        Assert.Equal(1, after.Count(c => c == $"extend.sh rm -s media-server-only -a {hosts.Ip("im1")}"));
        Assert.Contains("update media-servers-upgrade", up.Changes);
    }
}
