using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Engine;

/// <summary>The recorder sees what the engine would receive: inputs, URNs, parents, both kinds of dependencies, options.</summary>
public sealed class ProgramRecorderTests
{
    private static Task<IReadOnlyList<ResourceRecord>> Prod() => ProgramRecorder.Record(Sites.Prod());

    [Fact]
    public async Task Records_every_resource_with_its_urn_parent_and_plain_inputs()
    {
        var records = await Prod();
        var install = records.Single(r => r.Name == "media-server-1-install");
        var component = records.Single(r => r.Name == "media-server-1");

        Assert.Equal("command:remote:Command", install.Type);
        Assert.True(install.Custom);
        Assert.False(component.Custom);
        Assert.Equal(component.Urn, install.Parent);
        Assert.EndsWith("::media-server-1-install", install.Urn);
        Assert.Contains("extend.sh run -s media-server-only -n media-server-1 -a 192.168.1.21", install.Input("create"));
        // Secrets arrive unwrapped, as the provider gets them.
        Assert.Equal(PulumiRun.FakePrivateKey, install.Map("connection")!["privateKey"]);
        Assert.Equal(records.Count, records.Select(r => r.Urn).Distinct().Count());
    }

    [Fact]
    public async Task DependsOn_is_resolved_to_urns_and_a_component_stands_for_its_custom_descendants()
    {
        var records = (await Prod()).ToDictionary(r => r.Name);
        var install = records["media-server-1-install"];

        Assert.Contains(records["media-server-1-register"].Urn, install.DependsOn);
        Assert.Contains(records["media-server-1-preflight"].Urn, install.DependsOn);
        Assert.Contains(records["pbx-ha-upgrade"].Urn, install.DependsOn);
        // The register step waits for portal.Ready: the helper upload and the default-servers step.
        Assert.Contains(records["web-portal-helper"].Urn, records["media-server-1-register"].DependsOn);
        Assert.DoesNotContain(install.DependsOn, urn => records.Values.Single(r => r.Urn == urn) is { Custom: false });
    }

    [Fact]
    public async Task Property_dependencies_name_the_resources_whose_outputs_flowed_into_an_input()
    {
        var records = (await Prod()).ToDictionary(r => r.Name);

        // The IM token's stdout reaches im.sh on stdin.
        Assert.Equal(records["im-token"].Urn, Assert.Single(records["im-install"].PropertyDependencies["stdin"]));
        // An explicit DependsOn is never a property dependency: the install depends on its preflight through DependsOn
        // only, on its register step through its triggers too (ReplaceWhen.After).
        // Its scripts depend on the site id only (the owner check in front of each), and the owner step through DependsOn.
        Assert.Equal(["create", "delete", "triggers", "update"], records["media-server-1-install"].PropertyDependencies.Keys.Order());
        Assert.All(["create", "update", "delete"], s => Assert.Equal(records["site-id"].Urn, string.Join(" ", records["media-server-1-install"].PropertyDependencies[s])));
        Assert.Contains(records["site-owner"].Urn, records["media-server-1-install"].DependsOn);
        Assert.DoesNotContain(records["media-server-1-preflight"].Urn, records["media-server-1-install"].PropertyDependencies["triggers"]);
        Assert.Contains(records["media-server-1-preflight"].Urn, records["media-server-1-install"].DependsOn);
        Assert.Contains(records["im-token"].Urn, records["im-install"].Dependencies);
    }

    [Fact]
    public async Task An_output_inside_the_connection_is_a_dependency_of_the_connection_input()
    {
        var records = (await ProgramRecorder.Record(Sites.ProdWith("deployKey", "true"))).ToDictionary(r => r.Name);

        Assert.Contains(records["deploy-key-key"].Urn, records["media-server-1-install"].PropertyDependencies["connection"]);
    }

    [Fact]
    public async Task Options_are_recorded_as_declared()
    {
        var records = (await Prod()).ToDictionary(r => r.Name);

        Assert.True(records["media-server-1-install"].DeleteBeforeReplace);
        Assert.Contains("triggers", records["media-server-1-install"].ReplaceKeys);
        Assert.True(records["im-install"].Protect);
        Assert.False(records["pbx-ha-upgrade"].DeleteBeforeReplace);
        Assert.False(records["media-server-1-install"].Protect);
    }
}
