using System.Text.Json.Nodes;
using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// Install, upgrade and remove decide from what the site runs (res/vars.yml's pbx_image, the Web Portal's
/// servers and their status), pbx01's records in ~/.portsip-infra only a cache: a site built by hand is adopted,
/// a connection change with the records gone runs no guide script, update.sh runs only for a real image change.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class RealStateTransitionTests(SimulatedHosts hosts)
{
    private static readonly SiteConfig Guides = SiteConfig.Empty
        .Media("media-server-1", "media1", "203.0.113.21")
        .Queue("queue-server-1", "queue1")
        .Ivr("ivr-server-1", "dataflow1");

    private const string Vars = SimulatedHosts.GuideFolder + "/res/vars.yml";

    /// <summary>pbx01's records of what was installed and at which version, gone (pbx01 rebuilt, another SSH user).</summary>
    private void WipeRecords()
    {
        var wiped = hosts.OnPbx01("rm -rf \"$HOME/.portsip-infra/installed\" \"$HOME/.portsip-infra/versions\"");
        Assert.True(wiped.ExitCode == 0, wiped.ToString());
    }

    private string[] PbxUpdates(SimulatedSite site) => site.Actions("pbx01").Where(a => a.StartsWith("update pbx", StringComparison.Ordinal)).ToArray();

    /// <summary>The extended servers in the portal, built-in ones left out: "kind name ip".</summary>
    private static string[] Registered(SimulatedSite site) => ServerRoles.All
        .SelectMany(r => PortalOnPbx01.Servers(site.Portal.State(), r.Slug())
            .Where(s => (string?)s["type"] != "INTERNAL")
            .Select(s => $"{r.Slug()} {s["name"]} {s["private_ipv4"] ?? s["ipv4"]}"))
        .Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// What an operator does by hand with the guides for one server: ssh-copy-id and the host key from pbx01,
    /// `extend.sh run` on pbx01, the server added in the Web Portal.
    /// </summary>
    private void BuildByHand(SimulatedSite site, TestServer server)
    {
        var ip = hosts.Ip(server.Host);
        var keys = hosts.Home(server.Host, ".ssh/authorized_keys");
        File.AppendAllText(keys, hosts.Pbx01PublicKey + "\n");
        Assert.Equal(0, SimulatedHosts.Run("chown", [$"{SimulatedHosts.User}:{SimulatedHosts.User}", keys], null, TimeSpan.FromSeconds(10)).ExitCode);
        var known = hosts.OnPbx01($"printf '%s\\n' '{ip} {hosts.HostKey(server.Host)}' >> \"$HOME/.ssh/known_hosts\"");
        Assert.True(known.ExitCode == 0, known.ToString());
        var run = hosts.OnPbx01($"cd {SimulatedHosts.GuideFolder} && /bin/bash extend.sh run -s {server.Role.ScriptFilter()} -n {server.Name} -a {ip}");
        Assert.True(run.ExitCode == 0, run.ToString());
        var connection = new JsonObject
        {
            ["api_url"] = site.Portal.ApiUrl, ["username"] = site.Portal.AdminUser, ["password"] = site.Portal.AdminPassword, ["allow_http"] = true,
        }.ToJsonString();
        string[] register = ["register", "--kind", server.Role.Slug(), "--name", server.Name, "--private-ip", ip];
        if (server.PublicIp is not null)
        {
            register = [.. register, "--public-ip", server.PublicIp];
        }
        var added = SimulatedHosts.Run("ip", ["netns", "exec", PortalOnPbx01.Namespace, "python3", Portal.PortalHelper.Script, .. register],
            connection, TimeSpan.FromSeconds(30));
        Assert.True(added.ExitCode == 0, added.ToString());
    }

    [SkippableFact]
    public async Task A_site_built_by_hand_is_adopted_by_the_first_up_with_no_guide_script_and_no_duplicate()
    {
        using var site = SimulatedSite.Start(hosts);
        foreach (var server in Guides.Servers)
        {
            BuildByHand(site, server);
        }
        var byHand = site.GuideCalls();
        var registered = Registered(site);
        Assert.Equal(3, registered.Length);

        var up = await site.Apply(Guides);

        Assert.Equal(byHand, site.GuideCalls());
        Assert.Equal(registered, Registered(site));
        Assert.Empty(PbxUpdates(site));
        foreach (var server in Guides.Servers)
        {
            Assert.Single(site.Actions(server.Host), a => a.StartsWith("install ", StringComparison.Ordinal));
        }
        site.AssertIs(Guides);
        Assert.Contains("create media-server-1-install", up.Changes);

        // The next up has nothing to do.
        Assert.Empty((await site.Apply(Guides)).Changes);
        Assert.Equal(byHand, site.GuideCalls());
    }

    [SkippableFact]
    public async Task Pinning_pbx01s_host_key_with_the_records_gone_runs_no_guide_script()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Guides);
        var calls = site.GuideCalls();
        WipeRecords();

        // A new connection for every command (the host key pinned): each install and upgrade step is updated.
        var pinned = Guides.With("pbx01HostKey", hosts.HostKey("pbx01")).With("trustPbx01OnFirstUse", "false");
        var up = await site.Apply(pinned);

        Assert.Contains("update media-server-1-install", up.Changes);
        Assert.Contains("update pbx-ha-upgrade", up.Changes);
        Assert.Contains("update media-servers-upgrade", up.Changes);
        Assert.Equal(calls, site.GuideCalls());
        Assert.Empty(PbxUpdates(site));
        site.AssertIs(pinned);
        foreach (var server in Guides.Servers)
        {
            Assert.Single(site.Actions(server.Host), a => a.StartsWith("install ", StringComparison.Ordinal));
        }
        // The records are back: pbx01 adopted what runs.
        Assert.Equal("portsip/pbx:22", hosts.OnPbx01("cat \"$HOME/.portsip-infra/versions/pbx\"").Stdout.Trim());
        Assert.Equal("queue-server-1", hosts.OnPbx01($"cat \"$HOME/.portsip-infra/installed/queue-server-only@{hosts.Ip("queue1")}\"").Stdout.Trim());
    }

    [SkippableFact]
    public async Task A_real_image_change_with_the_records_gone_still_runs_update_sh_once_and_each_role_upgrade()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Guides);
        var calls = site.GuideCalls().Length;
        WipeRecords();

        var upgraded = Guides.WithPbxImage("portsip/pbx:22.4");
        await site.Apply(upgraded);

        Assert.Equal(
        [
            "update.sh portsip/pbx:22.4",
            "extend.sh upgrade -s media-server-only",
            "extend.sh upgrade -s queue-server-only",
            "extend.sh upgrade -s ivr-server-only",
        ], site.GuideCalls()[calls..]);
        Assert.Contains("pbx_image: portsip/pbx:22.4", hosts.OnPbx01($"cat {Vars}").Stdout);

        // The same config again, the records gone again: nothing runs.
        WipeRecords();
        await site.Apply(upgraded.With("pbx01HostKey", hosts.HostKey("pbx01")).With("trustPbx01OnFirstUse", "false"));
        Assert.Equal(calls + 4, site.GuideCalls().Length);
    }

    [SkippableFact]
    public async Task Update_sh_does_not_run_when_vars_yml_already_names_the_wanted_image()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Guides);
        // update.sh run by hand on pbx01.
        var byHand = hosts.OnPbx01($"cd {SimulatedHosts.GuideFolder} && /bin/bash update.sh portsip/pbx:22.4");
        Assert.True(byHand.ExitCode == 0, byHand.ToString());
        var calls = site.GuideCalls().Length;

        var up = await site.Apply(Guides.WithPbxImage("portsip/pbx:22.4"));

        Assert.Contains("update pbx-ha-upgrade", up.Changes);
        Assert.Single(PbxUpdates(site));
        // The roles are recorded at 22: the guide's role upgrades still run, once each.
        Assert.Equal(
        [
            "extend.sh upgrade -s media-server-only",
            "extend.sh upgrade -s queue-server-only",
            "extend.sh upgrade -s ivr-server-only",
        ], site.GuideCalls()[calls..]);
    }

    // The claim asks the Web Portal too: with pbx01's records gone, a swap is still refused before anything changes.
    [SkippableFact]
    public async Task With_the_records_gone_a_swap_of_two_servers_IPs_is_refused_from_what_the_portal_shows()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Guides);
        WipeRecords();
        var before = site.Snapshot();
        var calls = site.GuideCalls().Length;

        var up = await site.Up(Guides
            .Change("queue-server-1", s => s with { Host = "dataflow1" })
            .Change("ivr-server-1", s => s with { Host = "queue1" }));

        Assert.Equal("create-replacement queue-server-1-claim", up.Failed?.Step.ToString());
        Assert.Contains($"the Web Portal shows ivr-server-1 (ivr server) at {hosts.Ip("dataflow1")}", up.FailureMessage);
        Assert.Empty(site.TouchedSince(before));
        Assert.Equal(calls, site.GuideCalls().Length);
        Assert.Equal(
        [
            $"ivr ivr-server-1 {hosts.Ip("dataflow1")}",
            $"media media-server-1 {hosts.Ip("media1")}",
            $"queue queue-server-1 {hosts.Ip("queue1")}",
        ], Registered(site));
    }
}
