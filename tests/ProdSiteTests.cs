using System.Collections.Immutable;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>The guides' own site (Pulumi.prod.yaml), loaded as Pulumi loads it, declares exactly the guides' steps.</summary>
public class ProdSiteTests
{
    private const string Guide = "cd /opt/portsip-pbx-ha-guide/ && /bin/bash ";

    private static Task<RunResult> Prod() => PulumiRun.Stack(Sites.Prod());

    private static string[] NamesOf(RunResult run, string type) => run.OfType(type).Select(r => r.Name).Order().ToArray();

    [Fact]
    public async Task One_component_per_server_and_service()
    {
        var run = await Prod();
        Assert.Equal(["site"], NamesOf(run, "portsip:cluster:Site"));
        Assert.Equal(["pbx-ha"], NamesOf(run, "portsip:cluster:PbxHaCluster"));
        Assert.Equal(["media-server-1"], NamesOf(run, "portsip:cluster:MediaServer"));
        Assert.Equal(["queue-server-1"], NamesOf(run, "portsip:cluster:QueueServer"));
        Assert.Equal(["meeting-server-1"], NamesOf(run, "portsip:cluster:MeetingServer"));
        Assert.Equal(["ivr-server-1"], NamesOf(run, "portsip:cluster:IvrServer"));
        Assert.Equal(["im"], NamesOf(run, "portsip:cluster:ImService"));
        Assert.Equal(["sbc"], NamesOf(run, "portsip:cluster:SbcCluster"));
        Assert.Equal(["sbc1", "sbc2", "sbc3"], NamesOf(run, "portsip:cluster:SbcServer"));
        Assert.Equal(["dataflow"], NamesOf(run, "portsip:cluster:DataFlowService"));
    }

    [Fact]
    public async Task Exactly_the_guides_commands_and_nothing_else()
    {
        var run = await Prod();
        Assert.Equal(
        [
            "dataflow-claim", "dataflow-install", "dataflow-preflight", "dataflow-restart", "dataflow-state", "dataflow-trust", "dataflow-whitelist",
            "im-claim", "im-install", "im-preflight", "im-restart", "im-state", "im-token", "im-trust", "im-whitelist",
            "ivr-default-server", "ivr-server-1-claim", "ivr-server-1-install", "ivr-server-1-online", "ivr-server-1-preflight", "ivr-server-1-register", "ivr-server-1-restart", "ivr-server-1-state", "ivr-server-1-trust", "ivr-servers-upgrade",
            "media-default-server", "media-server-1-claim", "media-server-1-install", "media-server-1-online", "media-server-1-preflight", "media-server-1-register", "media-server-1-restart", "media-server-1-state", "media-server-1-trust", "media-servers-upgrade",
            "meeting-default-server", "meeting-server-1-claim", "meeting-server-1-install", "meeting-server-1-online", "meeting-server-1-preflight", "meeting-server-1-register", "meeting-server-1-restart", "meeting-server-1-state", "meeting-server-1-trust", "meeting-servers-upgrade",
            "pbx-ha-upgrade",
            "queue-default-server", "queue-server-1-claim", "queue-server-1-install", "queue-server-1-online", "queue-server-1-preflight", "queue-server-1-register", "queue-server-1-restart", "queue-server-1-state", "queue-server-1-trust", "queue-servers-upgrade",
            "sbc-token", "sbc1-claim", "sbc1-install", "sbc1-preflight", "sbc1-restart", "sbc1-state", "sbc1-trust", "sbc2-claim", "sbc2-install", "sbc2-preflight", "sbc2-restart", "sbc2-state", "sbc2-trust", "sbc3-claim", "sbc3-install", "sbc3-preflight", "sbc3-restart", "sbc3-state", "sbc3-trust",
            "site-owner", "web-portal-helper-folder",
        ], run.Commands.Select(c => c.Name).Order().ToArray());
        Assert.Equal(["web-portal-helper"], run.OfType("command:remote:CopyToRemote").Select(c => c.Name));
        Assert.Equal(
            ["command:remote:Command", "command:remote:CopyToRemote", "portsip:cluster:DataFlowService", "portsip:cluster:ImService",
             "portsip:cluster:IvrServer", "portsip:cluster:MediaServer", "portsip:cluster:MeetingServer", "portsip:cluster:PbxHaCluster",
             "portsip:cluster:QueueServer", "portsip:cluster:SbcCluster", "portsip:cluster:SbcServer", "portsip:cluster:Site",
             "portsip:cluster:SiteOwner", "portsip:cluster:WebPortal", "random:index/randomUuid:RandomUuid"],
            run.Declared.Select(r => r.Type).Distinct().Order().ToArray());
        Assert.Equal(77 + 1 + 14 + 1, run.Declared.Count); // 77 commands, the helper upload, 14 components, the site id
        Assert.Equal(run.Declared.Count, run.Declared.Select(r => r.Urn).Distinct().Count());
    }

