using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace PortsipInfra.Tests.Support;

/// <summary>
/// Reads a Pulumi.&lt;stack&gt;.yaml the way the Pulumi CLI hands it to the program: every key of the
/// <c>config:</c> block becomes a string, structured values (lists and objects) as JSON text.
/// </summary>
public static class StackFile
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static Dictionary<string, string> Load(string stack) =>
        Parse(File.ReadAllText(Path.Combine(RepositoryRoot, $"Pulumi.{stack}.yaml")));

    public static Dictionary<string, string> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var config = (YamlMappingNode)root.Children[new YamlScalarNode("config")];
        var result = new Dictionary<string, string>();
        foreach (var (key, value) in config.Children)
        {
            result[((YamlScalarNode)key).Value!] = value is YamlScalarNode scalar
                ? scalar.Value ?? ""
                : PortsipInfra.Ops.Stack.StackYaml.ToJson(value)!.ToJsonString();
        }
        return result;
    }

    // The build output normally sits below the repository; with --artifacts-path it does not, so the
    // source file's own location is the fallback.
    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "", Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Pulumi.yaml not found above " + AppContext.BaseDirectory);
    }

    public static string ToPulumiConfigJson(IReadOnlyDictionary<string, string> config) => JsonSerializer.Serialize(config);
}
