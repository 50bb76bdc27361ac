using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// drainTimeoutSeconds, drainTimeoutAction and upgradeStrategy: reading, validation (each error names its key path and
/// value), and what the program renders from them (the drain before extend.sh rm, the rolling upgrade step).
/// </summary>
public sealed class DrainConfigTests
{
    private static SiteValidator.Result Validate(params (string Key, string Value)[] values) =>
        SiteValidator.Validate(StackConfigReader.Read(
            new Dictionary<string, string> { ["pbx01"] = "192.168.1.131", ["virtualIp"] = "192.168.1.130" }
                .Concat(values.Select(v => KeyValuePair.Create(v.Key, v.Value))).ToDictionary()));

    private static string[] Errors(params (string Key, string Value)[] values) => Validate(values).Errors.Select(e => e.ToString()).ToArray();

    private const string TwoMedia = """[{"name":"media-server-1","privateIp":"192.168.1.21","internetFacing":false,"maxSessions":3000},"""
        + """{"name":"media-server-2","privateIp":"192.168.1.22","internetFacing":false,"maxSessions":2000,"drainTimeoutSeconds":120}]""";

    [Fact]
    public void The_defaults_are_600_seconds_fail_and_the_guides_role_upgrade()
    {
        var site = Validate(("mediaServers", TwoMedia)).Topology!;

        Assert.Equal(600, site.Drain.TimeoutSeconds);
        Assert.Equal(DrainTimeoutAction.Fail, site.Drain.OnTimeout);
        Assert.All(ServerRoles.All, r => Assert.Equal(UpgradeStrategy.Role, site.Drain.StrategyOf(r)));
    }

    [Fact]
    public void A_servers_own_timeout_comes_before_the_sites()
    {
        var site = Validate(("mediaServers", TwoMedia), ("drainTimeoutSeconds", "900"), ("drainTimeoutAction", "proceed")).Topology!;

        Assert.Equal([900, 120], site.ExtendedServers.Select(site.Drain.TimeoutFor));
        Assert.Equal(DrainTimeoutAction.Proceed, site.Drain.OnTimeout);
    }

    [Theory]
    [InlineData("drainTimeoutSeconds", "-1", "drainTimeoutSeconds: -1 is not a number of seconds from 0 to 86400 (0: disable the server and check its sessions once)")]
    [InlineData("drainTimeoutSeconds", "86401", "drainTimeoutSeconds: 86401 is not a number of seconds from 0 to 86400 (0: disable the server and check its sessions once)")]
    [InlineData("drainTimeoutSeconds", "10m", "drainTimeoutSeconds: '10m' is not a whole number; give a number of seconds from 0 to 86400 (0: disable the server and check its sessions once)")]
    [InlineData("drainTimeoutAction", "wait", "drainTimeoutAction: 'wait' is not proceed or fail (fail: stop, naming the server and its open sessions; proceed: cut them and go on)")]
    [InlineData("drainTimeoutAction", "", "drainTimeoutAction: is empty; give a value, or remove the key to use the default 'fail'")]
    [InlineData("upgradeStrategy", """{"media":"one-by-one"}""", "upgradeStrategy.media: 'one-by-one' is not role or rolling (role: extend.sh upgrade -s media-server-only, every server at once; rolling: one server at a time, drained first)")]
    [InlineData("upgradeStrategy", """{"medias":"rolling"}""", "upgradeStrategy.medias: is not a field of the upgrade strategy of each role (value 'rolling'); the fields are media, queue, meeting, ivr; did you mean media?")]
    [InlineData("upgradeStrategy", "rolling", "upgradeStrategy: 'rolling' is not an object (YAML: one 'field: value' line per field)")]
    public void A_bad_value_is_an_error_naming_its_key_and_value(string key, string value, string error) =>
        Assert.Contains(error, Errors((key, value)));

