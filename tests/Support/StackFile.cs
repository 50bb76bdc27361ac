using System.Text.Json;
using System.Text.Json.Nodes;
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
                : ToJson(value)!.ToJsonString();
        }
        return result;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    // Like YAML 1.2 core schema (what Pulumi uses): unquoted numbers and booleans keep their type.
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.Plain)
        {
            if (text is "true" or "false")
            {
                return JsonValue.Create(text == "true");
            }
            if (long.TryParse(text, out var number))
            {
                return JsonValue.Create(number);
            }
            if (text is "null" or "~" or "")
            {
                return null;
            }
        }
        return JsonValue.Create(text);
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