    [Theory]
    [InlineData("media-server-1-install", "extend.sh run -s media-server-only -n media-server-1 -a 192.168.1.21", "extend.sh rm -s media-server-only -a 192.168.1.21")]
    [InlineData("queue-server-1-install", "extend.sh run -s queue-server-only -n queue-server-1 -a 192.168.1.22", "extend.sh rm -s queue-server-only -a 192.168.1.22")]
    [InlineData("meeting-server-1-install", "extend.sh run -s meeting-server-only -n meeting-server-1 -a 192.168.1.23", "extend.sh rm -s meeting-server-only -a 192.168.1.23")]
    [InlineData("ivr-server-1-install", "extend.sh run -s ivr-server-only -n ivr-server-1 -a 192.168.1.24", "extend.sh rm -s ivr-server-only -a 192.168.1.24")]
    [InlineData("im-install", "im.sh run -a 192.168.1.25 -A 104.18.36.110", "im.sh rm")]
    [InlineData("sbc1-install", "sbc.sh run -a 192.168.1.11 -i portsip/sbc:11", "sbc.sh rm -a 192.168.1.11")]
    [InlineData("sbc3-install", "sbc.sh run -a 192.168.1.13 -i portsip/sbc:11", "sbc.sh rm -a 192.168.1.13")]
    [InlineData("dataflow-install", "dataflow.sh run -p /var/lib/portsip -a 192.168.1.26 -i portsip/pbx:22", "dataflow.sh rm")]
    public async Task Each_install_runs_the_guides_command_on_pbx01_and_its_delete_the_matching_rm(string command, string run, string rm)
    {
        var declared = (await Prod()).Named(command);
        var create = ScriptText.Parse(declared.Input("create")!);
        Assert.Equal(Guide + run, create["guide_command"]);
        Assert.True(create.IsFiles("guide-lock.sh", "run-guide.sh", "site-facts.sh", "install.sh"));
        var delete = ScriptText.Parse(declared.Input("delete")!);
        Assert.Equal(Guide + rm, delete["guide_command"]);
        Assert.True(delete.IsFiles("guide-lock.sh", "run-guide.sh", "remove.sh"));
    }

    [Theory]
    [InlineData("pbx-ha-upgrade", "update.sh portsip/pbx:22")]
    [InlineData("media-servers-upgrade", "extend.sh upgrade -s media-server-only")]
    [InlineData("queue-servers-upgrade", "extend.sh upgrade -s queue-server-only")]
    [InlineData("meeting-servers-upgrade", "extend.sh upgrade -s meeting-server-only")]
    [InlineData("ivr-servers-upgrade", "extend.sh upgrade -s ivr-server-only")]
    [InlineData("im-install", "im.sh upgrade")]
    [InlineData("sbc2-install", "sbc.sh upgrade -a 192.168.1.12 -i portsip/sbc:11")]
    [InlineData("dataflow-install", "dataflow.sh upgrade")]
    public async Task Upgrades_are_the_guides_commands_and_run_only_on_update(string command, string upgrade)
    {
        var declared = (await Prod()).Named(command);
        var update = ScriptText.Parse(declared.Input("update")!);
        Assert.Equal(Guide + upgrade, update["guide_command"]);
        Assert.True(update.IsFiles("guide-lock.sh", "run-guide.sh", "site-facts.sh", "upgrade.sh"));
        Assert.DoesNotContain(upgrade, declared.Input("create"));
    }

