using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// The guides' host preparation, as resources: pbx01's key authorized on each new server (ssh-copy-id), then a
/// preflight of every host requirement, then the install.
/// </summary>
public class HostPreparationStepsTests
{
    private static bool After(IReadOnlyDictionary<string, DeclaredOptions> options, string name, string first) =>
        options[name].DependsOn.Any(d => d == first || After(options, d, first));

    /// <summary>The server's preflight script: its values, after checking that it runs preflight.sh with the probe.</summary>
    private static ScriptText Preflight(RunResult run, string server)
    {
        var script = ScriptText.Parse(run.Named($"{server}-preflight").Input("create")!);
        Assert.True(script.IsFiles("ssh-from-pbx01.sh", "preflight.sh"));
        Assert.Equal(RemoteFiles.Text("preflight-probe.sh"), script["probe"]);
        Assert.Equal(("90", "5"), (script["disk_allowance_percent"], script["max_clock_skew_seconds"]));
        return script;
    }

    [Theory]
    [InlineData("media-server-1")]
    [InlineData("ivr-server-1")]
    [InlineData("im")]
    [InlineData("sbc2")]
    [InlineData("dataflow")]
    public async Task Trust_then_preflight_then_install(string server)
    {
        var options = await OptionsRecorder.Record(Sites.Prod());
        Assert.Equal([$"{server}-trust"], options[$"{server}-preflight"].DependsOn);
        Assert.True(After(options, $"{server}-install", $"{server}-preflight"));
        Assert.True(After(options, $"{server}-trust", "pbx-ha-upgrade"));
        Assert.True(options[$"{server}-trust"].StdinIsSecret);
    }

    [Fact]
    public async Task The_shared_password_reaches_the_trust_step_on_stdin_only()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        var trust = run.Named("queue-server-1-trust");
        Assert.Equal(PulumiRun.FakeServerPassword + "\n", trust.Input("stdin"));
        var create = ScriptText.Parse(trust.Input("create")!);
        Assert.True(create.IsFiles("ssh-from-pbx01.sh", "key-file.sh", "trust.sh"));
        Assert.Equal(("pbx", "192.168.1.22", ""), (create["user"], create["ip"], create["pinned"]));
        Assert.Equal(RemoteFiles.Text("askpass.sh"), create["askpass"]);
        var delete = ScriptText.Parse(trust.Input("delete")!);
        Assert.True(delete.IsFiles("ssh-from-pbx01.sh", "untrust.sh"));
        Assert.Equal(("pbx", "192.168.1.22"), (delete["user"], delete["ip"]));
    }

    [Fact]
    public async Task A_media_server_that_records_calls_needs_256_GB()
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("mediaServers",
            """[{"name":"media-server-1","privateIp":"192.168.1.21","publicIp":"104.101.137.60","recordsCalls":true}]"""));
        var media = Preflight(run, "media-server-1");
        Assert.Equal(("media-server-1 (192.168.1.21)", "192.168.1.21", "256", ""), (media["label"], media["ip"], media["min_gb"], media["warn_only"]));
        var queue = Preflight(run, "queue-server-1");
        Assert.Equal(("queue-server-1 (192.168.1.22)", "192.168.1.22", "128", ""), (queue["label"], queue["ip"], queue["min_gb"], queue["warn_only"]));
    }

    [Fact]
    public async Task A_site_can_downgrade_named_checks_to_warnings()
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("preflightWarnOnly", """["clock","dns-dhcp"]"""));
        var im = Preflight(run, "im");
        Assert.Equal(("IM service (192.168.1.25)", "pbx", "128", "clock dns-dhcp"), (im["label"], im["user"], im["min_gb"], im["warn_only"]));
    }

    [Fact]
    public async Task A_listed_host_key_is_pinned_by_the_trust_step()
    {
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPQueueServerHostKeyForTestsOnly000000000000";
        var run = await PulumiRun.Stack(Sites.ProdWith("queueServers", $$"""[{"name":"queue-server-1","privateIp":"192.168.1.22","hostKey":"{{key}}"}]"""));
        var trust = ScriptText.Parse(run.Named("queue-server-1-trust").Input("create")!);
        Assert.Equal(key, trust["pinned"]);
        Assert.True(trust.IsFiles("ssh-from-pbx01.sh", "key-file.sh", "trust.sh"));
    }

    [Fact]
    public async Task Pinning_a_servers_host_key_updates_pbx01s_known_hosts_without_untrusting_it()
    {
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPQueueServerHostKeyForTestsOnly000000000000";
        var before = await PulumiRun.Stack(Sites.Prod());
        var after = await PulumiRun.Stack(Sites.ProdWith("queueServers", $$"""[{"name":"queue-server-1","privateIp":"192.168.1.22","hostKey":"{{key}}"}]"""));

        var changed = after.Declared.Where(r => before.Declared.Single(b => b.Urn == r.Urn).InputsText() != r.InputsText())
            .Select(r => r.Name).ToList();
        // The trust step re-pins; the preflight is made again (a check with the new key, nothing to undo); nothing else runs.
        Assert.Equal(["queue-server-1-trust", "queue-server-1-preflight"], changed);
        var trust = after.Named("queue-server-1-trust");
        // An update, not a replacement: the triggers stay; the changed create (no update set: Pulumi runs create) pins the new key.
        static string[] Triggers(object list) => [.. ((IEnumerable<object>)list).Select(t => (string)t)];
        Assert.Equal(["192.168.1.22"], Triggers(before.Named("queue-server-1-trust").Inputs["triggers"]));
        Assert.Equal(["192.168.1.22"], Triggers(trust.Inputs["triggers"]));
        Assert.Equal(key, ScriptText.Parse(trust.Input("create")!)["pinned"]);
    }

    [Fact]
    public async Task Preflight_runs_again_when_the_checks_change_and_nothing_else_does()
    {
        var before = await PulumiRun.Stack(Sites.Prod());
        var after = await PulumiRun.Stack(Sites.ProdWith("preflightWarnOnly", """["disk"]"""));
        var changed = after.Declared.Where(r => before.Declared.Single(b => b.Urn == r.Urn).InputsText() != r.InputsText())
            .Select(r => r.Name).ToList();
        Assert.NotEmpty(changed);
        Assert.All(changed, name => Assert.EndsWith("-preflight", name));
        Assert.Equal(9, changed.Count); // 4 extended servers, the IM service, 3 SBC servers, Data Flow
    }

    [Fact]
    public void Unpinned_host_keys_are_warned_about_in_the_preview()
    {
        var site = SiteValidator.Validate(new StackConfig
        {
            Pbx01 = "192.168.1.131",
            VirtualIp = "192.168.1.130",
            QueueServers = [new ServerConfig { Name = "q1", PrivateIp = "192.168.1.22" }],
            IvrServers = [new ServerConfig { Name = "i1", PrivateIp = "192.168.1.24", HostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIvrServerHostKeyForTestsOnly000000000000000" }],
            TrustPbx01OnFirstUse = true,
        }).Topology!;
        var warnings = HostKeyWarnings.For(site);
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("pbx01 (192.168.1.131): its SSH host key is not pinned", warnings[0]);
        Assert.StartsWith("1 server(s) without a pinned host key: q1 (192.168.1.22).", warnings[1]);
    }
}
