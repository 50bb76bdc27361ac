using System.Collections.Immutable;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// How a server's identity (name, address) is tied to its steps, under the mocked engine and the planner (no host):
/// each step's <c>triggers</c> depend on the previous step (so a replacement undoes them latest first), the claim
/// runs create-first, a new pinned host key replaces nothing, and <c>renamedFrom</c> turns a rename into a replacement
/// through aliases. The same transitions run on the simulated hosts in <see cref="TransitionBugTests"/>.
/// </summary>
public sealed class IdentityChainTests
{
    private static async Task<Dictionary<string, ResourceRecord>> Prod() =>
        (await ProgramRecorder.Record(Sites.Prod())).ToDictionary(r => r.Name);

    private static string Queue(string name, string ip, string extra = "") =>
        $$"""[{"name":"{{name}}","privateIp":"{{ip}}"{{extra}}}]""";

    [Theory]
    [InlineData("media-server-1-register", "media-server-1-trust")]
    [InlineData("media-server-1-install", "media-server-1-register")]
    [InlineData("media-server-1-state", "media-server-1-install")]
    [InlineData("media-server-1-online", "media-server-1-state")]
    [InlineData("media-server-1-restart", "media-server-1-state")]
    [InlineData("im-install", "im-trust")]
    [InlineData("sbc1-install", "sbc1-trust")]
    [InlineData("dataflow-install", "dataflow-trust")]
    public async Task Each_steps_triggers_depend_on_the_step_before_it(string step, string previous)
    {
        var records = await Prod();
        var urn = Assert.Single(records[step].PropertyDependencies["triggers"]);
        Assert.Equal(previous, records.Values.Single(r => r.Urn == urn).Name);
        Assert.True(records[step].DeleteBeforeReplace);
        Assert.True(records[previous].DeleteBeforeReplace);
    }

    [Fact]
    public async Task The_triggers_keep_the_values_of_before_so_an_existing_stack_replaces_nothing()
    {
        var records = await Prod();
        string[] identity = ["media-server-only", "media-server-1", "192.168.1.21", "104.101.137.60"];
        foreach (var step in new[] { "register", "install", "online" })
        {
            Assert.Equal(identity, ((ImmutableArray<object>)records[$"media-server-1-{step}"].Inputs["triggers"]).Cast<string>());
        }
        Assert.Equal(["192.168.1.21"], ((ImmutableArray<object>)records["media-server-1-trust"].Inputs["triggers"]).Cast<string>());
    }

    [Fact]
    public async Task The_claim_is_replaced_create_first_and_comes_before_the_trust_step()
    {
        var records = await Prod();
        var claim = records["media-server-1-claim"];
        Assert.False(claim.DeleteBeforeReplace);
        Assert.False(claim.Inputs.ContainsKey("delete"));
        Assert.Contains(claim.Urn, records["media-server-1-trust"].DependsOn);
        Assert.Contains("key='media-server-only@192.168.1.21'", claim.Input("create"));
        Assert.Contains("identity='media-server-1'", claim.Input("create"));
    }

    private static async Task<IReadOnlyList<Step>> Plan(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        var state = new EngineState();
        foreach (var r in await ProgramRecorder.Record(before))
        {
            state.Put(r);
        }
        var program = await ProgramRecorder.Record(after);
        state.ApplyAliases(program);
        return StepPlanner.Plan(state.Resources, program);
    }

    private static List<string> Changes(IReadOnlyList<Step> plan) => plan.Where(s => s.Kind != StepKind.Same).Select(s => s.ToString()).ToList();

    [Fact]
    public async Task A_new_address_undoes_online_install_register_trust_in_that_order_before_anything_is_made_there()
    {
        var changes = Changes(await Plan(Sites.ProdWith("queueServers", Queue("queue-server-1", "192.168.1.22")),
            Sites.ProdWith("queueServers", Queue("queue-server-1", "192.168.1.42"))));
        Assert.Equal(
        [
            "create-replacement queue-server-1-claim",
            "delete-replaced queue-server-1-online",
            "delete-replaced queue-server-1-restart",
            "delete-replaced queue-server-1-state",
            "delete-replaced queue-server-1-install",
            "delete-replaced queue-server-1-register",
            "delete-replaced queue-server-1-trust",
            "create-replacement queue-server-1-trust",
        ], changes.Where(c => c.Contains("queue-server-1-", StringComparison.Ordinal)).Take(8));
    }

    [Fact]
    public async Task A_new_pinned_host_key_re_runs_the_trust_step_and_removes_nothing()
    {
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
        var changes = Changes(await Plan(Sites.ProdWith("queueServers", Queue("queue-server-1", "192.168.1.22")),
            Sites.ProdWith("queueServers", Queue("queue-server-1", "192.168.1.22", $",\"hostKey\":\"{key}\""))));
        Assert.Contains("update queue-server-1-trust", changes);
        // The preflight (no delete) checks again; nothing is undone.
        Assert.Equal(["update queue-server-1-trust", "delete-replaced queue-server-1-preflight", "create-replacement queue-server-1-preflight"], changes);
    }

