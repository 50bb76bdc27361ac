using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

public class ProdSiteTests
{
    [Fact]
    public async Task The_prod_stack_declares_one_component_per_server_and_service()
    {
        var run = await PulumiRun.Stack(StackFile.Load("prod").WithSshKey());
        var types = run.Declared.GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.Select(r => r.Name).Order().ToArray());
        foreach (var (k, v) in types) Console.WriteLine($"{k}: {string.Join(", ", v)}");
        Assert.Equal(["media-server-1"], types["portsip:cluster:MediaServer"]);
    }
}
