using System.Collections.Immutable;
using System.Text.RegularExpressions;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>Rules that hold for every resource of every site, checked over the prod site, the lab site and a large site.</summary>
public partial class InvariantTests
{
    public static TheoryData<string> SiteNames => ["prod", "dev", "large"];

    private static Dictionary<string, string> Site(string name) => name switch
    {
        "large" => PortsipInfra.Benchmark.SyntheticSite.Config(40, PulumiRun.FakePrivateKey).WithSecrets(),
        _ => StackFile.Load(name).WithSecrets(),
    };

    [GeneratedRegex(@"^cd \S+ && /bin/bash (\w+)\.sh rm\b(.*)$")]
    private static partial Regex ScriptRemove();

    [GeneratedRegex(@"^ -s (media|queue|meeting|ivr)-server-only -a \d{1,3}(\.\d{1,3}){3}$")]
    private static partial Regex OneExtendedServer();

    [GeneratedRegex(@"^ -a \d{1,3}(\.\d{1,3}){3}$")]
    private static partial Regex OneSbcServer();

    [GeneratedRegex("""^python3 "\$HOME/\.portsip-infra/portsip_api\.py" (unregister --kind (media|queue|meeting|ivr) --name [A-Za-z0-9._-]+ --private-ip \d{1,3}(\.\d{1,3}){3}|whitelist-remove --ip \d{1,3}(\.\d{1,3}){3}|set-defaults-enabled --kind (media|queue|meeting|ivr) --enabled true)$""")]
    private static partial Regex OnePortalRemoval();

