using PortsipInfra.Components;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// One stack owns a site, under mocks: the site id (a RandomUuid the state keeps), the owner step that every other
/// command waits for, and the check in front of every command's create, update and delete.
/// </summary>
public class SiteOwnershipTests
{
    public static TheoryData<string> SiteNames => ["prod", "dev", "deployKey"];

    private static Dictionary<string, string> Site(string name) => name switch
    {
        "dev" => StackFile.Load("dev").WithSecrets(),
        "deployKey" => Sites.ProdWith("deployKey", "true"),
        _ => Sites.Prod(),
    };

    private const string Stack = "organization/portsip-infra/test";

    [Fact]
    public async Task The_owner_step_writes_the_stacks_site_id_and_name_and_its_delete_removes_them()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        var id = PulumiRun.SiteId("test");
        Assert.Single(run.OfType("random:index/randomUuid:RandomUuid"), r => r.Name == "site-id");
        var owner = run.Named(SiteOwner.StepName);
        Assert.Equal(OwnerScripts.Mark(id, Stack, null), owner.RawInput("create"));
        Assert.Null(owner.RawInput("update"));
        Assert.Equal(OwnerScripts.Release(id, Stack), owner.RawInput("delete"));
        Assert.Null(owner.RawInput("stdin"));
        Assert.Equal(id, await PulumiRun.OutputValue(run.Stack.SiteId));

        // Another stack gets another id.
        var other = await PulumiRun.Stack(Sites.Prod(), stack: "other");
        Assert.Equal(OwnerScripts.Mark(PulumiRun.SiteId("other"), "organization/portsip-infra/other", null), other.Named(SiteOwner.StepName).RawInput("create"));
        Assert.NotEqual(id, PulumiRun.SiteId("other"));
    }

    [Theory]
    [MemberData(nameof(SiteNames))]
    public async Task Every_other_command_checks_the_mark_before_anything_else(string site)
    {
        var run = await PulumiRun.Stack(Site(site));
        var check = OwnerScripts.Check(PulumiRun.SiteId("test"), Stack);
        var others = run.Commands.Where(c => c.Name != SiteOwner.StepName).ToList();
        Assert.NotEmpty(others);
        foreach (var command in others)
        {
            Assert.True(command.RawInput("create")!.StartsWith(check, StringComparison.Ordinal), command.Name);
            foreach (var script in new[] { "update", "delete" })
            {
                if (command.RawInput(script) is { } text)
                {
                    Assert.True(text.StartsWith(check, StringComparison.Ordinal), $"{command.Name} {script}");
                    Assert.Equal(text, check + command.Input(script));
                }
            }
            Assert.Equal((PulumiRun.SiteId("test"), Stack), OwnerCheck.Of(command.RawInput("create")!));
        }
    }

    [Theory]
    [MemberData(nameof(SiteNames))]
    public async Task The_owner_step_comes_first_and_every_command_and_upload_waits_for_it(string site)
    {
        var options = await OptionsRecorder.Record(Site(site));
        var owner = options[SiteOwner.StepName];
        Assert.Empty(owner.DependsOn);
        Assert.False(owner.WaitsForOwner);
        // Replaced (pulumi up --replace, to write a lost mark again): the old mark is removed before the new is written.
        Assert.True(owner.DeleteBeforeReplace);
        var steps = options.Values.Where(o => o.Type.StartsWith("command:remote:") && o.Name != SiteOwner.StepName).ToList();
        Assert.Contains(steps, s => s.Type == "command:remote:CopyToRemote");
        Assert.All(steps, s => Assert.True(s.WaitsForOwner, s.Name));
        if (site == "deployKey")
        {
            Assert.True(options["deploy-key-authorize"].WaitsForOwner);
        }
    }

    [Fact]
    public async Task A_handover_names_the_other_stacks_id_in_the_owner_step_only()
    {
        var plain = await PulumiRun.Stack(Sites.Prod());
        var config = Sites.ProdWith(SiteHandover.Key, "7D1E8A20-5C3B-4F66-8E2D-9A0B4C6F1E35");
        var handover = await PulumiRun.Stack(config);
        Assert.Equal(OwnerScripts.Mark(PulumiRun.SiteId("test"), Stack, "7d1e8a20-5c3b-4f66-8e2d-9a0b4c6f1e35"),
            handover.Named(SiteOwner.StepName).RawInput("create"));
        Assert.Equal(
            plain.Declared.Where(r => r.Name != SiteOwner.StepName).Select(r => r.InputsText()),
            handover.Declared.Where(r => r.Name != SiteOwner.StepName).Select(r => r.InputsText()));
    }

    [Theory]
    [InlineData("prod")]
    [InlineData("7d1e8a20-5c3b-4f66-8e2d")]
    [InlineData("{7d1e8a20-5c3b-4f66-8e2d-9a0b4c6f1e35}")]
    [InlineData("7d1e8a205c3b4f668e2d9a0b4c6f1e35")]
    public async Task A_takeOverSiteFrom_that_is_not_a_site_id_is_refused_naming_the_key_and_value(string value)
    {
        var (message, declared) = await PulumiRun.Failure(Sites.ProdWith(SiteHandover.Key, value));
        Assert.Contains($"portsip-infra:takeOverSiteFrom: '{value}' is not a site id: give the other stack's siteId output, a UUID like", message);
        Assert.Equal(0, declared);
    }
}
