using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// The resource graph of the prod and dev stacks as text (<see cref="GraphDump"/>). With PORTSIP_GRAPH_DUMP set to a
/// folder the dumps are written there, to compare two versions of the program (e.g. before and after a refactoring
/// of the scripts): <c>PORTSIP_GRAPH_DUMP=/tmp/graph dotnet test tests --filter GraphDump</c>, then <c>diff</c>.
/// </summary>
public class GraphDumpTests
{
    [Theory]
    [InlineData("prod")]
    [InlineData("dev")]
    [InlineData("prod-deploy-key")]
    public async Task The_graph_of_a_stack_is_the_same_on_every_run(string stack)
    {
        Dictionary<string, string> Config() => stack == "prod-deploy-key" ? Sites.ProdWith("deployKey", "true") : StackFile.Load(stack).WithSecrets();
        var first = GraphDump.Of(await PulumiRun.Stack(Config()));
        var second = GraphDump.Of(await PulumiRun.Stack(Config()));
        Assert.Equal(first, second);
        Assert.Contains("command:remote:Command pbx-ha-upgrade\n", first);
        if (Environment.GetEnvironmentVariable("PORTSIP_GRAPH_DUMP") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, stack + ".graph"), first);
        }
    }
}