    [Fact]
    public void A_servers_own_bad_timeout_names_its_path()
    {
        var errors = Errors(("queueServers", """[{"name":"queue-server-1","privateIp":"192.168.1.22","drainTimeoutSeconds":-5}]"""));

        Assert.Equal(["queueServers[0].drainTimeoutSeconds: -5 is not a number of seconds from 0 to 86400 (0: disable the server and check its sessions once)"], errors);
    }

    [Fact]
    public void Rolling_needs_two_servers_of_the_role()
    {
        var errors = Errors(("ivrServers", """[{"name":"ivr-server-1","privateIp":"192.168.1.24"}]"""), ("upgradeStrategy", """{"ivr":"rolling"}"""));

        Assert.Equal(["upgradeStrategy.ivr: 'rolling' needs two IVR Servers or more, so that the others carry the calls while one is upgraded; "
            + "ivrServers has only ivr-server-1; use role (its calls are cut during the upgrade) or add a server"], errors);
    }

    [Fact]
    public void Rolling_is_refused_when_the_other_media_servers_cannot_carry_the_target_meanwhile()
    {
        var site = Validate(("mediaServers", TwoMedia), ("upgradeStrategy", """{"media":"rolling"}""")).Topology!;

        Assert.Empty(DrainRules.RollingProblems(site, null));
        Assert.Empty(DrainRules.RollingProblems(site, 2000));
        var error = Assert.Single(DrainRules.RollingProblems(site, 2001));
        Assert.Equal("upgradeStrategy.media: 'rolling' cannot keep 2,001 concurrent calls (capacity.targetConcurrentCalls): while media-server-1 is "
            + "upgraded, the other media servers carry 2,000 (the sum of their maxSessions); add a media server, raise maxSessions, or use role "
            + "(every call on the role is cut during the upgrade)", error.ToString());
        var servers = site.ServersOf(ServerRole.Media).ToList();
        var refused = Assert.Throws<InvalidOperationException>(() => RollingUpgrade.Step("/opt/g", ServerRole.Media, "portsip/pbx:23", servers, site.Drain, 900, 2001));
        Assert.StartsWith("upgradeStrategy.media: 'rolling' cannot keep 2,001", refused.Message);
    }

    [Fact]
    public void The_drain_line_carries_role_name_address_timeout_and_action()
    {
        Assert.Equal("python3 \"$HOME/.portsip-infra/portsip_api.py\" drain --kind media --name media-server-1 --private-ip 192.168.1.21"
            + " --timeout 600 --interval 5 --on-timeout fail",
            DrainCommands.Drain(ServerRole.Media, "media-server-1", 600, DrainTimeoutAction.Fail, "192.168.1.21"));
        Assert.Equal("python3 \"$HOME/.portsip-infra/portsip_api.py\" drain --kind queue --name queue-server-1 --timeout 1 --interval 5 --on-timeout proceed",
            DrainCommands.Drain(ServerRole.Queue, "queue-server-1", 0, DrainTimeoutAction.Proceed));
        Assert.Equal("python3 \"$HOME/.portsip-infra/portsip_api.py\" enable --kind ivr --name ivr-server-1 --private-ip 192.168.1.24",
            DrainCommands.Enable(ServerRole.Ivr, "ivr-server-1", "192.168.1.24"));
    }

    [Fact]
    public void The_removal_drains_before_extend_sh_rm_and_IM_SBC_Data_Flow_removals_do_not()
    {
        var site = Validate(("mediaServers", TwoMedia)).Topology!;
        var server = site.ExtendedServers[1];

        var remove = ScriptText.Parse(ServerScripts.ExtendedServer("/opt/g", server, drain: DrainCommands.Drain(server, site.Drain)).Delete!);

        Assert.Equal(DrainCommands.Drain(ServerRole.Media, "media-server-2", 120, DrainTimeoutAction.Fail, "192.168.1.22"), remove["drain_command"]);
        Assert.True(remove.IsFiles("guide-lock.sh", "run-guide.sh", "remove.sh"));
        var body = RemoteFiles.Text("remove.sh");
        Assert.True(body.IndexOf("sh -c \"$drain_command\"", StringComparison.Ordinal) < body.IndexOf("\nrun_guide", StringComparison.Ordinal));
        var sbc = ServerScripts.Sbc("/opt/g", new SbcServerSettings("sbc1", "10.0.0.11", null), new SbcSettings("portsip/sbc:11", false, [])).Delete!;
        Assert.False(ScriptText.Parse(sbc).Values.ContainsKey("drain_command"));
    }

