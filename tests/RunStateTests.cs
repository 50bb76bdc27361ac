using System.Collections.Immutable;
using System.Text.Json.Nodes;
using PortsipInfra.Components;
using PortsipInfra.Tests.Engine;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// Run state as desired state (issue #10 item 1): the <c>state</c> and <c>restart</c> rules, and under the mocked
/// engine the <c>NAME-state</c> and <c>NAME-restart</c> steps, their scripts and what they depend on.
/// </summary>
public class RunStateTests
{
    private static readonly StackConfig Base = new() { Pbx01 = "192.168.1.131", VirtualIp = "192.168.1.130" };

    private static IReadOnlyList<string> Errors(StackConfig config) =>
        [.. SiteValidator.Validate(config).Errors.Select(e => e.ToString())];

    // The rules.

    [Fact]
    public void State_and_restart_default_to_running_and_zero()
    {
        var site = SiteValidator.Validate(Base with { QueueServers = [new ServerConfig { Name = "q1", PrivateIp = "192.168.1.22" }] }).Topology!;
        Assert.Equal(RunState.Running, site.ExtendedServers.Single().Run);
    }

    [Theory]
    [InlineData("running", null, false, 0)]
    [InlineData("stopped", null, true, 0)]
    [InlineData("stopped", 3, true, 3)]
    [InlineData(null, 0, false, 0)]
    [InlineData(null, 1, false, 1)]
    public void Good_states_and_restarts_are_taken(string? state, int? restart, bool stopped, int count)
    {
        var config = Base with
        {
            MediaServers = [new MediaServerConfig { Name = "m1", PrivateIp = "192.168.1.21", InternetFacing = false, State = state, Restart = restart }],
            Im = new ImConfig { PrivateIp = "192.168.1.25", PublicIp = "104.18.36.110", State = state, Restart = restart },
            Sbc = new SbcConfig { Image = "portsip/sbc:11", Servers = [new SbcServerConfig { Name = "sbc1", PrivateIp = "192.168.1.11", State = state, Restart = restart }] },
            DataFlow = new DataFlowConfig { PrivateIp = "192.168.1.26", DataPath = "/var/lib/portsip", State = state, Restart = restart },
        };
        var site = SiteValidator.Validate(config).Topology!;
        var expected = new RunState(stopped, count);
        Assert.Equal(expected, site.ExtendedServers.Single().Run);
        Assert.Equal(expected, site.Im!.Run);
        Assert.Equal(expected, site.Sbc!.Servers.Single().Run);
        Assert.Equal(expected, site.DataFlow!.Run);
    }

    [Theory]
    [InlineData("Stopped")]
    [InlineData("stop")]
    [InlineData("off")]
    [InlineData("")]
    public void A_state_other_than_running_or_stopped_is_an_error_naming_the_key_and_value(string state)
    {
        var errors = Errors(Base with
        {
            IvrServers = [new ServerConfig { Name = "i1", PrivateIp = "192.168.1.24" }, new ServerConfig { Name = "i2", PrivateIp = "192.168.1.28", State = state }],
            Sbc = new SbcConfig { Image = "portsip/sbc:11", Servers = [new SbcServerConfig { Name = "sbc1", PrivateIp = "192.168.1.11", State = state }] },
            Im = new ImConfig { PrivateIp = "192.168.1.25", PublicIp = "104.18.36.110", State = state },
            DataFlow = new DataFlowConfig { PrivateIp = "192.168.1.26", DataPath = "/var/lib/portsip", State = state },
        });
        Assert.Equal(
        [
            $"ivrServers[1].state: '{state}' is not a run state; give running or stopped",
            $"im.state: '{state}' is not a run state; give running or stopped",
            $"sbc.servers[0].state: '{state}' is not a run state; give running or stopped",
            $"dataFlow.state: '{state}' is not a run state; give running or stopped",
        ], errors);
    }

    [Fact]
    public void A_negative_restart_count_is_an_error_naming_the_key_and_value()
    {
        var errors = Errors(Base with
        {
            MeetingServers = [new ServerConfig { Name = "m1", PrivateIp = "192.168.1.23", Restart = -1 }],
            Im = new ImConfig { PrivateIp = "192.168.1.25", PublicIp = "104.18.36.110", Restart = -2 },
        });
        Assert.Equal(
        [
            "meetingServers[0].restart: -1 is not a count of restarts, 0 or more (raise it by one to restart once)",
            "im.restart: -2 is not a count of restarts, 0 or more (raise it by one to restart once)",
        ], errors);
    }

