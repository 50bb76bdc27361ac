using PortsipInfra.Components;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>The order the guides require, and how each resource is replaced or protected.</summary>
public class ResourceOptionsTests
{
    private static Task<IReadOnlyDictionary<string, DeclaredOptions>> Prod() => OptionsRecorder.Record(Sites.Prod());

    [Fact]
    public async Task Nothing_is_installed_or_upgraded_before_the_PBX_HA_cluster_is_checked_or_upgraded()
    {
        var options = await Prod();
        var commands = options.Values.Where(o => o.Type.StartsWith("command:remote:") && o.Name is not ("pbx-ha-upgrade" or SiteOwner.StepName)).ToList();
        // 58, and a state and a restart step for each of the 9 extended servers, SBC servers, IM and Data Flow.
        Assert.Equal(76, commands.Count);
        // Directly, or through a step that waits for it (the portal helper's folder waits for the cluster).
        Assert.All(commands, c => Assert.True(DependsOnTransitively(options, c.Name, "pbx-ha-upgrade"), c.Name));
        Assert.Empty(options["pbx-ha-upgrade"].DependsOn);
    }

    private static bool DependsOnTransitively(IReadOnlyDictionary<string, DeclaredOptions> options, string name, string on) =>
        options[name].DependsOn.Any(d => d == on || DependsOnTransitively(options, d, on));

    [Theory]
    [InlineData("media-server-1-install")]
    [InlineData("queue-server-1-install")]
    [InlineData("meeting-server-1-install")]
    [InlineData("ivr-server-1-install")]
    [InlineData("sbc2-install")]
    [InlineData("dataflow-install")]
    [InlineData("im-install")]
    public async Task A_server_whose_identity_changes_is_removed_first_then_installed_again(string install)
    {
        var options = (await Prod())[install];
        Assert.Contains("triggers", options.ReplaceOnChanges);
        Assert.True(options.DeleteBeforeReplace);
    }

    [Fact]
    public async Task The_IM_service_is_protected_unless_the_site_says_otherwise()
    {
        Assert.True((await Prod())["im-install"].Protect);
        var unprotected = await OptionsRecorder.Record(Sites.ProdWith("im", """{"privateIp":"192.168.1.25","publicIp":"104.18.36.110","protect":false}"""));
        Assert.False(unprotected["im-install"].Protect);
    }

    [Fact]
    public async Task Stateless_servers_are_not_protected()
    {
        var options = await Prod();
        Assert.All(options.Values.Where(o => o.Name != "im-install"), o => Assert.False(o.Protect, o.Name));
    }
}