    [Theory]
    [MemberData(nameof(SiteNames))]
    public async Task Every_delete_removes_one_server_or_service_only(string site)
    {
        var run = await PulumiRun.Stack(Site(site));
        foreach (var command in run.Commands)
        {
            var delete = command.Input("delete");
            if (delete is null)
            {
                continue;
            }
            if (command.Name == "site-owner")
            {
                // Removes the owner mark of pbx01, and only when it is this stack's.
                Assert.True(ScriptText.Parse(delete).IsFiles("site-owner-release.sh"));
                continue;
            }
            if (command.Name.EndsWith("-trust"))
            {
                // Takes pbx01's key off this one server: every address in the script is the server's own.
                var ip = ScriptText.Parse(delete)["ip"];
                Assert.Matches(@"^\d{1,3}(\.\d{1,3}){3}$", ip);
                Assert.Equal([ip], Regex.Matches(delete, @"\b\d{1,3}(\.\d{1,3}){3}\b").Select(m => m.Value).Distinct());
                continue;
            }
            if (delete.StartsWith("python3 "))
            {
                // A Web Portal step: unregister one server, remove one IP rule, or give the built-in servers back.
                Assert.Matches(OnePortalRemoval(), delete);
                continue;
            }
            var parsed = ScriptText.Parse(delete);
            if (command.Name.EndsWith("-state"))
            {
                // A run-state step forgets pbx01's record of its state and restarts; it runs no guide script.
                Assert.True(parsed.IsFiles("run-state-forget.sh"), command.Name);
                Assert.DoesNotContain("/bin/bash", delete);
                continue;
            }
            // A guide script's rm (remove.sh runs the guide's line, then forgets pbx01's records of that key).
            Assert.True(parsed.IsFiles("guide-lock.sh", "run-guide.sh", "remove.sh"), command.Name);
            var removes = ScriptRemove().Matches(parsed["guide_command"]);
            Assert.Single(removes);
            var (script, args) = (removes[0].Groups[1].Value, removes[0].Groups[2].Value);
            switch (script)
            {
                case "extend":
                    Assert.Matches(OneExtendedServer(), args);
                    break;
                case "sbc":
                    Assert.Matches(OneSbcServer(), args);
                    break;
                case "im":
                case "dataflow":
                    // One IM and one Data Flow service per site: their rm takes no target.
                    Assert.Equal("", args);
                    Assert.Equal(script == "im" ? "im-install" : "dataflow-install", command.Name);
                    break;
                default:
                    Assert.Fail($"{command.Name} removes with an unknown script: {script}.sh");
                    break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(SiteNames))]
    public async Task No_secret_appears_in_a_command_or_a_plain_output(string site)
    {
        var run = await PulumiRun.Stack(Site(site));
        foreach (var resource in run.Declared)
        {
            foreach (var (input, value) in resource.Inputs)
            {
                if (input is "connection" or "stdin")
                {
                    continue; // secret inputs by design: the key goes to the SSH client, secrets to stdin
                }
                var text = System.Text.Json.JsonSerializer.Serialize(value);
                Assert.All(PulumiRun.FakeSecrets, secret => Assert.DoesNotContain(secret, text));
            }
        }
        var stack = run.Stack;
        var outputs = new object?[]
        {
            await PulumiRun.OutputValue(stack.Inventory), await PulumiRun.OutputValue(stack.PortalUrl),
            await PulumiRun.OutputValue(stack.PublicPortalUrl), await PulumiRun.OutputValue(stack.Pbx01Address),
            await PulumiRun.OutputValue(stack.VirtualIp), await PulumiRun.OutputValue(stack.PbxImage),
            await PulumiRun.OutputValue(stack.SbcWebPortals),
        };
        var plain = System.Text.Json.JsonSerializer.Serialize(outputs);
        Assert.All(PulumiRun.FakeSecrets, secret => Assert.DoesNotContain(secret, plain));
    }

    [Theory]
    [MemberData(nameof(SiteNames))]
    public async Task Every_script_holds_the_lock_on_pbx01_and_stops_at_the_first_error(string site)
    {
        var run = await PulumiRun.Stack(Site(site));
        foreach (var command in run.Commands)
        {
            foreach (var step in new[] { "create", "update", "delete" })
            {
                var script = command.Input(step);
                if (script is null || !script.Contains("/bin/bash "))
                {
                    continue;
                }
                // guide-lock.sh comes first: set -eu, then the queue (tested in GuideRunScriptTests), then
                // run-guide.sh, which runs the guide command detached.
                var parsed = ScriptText.Parse(script);
                // A run-state or restart step first ends, before it queues, when there is nothing to do.
                var check = parsed.Body.StartsWith(RemoteFiles.Text("run-state-check.sh")) ? RemoteFiles.Text("run-state-check.sh")
                    : parsed.Body.StartsWith(RemoteFiles.Text("restart-check.sh")) ? RemoteFiles.Text("restart-check.sh") : "";
                Assert.StartsWith(check + RemoteFiles.Text("guide-lock.sh") + RemoteFiles.Text("run-guide.sh"), parsed.Body);
            }
        }
    }

    [Theory]
    [MemberData(nameof(SiteNames))]
    public async Task Every_install_is_recorded_so_a_second_run_does_nothing(string site)
    {
        var run = await PulumiRun.Stack(Site(site));
        foreach (var command in run.Commands.Where(c => c.Name.EndsWith("-install")))
        {
            // install.sh checks pbx01's record and the site (site-facts.sh) before it runs the guide's line (GuideStepScriptTests runs it twice).
            var create = ScriptText.Parse(command.Input("create")!);
            Assert.True(create.IsFiles("guide-lock.sh", "run-guide.sh", "site-facts.sh", "install.sh"), command.Name);
            Assert.Contains(".sh run ", create["guide_command"]);
            Assert.False(string.IsNullOrEmpty(create["identity"]));
        }
    }

    [Theory]
    [MemberData(nameof(SiteNames))]
    public async Task No_command_sends_its_previous_output_to_pbx01(string site)
    {
        var run = await PulumiRun.Stack(Site(site));
        Assert.NotEmpty(run.Commands);
        Assert.All(run.Commands, command => Assert.Equal(false, command.Inputs.GetValueOrDefault("addPreviousOutputInEnv")));
    }

    [Theory]
    [MemberData(nameof(SiteNames))]
    public async Task Every_command_that_reads_a_secret_keeps_its_output_secret_and_out_of_the_log(string site)
    {
        var config = Site(site);
        var options = await OptionsRecorder.Record(config);
        var run = await PulumiRun.Stack(config);
        var readers = options.Values.Where(o => o.StdinIsSecret == true).Select(o => o.Name).ToHashSet();
        // The portal password, the HA user's password, the IM and Data Flow tokens all arrive on stdin.
        Assert.Contains(readers, n => n.EndsWith("-trust"));
        Assert.Contains(readers, n => n.EndsWith("-register"));
        Assert.Contains("im-token", readers);
        Assert.Contains("im-install", readers);
        if (site != "dev")
        {
            Assert.Contains("sbc-token", readers);
            Assert.Contains("dataflow-install", readers);
        }
        foreach (var name in readers)
        {
            Assert.Contains("stdout", options[name].AdditionalSecretOutputs);
            Assert.Contains("stderr", options[name].AdditionalSecretOutputs);
            var step = run.Named(name);
            if (step.Input("logging") == "none")
            {
                continue;
            }
            // The only steps streamed while they run: an extended server's run state and a rolling upgrade, whose
            // scripts read stdin once into a variable for the REST helper (a drain's progress is seen as it waits).
            Assert.True(name.EndsWith("-state", StringComparison.Ordinal) || name.EndsWith("-servers-upgrade", StringComparison.Ordinal), name);
            Assert.Matches(@"(?m)^\s*(\[ -z .*\] \|\| portal=\$\(cat\)|api_stdin=\$\(cat\))$", step.Input("create"));
        }
        // Where stdout is the token itself, it is never streamed, whatever else changes.
        foreach (var token in run.Commands.Where(c => c.Name.EndsWith("-token")))
        {
            Assert.Contains(token.Name, readers);
            Assert.DoesNotContain(token.Input("logging"), new string?[] { null, "stdout", "stdoutAndStderr" });
        }
    }

    [Fact]
    public async Task Connections_only_ever_name_pbx01()
    {
        var run = await PulumiRun.Stack(Site("prod"));
        var hosts = run.Commands.Select(c => ((ImmutableDictionary<string, object>)c.Inputs["connection"])["host"]).Distinct();
        Assert.Equal(["192.168.1.131"], hosts);
    }
}