    [Fact]
    public void The_stack_config_reads_state_and_restart_and_a_wrong_type_is_an_error()
    {
        var good = StackConfigReader.Read(new Dictionary<string, string>
        {
            ["pbx01"] = "192.168.1.131", ["virtualIp"] = "192.168.1.130",
            ["queueServers"] = """[{"name":"queue-server-1","privateIp":"192.168.1.22","state":"stopped","restart":2}]""",
        });
        Assert.Empty(good.ReadErrors);
        Assert.Equal(new RunState(true, 2), SiteValidator.Validate(good).Topology!.ServersOf(ServerRole.Queue).Single().Run);

        var bad = StackConfigReader.Read(new Dictionary<string, string>
        {
            ["sbc"] = """{"image":"portsip/sbc:11","servers":[{"privateIp":"192.168.1.11","state":true,"restart":"1x"}]}""",
        });
        var errors = bad.ReadErrors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("sbc.servers[0].state: true is not text"));
        Assert.Contains(errors, e => e.StartsWith("sbc.servers[0].restart: '1x' is not a whole number; give a count of restarts, 0 or more"));
    }

    // Under the mocked engine.

    private static Dictionary<string, string> ProdEditing(string key, Action<JsonNode> edit)
    {
        var config = Sites.Prod();
        var node = JsonNode.Parse(config[Sites.P + key])!;
        edit(node);
        config[Sites.P + key] = node.ToJsonString();
        return config;
    }

    private static Dictionary<string, string> MediaStopped() => ProdEditing("mediaServers", list => list[0]!["state"] = "stopped");

    [Fact]
    public async Task The_state_step_runs_start_or_stop_of_that_one_server_in_the_guide_queue()
    {
        var running = (await PulumiRun.Stack(Sites.Prod())).Named("media-server-1-state");
        var stopped = (await PulumiRun.Stack(MediaStopped())).Named("media-server-1-state");
        foreach (var (step, desired, action) in new[] { (running, "running", "start"), (stopped, "stopped", "stop") })
        {
            foreach (var script in new[] { step.Input("create")!, step.Input("update")! })
            {
                var parsed = ScriptText.Parse(script);
                Assert.True(parsed.IsFiles("run-state-check.sh", "guide-lock.sh", "run-guide.sh", "run-state.sh"));
                Assert.Equal(desired, parsed["desired"]);
                Assert.Equal("media-server-only@192.168.1.21", parsed["record"]);
                Assert.Equal($"cd /opt/portsip-pbx-ha-guide/ && /bin/bash extend.sh {action} -s media-server-only -a 192.168.1.21", parsed["guide_command"]);
            }
            Assert.True(ScriptText.Parse(step.Input("delete")!).IsFiles("run-state-forget.sh"));
        }
        // An extended server is drained in the portal before its stop and enabled again after its start: the REST
        // helper's lines, with the portal's connection on stdin.
        foreach (var step in new[] { running, stopped })
        {
            var parsed = ScriptText.Parse(step.Input("create")!);
            Assert.Equal(DrainCommands.Drain(ServerRole.Media, "media-server-1", 600, DrainTimeoutAction.Fail, "192.168.1.21"), parsed["drain_command"]);
            Assert.Equal(DrainCommands.Enable(ServerRole.Media, "media-server-1", "192.168.1.21"), parsed["enable_command"]);
            Assert.Contains("\"api_url\"", step.Input("stdin"));
            // Read once by run-state-check.sh for the REST helper: the drain's progress is streamed while it waits.
            Assert.Equal("stdoutAndStderr", step.Input("logging"));
        }
        Assert.Equal(RunStateScripts.Stop("Media Server media-server-1 (192.168.1.21)", "media-server-only@192.168.1.21",
            GuideCommands.ExtendControl("/opt/portsip-pbx-ha-guide", ServerRole.Media, "192.168.1.21", RunAction.Stop),
            new PortalSwitch(DrainCommands.Drain(ServerRole.Media, "media-server-1", 600, DrainTimeoutAction.Fail, "192.168.1.21"),
                DrainCommands.Enable(ServerRole.Media, "media-server-1", "192.168.1.21"))), stopped.Input("create"));
    }

    [Theory]
    [InlineData("sbc2", "sbc.sh {0} -a 192.168.1.12", "sbc@192.168.1.12")]
    [InlineData("im", "im.sh {0}", "im")]
    [InlineData("dataflow", "dataflow.sh {0}", "dataflow")]
    [InlineData("ivr-server-1", "extend.sh {0} -s ivr-server-only -a 192.168.1.24", "ivr-server-only@192.168.1.24")]
    public async Task Each_server_and_service_has_its_state_and_restart_steps(string name, string command, string record)
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        var state = ScriptText.Parse(run.Named($"{name}-state").Input("create")!);
        Assert.EndsWith(string.Format(command, "start"), state["guide_command"]);
        Assert.Equal(record, state["record"]);
        var restart = ScriptText.Parse(run.Named($"{name}-restart").Input("create")!);
        Assert.True(restart.IsFiles("restart-check.sh", "guide-lock.sh", "run-guide.sh", "restart.sh"));
        Assert.EndsWith(string.Format(command, "restart"), restart["guide_command"]);
        Assert.Equal("0", restart["count"]);
        Assert.Equal(run.Named($"{name}-restart").Input("create"), run.Named($"{name}-restart").Input("update"));
        Assert.Null(run.Named($"{name}-restart").Input("delete"));
    }

    [Theory]
    [InlineData("media-server-1")]
    [InlineData("sbc1")]
    [InlineData("im")]
    [InlineData("dataflow")]
    public async Task The_state_step_is_in_the_identity_chain_after_the_install_and_the_restart_after_it(string name)
    {
        var records = (await ProgramRecorder.Record(Sites.Prod())).ToDictionary(r => r.Name);
        string NameOf(string urn) => records.Values.Single(r => r.Urn == urn).Name;
        Assert.Equal($"{name}-install", NameOf(Assert.Single(records[$"{name}-state"].PropertyDependencies["triggers"])));
        Assert.Equal($"{name}-state", NameOf(Assert.Single(records[$"{name}-restart"].PropertyDependencies["triggers"])));
        foreach (var step in new[] { "state", "restart" })
        {
            Assert.True(records[$"{name}-{step}"].DeleteBeforeReplace);
            Assert.Contains("triggers", records[$"{name}-{step}"].ReplaceOnChanges);
        }
        // The same values as the install's (its identity), and the restart count last.
        string[] Triggers(string step) => [.. ((ImmutableArray<object>)records[$"{name}-{step}"].Inputs["triggers"]).Cast<string>()];
        Assert.Equal(Triggers("install"), Triggers("state"));
        Assert.Equal([.. Triggers("install"), "0"], Triggers("restart"));
    }

    [Fact]
    public async Task The_online_wait_comes_after_the_state_step()
    {
        var records = (await ProgramRecorder.Record(Sites.Prod())).ToDictionary(r => r.Name);
        Assert.Equal(records["media-server-1-state"].Urn, Assert.Single(records["media-server-1-online"].PropertyDependencies["triggers"]));
        Assert.Contains(records["media-server-1-state"].Urn, records["media-server-1-online"].DependsOn);
    }

    [Fact]
    public async Task Stopping_a_server_changes_its_state_and_online_steps_and_its_role_upgrade_waits()
    {
        var before = await PulumiRun.Stack(Sites.Prod());
        var after = await PulumiRun.Stack(MediaStopped());
        var changed = after.Declared.Where(r => before.Declared.Single(b => b.Urn == r.Urn).InputsText() != r.InputsText()).Select(r => r.Name).Order();
        Assert.Equal(["media-server-1-online", "media-server-1-state", "media-servers-upgrade"], changed);
        Assert.Equal(before.Declared.Count, after.Declared.Count);
        Assert.Equal(RunStateScripts.Say("media-server-1 is stopped: not waited on for ONLINE"), after.Named("media-server-1-online").Input("create"));
        var upgrade = after.Named("media-servers-upgrade");
        Assert.Equal("the Media Servers' upgrade waits: media-server-1 is stopped", ScriptText.Parse(upgrade.Input("update")!)["message"]);
        // Its create (the role entering the stack) only records the version, as before.
        Assert.Equal(before.Named("media-servers-upgrade").Input("create"), upgrade.Input("create"));
    }

    [Fact]
    public async Task A_role_upgrade_comes_after_the_state_steps_of_its_servers()
    {
        var options = await OptionsRecorder.Record(Sites.Prod());
        Assert.Contains("media-server-1-state", options["media-servers-upgrade"].DependsOn);
        Assert.DoesNotContain("queue-server-1-state", options["media-servers-upgrade"].DependsOn);
    }

    [Fact]
    public async Task Raising_restart_changes_only_the_restart_step_and_its_count()
    {
        var before = await PulumiRun.Stack(Sites.Prod());
        var after = await PulumiRun.Stack(ProdEditing("sbc", sbc => sbc["servers"]![1]!["restart"] = 1));
        var changed = after.Declared.Where(r => before.Declared.Single(b => b.Urn == r.Urn).InputsText() != r.InputsText()).Select(r => r.Name);
        Assert.Equal(["sbc2-restart"], changed);
        Assert.Equal("1", ScriptText.Parse(after.Named("sbc2-restart").Input("create")!)["count"]);
    }

    [Theory]
    [InlineData("sbc", "sbc2-install", "SBC server sbc2's upgrade waits: sbc2 is stopped")]
    [InlineData("im", "im-install", "the IM service's upgrade waits: the IM service is stopped")]
    [InlineData("dataFlow", "dataflow-install", "the Data Flow service's upgrade waits: the Data Flow service is stopped")]
    public async Task A_stopped_service_or_SBC_server_keeps_its_install_and_its_upgrade_waits(string key, string install, string message)
    {
        var before = await PulumiRun.Stack(Sites.Prod());
        var after = await PulumiRun.Stack(ProdEditing(key, node => (key == "sbc" ? node["servers"]![1]! : node)["state"] = "stopped"));
        Assert.Equal(before.Named(install).Input("create"), after.Named(install).Input("create"));
        Assert.Equal(message, ScriptText.Parse(after.Named(install).Input("update")!)["message"]);
    }

    [Fact]
    public async Task Outputs_show_each_servers_desired_state()
    {
        var run = await PulumiRun.Stack(ProdEditing("mediaServers", list => list[0]!["state"] = "stopped"));
        var media = run.Resources.OfType<MediaServer>().Single();
        Assert.Equal("stopped", await PulumiRun.OutputValue(media.State));
        Assert.Equal("running", await PulumiRun.OutputValue(run.Resources.OfType<QueueServer>().Single().State));
        Assert.Equal(["running", "running", "running"], await Task.WhenAll(run.Resources.OfType<SbcServer>().Select(s => PulumiRun.OutputValue(s.State))));
        Assert.Equal("running", await PulumiRun.OutputValue(run.Resources.OfType<ImService>().Single().State));
        Assert.Equal("running", await PulumiRun.OutputValue(run.Resources.OfType<DataFlowService>().Single().State));
        var site = SiteValidator.Validate(StackConfigReader.Read(new Dictionary<string, string>
        {
            ["pbx01"] = "192.168.1.131", ["virtualIp"] = "192.168.1.130",
            ["mediaServers"] = """[{"name":"m1","privateIp":"192.168.1.21","internetFacing":false,"state":"stopped"}]""",
        })).Topology!;
        Assert.Equal([null, null, "stopped"], SiteInventory.Of(site).Select(r => r.GetValueOrDefault("state")));
    }

    [Fact]
    public void The_preview_warns_of_each_stopped_server_that_its_upgrade_waits()
    {
        var site = SiteValidator.Validate(Base with
        {
            QueueServers = [new ServerConfig { Name = "q1", PrivateIp = "192.168.1.22", State = "stopped" }, new ServerConfig { Name = "q2", PrivateIp = "192.168.1.27" }],
            Im = new ImConfig { PrivateIp = "192.168.1.25", PublicIp = "104.18.36.110", State = "stopped" },
        }).Topology!;
        Assert.Equal(
        [
            "q1 is stopped (state: stopped): it is not waited on for ONLINE, and its upgrade waits until it runs again",
            "the IM service is stopped (state: stopped): its upgrade waits until it runs again",
        ], RunStateMessages.Warnings(site));
        Assert.Equal("the queue servers' upgrade waits: q1, q3 are stopped", RunStateMessages.UpgradeWaits("the queue servers'", ["q1", "q3"]));
    }
}