    [Fact]
    public async Task Every_command_logs_in_to_pbx01_never_to_the_virtual_IP()
    {
        var run = await Prod();
        foreach (var command in run.Commands.Concat(run.OfType("command:remote:CopyToRemote")))
        {
            var connection = (ImmutableDictionary<string, object>)command.Inputs["connection"];
            Assert.Equal("192.168.1.131", connection["host"]);
            Assert.Equal("pbx", connection["user"]);
            Assert.Equal(22.0, connection["port"]);
            Assert.Equal(PulumiRun.FakePrivateKey, connection["privateKey"]);
            Assert.Equal(PulumiRun.FakePbx01HostKey, connection["hostKey"]);
        }
    }

    [Fact]
    public async Task A_bastion_and_pinned_host_keys_reach_every_connection()
    {
        const string pbx01Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbx01HostKeyForTestsOnly0000000000000000000";
        const string bastionKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBastionHostKeyForTestsOnly00000000000000000";
        var config = Sites.ProdWith("pbx01HostKey", pbx01Key);
        config[Sites.P + "bastionHost"] = "jump.example.net";
        config[Sites.P + "bastionHostKey"] = bastionKey;
        var run = await PulumiRun.Stack(config);
        foreach (var command in run.Commands)
        {
            var connection = (ImmutableDictionary<string, object>)command.Inputs["connection"];
            Assert.Equal(pbx01Key, connection["hostKey"]);
            var proxy = (ImmutableDictionary<string, object>)connection["proxy"];
            Assert.Equal("jump.example.net", proxy["host"]);
            Assert.Equal("pbx", proxy["user"]);
            Assert.Equal(bastionKey, proxy["hostKey"]);
            Assert.Equal(PulumiRun.FakePrivateKey, proxy["privateKey"]);
        }
    }

    [Fact]
    public async Task Stack_outputs_give_the_inventory_and_the_portal()
    {
        var stack = (await Prod()).Stack;
        Assert.Equal("https://192.168.1.130:8887", await PulumiRun.OutputValue(stack.PortalUrl));
        Assert.Equal("https://104.18.36.119:8887", await PulumiRun.OutputValue(stack.PublicPortalUrl));
        Assert.Equal("192.168.1.131", await PulumiRun.OutputValue(stack.Pbx01Address));
        Assert.Equal(["https://72.247.113.11:8883", "https://72.247.113.12:8883", "https://72.247.113.13:8883"],
            (await PulumiRun.OutputValue(stack.SbcWebPortals)).ToArray());
        var inventory = await PulumiRun.OutputValue(stack.Inventory);
        var rows = inventory.Select(r => string.Join(" ", r["role"], r["name"], r["privateIp"], r.GetValueOrDefault("publicIp", "-"))).ToArray();
        Assert.Equal(
        [
            "pbx01 pbx01 192.168.1.131 -",
            "virtual-ip PBX HA virtual IP 192.168.1.130 104.18.36.119",
            "media media-server-1 192.168.1.21 104.101.137.60",
            "queue queue-server-1 192.168.1.22 -",
            "meeting meeting-server-1 192.168.1.23 -",
            "ivr ivr-server-1 192.168.1.24 -",
            "im IM service 192.168.1.25 104.18.36.110",
            "sbc sbc1 192.168.1.11 72.247.113.11",
            "sbc sbc2 192.168.1.12 72.247.113.12",
            "sbc sbc3 192.168.1.13 72.247.113.13",
            "dataflow Data Flow service 192.168.1.26 -",
        ], rows);
    }
}
