using System.Text.Json.Nodes;
using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// Run state as desired state (issue #10 item 1), applied as `pulumi up` applies it on the simulated site: a change
/// of <c>state</c> runs exactly the guide's <c>stop</c> or <c>start</c> of that one server, a raised <c>restart</c>
/// exactly one <c>restart</c>, and applying the same config again runs nothing.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class RunStateTransitionTests(SimulatedHosts hosts)
{
    private static readonly SiteConfig Guides = SiteConfig.Empty
        .Media("media-server-1", "media1", "203.0.113.21")
        .Queue("queue-server-1", "queue1");

    /// <summary>Applies <paramref name="config"/> and returns the guide commands it ran on pbx01.</summary>
    private static async Task<(string[] Calls, UpResult Up)> Apply(SimulatedSite site, SiteConfig config)
    {
        var before = site.GuideCalls().Length;
        var up = await site.Apply(config);
        return (site.GuideCalls()[before..], up);
    }

    [SkippableFact]
    public async Task An_extended_server_is_stopped_started_and_restarted_by_exactly_its_one_guide_command()
    {
        using var site = SimulatedSite.Start(hosts);
        var (first, created) = await Apply(site, Guides);
        Assert.DoesNotContain(first, c => c.Contains(" stop ") || c.Contains(" start ") || c.Contains(" restart "));
        Assert.Contains("create queue-server-1-state", created.Changes);
        var queue = hosts.Ip("queue1");

        var stopped = Guides.Change("queue-server-1", s => s with { State = "stopped" });
        var (calls, up) = await Apply(site, stopped);
        Assert.Equal([$"extend.sh stop -s queue-server-only -a {queue}"], calls);
        Assert.Equal($"stop queue-server-only ip={queue}", site.Actions("queue1")[^1]);
        Assert.Equal(["update queue-server-1-online", "update queue-server-1-state", "update queue-servers-upgrade"], up.Changes.Order());

        // Nothing to do the second time, whatever the step re-runs.
        Assert.Empty((await Apply(site, stopped)).Calls);

        var (started, again) = await Apply(site, Guides);
        Assert.Equal([$"extend.sh start -s queue-server-only -a {queue}"], started);
        var changes = again.Changes.ToList();
        // Started first, then waited on for ONLINE (the online step's create, with the REST helper, ran again).
        Assert.True(changes.IndexOf("update queue-server-1-state") < changes.IndexOf("update queue-server-1-online"), string.Join("\n", changes));
        Assert.Contains(again.Ran, r => r.Step.ToString() == "update queue-server-1-online" && r.Succeeded);

        var restarted = Guides.Change("queue-server-1", s => s with { Restart = 1 });
        var (restart, _) = await Apply(site, restarted);
        Assert.Equal([$"extend.sh restart -s queue-server-only -a {queue}"], restart);
        Assert.Empty((await Apply(site, restarted)).Calls);
        site.AssertIs(restarted);
    }

    [SkippableFact]
    public async Task One_SBC_server_is_stopped_started_and_restarted_by_exactly_its_one_guide_command()
    {
        using var site = SimulatedSite.Start(hosts);
        SiteConfig Sbc(string? state = null, int restart = 0)
        {
            var server = new JsonObject { ["name"] = "sbc1", ["privateIp"] = hosts.Ip("sbc1"), ["restart"] = restart };
            if (state is not null)
            {
                server["state"] = state;
            }
            return SiteConfig.Empty.With("sbc", new JsonObject { ["image"] = "portsip/sbc:11", ["servers"] = new JsonArray(server) }.ToJsonString());
        }
        var ip = hosts.Ip("sbc1");
        await Apply(site, Sbc());
        Assert.Equal([$"sbc.sh stop -a {ip}"], (await Apply(site, Sbc("stopped"))).Calls);
        Assert.Equal([$"sbc.sh start -a {ip}"], (await Apply(site, Sbc("running"))).Calls);
        Assert.Equal([$"sbc.sh restart -a {ip}"], (await Apply(site, Sbc("running", 1))).Calls);
        Assert.Equal(["stop", "start", "restart"], site.Actions("sbc1").Skip(1).Select(a => a.Split(' ')[0]));
    }

    [SkippableFact]
    public async Task The_IM_service_is_stopped_started_and_restarted_by_exactly_its_one_guide_command()
    {
        using var site = SimulatedSite.Start(hosts);
        SiteConfig Im(string state = "running", int restart = 0) => SiteConfig.Empty.With("im", new JsonObject
        {
            ["privateIp"] = hosts.Ip("im1"), ["publicIp"] = SiteConfig.ImPublicIp, ["protect"] = false, ["state"] = state, ["restart"] = restart,
        }.ToJsonString());
        await Apply(site, Im());
        Assert.Equal(["im.sh stop"], (await Apply(site, Im("stopped"))).Calls);
        Assert.Equal(["im.sh start"], (await Apply(site, Im())).Calls);
        Assert.Equal(["im.sh restart"], (await Apply(site, Im(restart: 1))).Calls);
        Assert.Empty((await Apply(site, Im(restart: 1))).Calls);
    }
}