    [Fact]
    public async Task RenamedFrom_aliases_the_component_and_every_command_to_the_old_name()
    {
        var records = (await ProgramRecorder.Record(Sites.ProdWith("queueServers",
            Queue("queue-server-9", "192.168.1.22", ",\"renamedFrom\":\"queue-server-1\"")))).ToDictionary(r => r.Name);
        foreach (var suffix in new[] { "", "-claim", "-trust", "-preflight", "-register", "-install", "-state", "-restart", "-online" })
        {
            var record = records["queue-server-9" + suffix];
            Assert.Equal(record.Urn[..(record.Urn.LastIndexOf("::", StringComparison.Ordinal) + 2)] + "queue-server-1" + suffix, Assert.Single(record.AliasUrns));
        }
        Assert.Contains("previous='queue-server-1'", records["queue-server-9-claim"].Input("create"));
    }

    [Fact]
    public async Task A_rename_with_renamedFrom_is_a_replacement_old_one_first_not_a_new_server_beside_the_old()
    {
        var changes = Changes(await Plan(Sites.ProdWith("queueServers", Queue("queue-server-1", "192.168.1.22")),
            Sites.ProdWith("queueServers", Queue("queue-server-9", "192.168.1.22", ",\"renamedFrom\":\"queue-server-1\""))));
        // Nothing is left to delete at the end under the old name, and nothing new is made beside it.
        Assert.DoesNotContain(changes, c => c.StartsWith("delete ", StringComparison.Ordinal) || c == "create queue-server-9");
        Assert.Equal(
        [
            "create-replacement queue-server-1-claim",
            "update queue-server-1-preflight",     // its messages name the server: it checks again
            "delete-replaced queue-server-1-online",
            "delete-replaced queue-server-1-restart",
            "delete-replaced queue-server-1-state",
            "delete-replaced queue-server-1-install",
            "delete-replaced queue-server-1-register",
            "create-replacement queue-server-1-register",
        ], changes.Where(c => c.Contains("queue-server-", StringComparison.Ordinal)).Take(8)
            .Select(c => c.Replace("queue-server-9", "queue-server-1", StringComparison.Ordinal)));
        Assert.DoesNotContain(changes, c => c.Contains("-trust", StringComparison.Ordinal));
    }

    private static readonly StackConfig Base = new()
    {
        Pbx01 = "192.168.1.131",
        VirtualIp = "192.168.1.130",
        QueueServers = [new ServerConfig { Name = "queue-server-1", PrivateIp = "192.168.1.22" }],
    };

    private static IReadOnlyList<string> Errors(StackConfig c) => [.. SiteValidator.Validate(c).Errors.Select(e => e.ToString())];

    [Fact]
    public void RenamedFrom_is_a_server_name_no_current_server_has_and_taken_once()
    {
        Assert.Empty(Errors(Base with { IvrServers = [new ServerConfig { Name = "ivr-2", PrivateIp = "192.168.1.24", RenamedFrom = "ivr-1" }] }));
        Assert.Equal(["ivrServers[0].renamedFrom: 'queue-server-1' is still a server of the stack (queueServers[0]): renamedFrom names the server's old name, which no current server has; to replace queue-server-1 by ivr-2, remove queue-server-1 from the stack, or remove renamedFrom"],
            Errors(Base with { IvrServers = [new ServerConfig { Name = "ivr-2", PrivateIp = "192.168.1.24", RenamedFrom = "queue-server-1" }] }));
        Assert.Equal(["ivrServers[0].renamedFrom: 'ivr-2' is the server's own name: renamedFrom is its name before a rename; remove it once that rename has run"],
            Errors(Base with { IvrServers = [new ServerConfig { Name = "ivr-2", PrivateIp = "192.168.1.24", RenamedFrom = "ivr-2" }] }));
        Assert.Equal(["ivrServers[1].renamedFrom: 'ivr-1' is already renamed by ivrServers[0].renamedFrom; one server can be renamed into one server only"],
            Errors(Base with
            {
                IvrServers =
                [
                    new ServerConfig { Name = "ivr-2", PrivateIp = "192.168.1.24", RenamedFrom = "ivr-1" },
                    new ServerConfig { Name = "ivr-3", PrivateIp = "192.168.1.25", RenamedFrom = "ivr-1" },
                ],
            }));
        Assert.Single(Errors(Base with { MediaServers = [new MediaServerConfig { Name = "m", PrivateIp = "192.168.1.21", InternetFacing = false, RenamedFrom = "bad name" }] }),
            e => e.StartsWith("mediaServers[0].renamedFrom: 'bad name' is not a valid server name", StringComparison.Ordinal));
    }
}