    [Fact]
    public async Task Every_extended_servers_install_step_drains_it_on_delete_with_the_portal_connection_on_stdin()
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("drainTimeoutSeconds", "300"));

        var installs = run.Commands.Where(c => c.Name.EndsWith("-install", StringComparison.Ordinal) && c.Name.Contains("-server-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(installs);
        Assert.All(installs, c =>
        {
            var drain = ScriptText.Parse(c.Input("delete")!)["drain_command"];
            Assert.Contains($" drain --kind ", drain);
            Assert.Contains(" --timeout 300 ", drain);
            Assert.NotNull(c.Inputs.GetValueOrDefault("stdin"));
        });
    }

    [Fact]
    public async Task A_rolling_role_gets_the_rolling_upgrade_step_and_the_others_keep_the_guides_upgrade()
    {
        var config = Sites.MinimalWith("mediaServers", TwoMedia);
        config[Sites.P + "queueServers"] = """[{"name":"queue-server-1","privateIp":"192.168.1.23"}]""";
        config[Sites.P + "upgradeStrategy"] = """{"media":"rolling"}""";
        var run = await PulumiRun.Stack(config);

        var media = ScriptText.Parse(run.Commands.Single(c => c.Name == "media-servers-upgrade").Input("update")!);
        Assert.True(media.IsFiles("guide-lock.sh", "run-guide.sh", "site-facts.sh", "rolling-upgrade.sh"));
        Assert.Equal("2", media["server_count"]);
        Assert.Equal("media-server-1", media["server_1_name"]);
        Assert.Equal("media-server-2", media["server_2_name"]);
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash extend.sh rm -s media-server-only -a 192.168.1.21", media["server_1_remove"]);
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash extend.sh run -s media-server-only -n media-server-2 -a 192.168.1.22", media["server_2_run"]);
        Assert.Contains(" --timeout 120 ", media["server_2_drain"]);
        Assert.DoesNotContain("extend.sh upgrade", media.Values["guide_command"]);
        var queue = ScriptText.Parse(run.Commands.Single(c => c.Name == "queue-servers-upgrade").Input("update")!);
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash extend.sh upgrade -s queue-server-only", queue["guide_command"]);
    }

    [Fact]
    public void The_preview_warns_that_a_role_upgrade_cuts_the_calls_of_the_role()
    {
        var site = Validate(("mediaServers", TwoMedia), ("queueServers", """[{"name":"queue-server-1","privateIp":"192.168.1.23"}]""")).Topology!;

        Assert.Equal(
        [
            "upgradeStrategy.media is role: when pbxImage changes, extend.sh upgrade -s media-server-only restarts every Media Server at once "
                + "(media-server-1, media-server-2) and the calls on them are cut; upgradeStrategy.media: rolling upgrades them one at a time, each drained first",
            "upgradeStrategy.queue is role: when pbxImage changes, extend.sh upgrade -s queue-server-only restarts every Queue Server at once "
                + "(queue-server-1) and the calls on it are cut",
        ], UpgradeWarnings.Of(site));
        var rolling = Validate(("mediaServers", TwoMedia), ("upgradeStrategy", """{"media":"rolling"}""")).Topology!;
        Assert.Empty(UpgradeWarnings.Of(rolling));
    }
}
