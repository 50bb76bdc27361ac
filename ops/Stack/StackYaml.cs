using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PortsipInfra.Ops.Stack;

/// <summary>
/// Reads the <c>config:</c> block of a Pulumi.&lt;stack&gt;.yaml as the Pulumi CLI would hand it to the program:
/// plain keys as text, lists and objects as JSON text. <see cref="StackConfigReader"/> then reads those values with
/// exactly the program's rules.
/// </summary>
public static class StackYaml
{
    private static readonly JsonSerializerOptions Json = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNameCaseInsensitive = false,
    };

    /// <summary>The <c>config:</c> mapping of the stack file, or an error naming the file.</summary>
    public static YamlMappingNode ConfigNode(YamlStream yaml, string file)
    {
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("config"), out var config))
        {
            throw new OpsError($"{file} has no config: block");
        }
        return config as YamlMappingNode ?? throw new OpsError($"{file}: config: is not a mapping of keys");
    }

    public static YamlStream Parse(string text, string file)
    {
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new OpsError($"{file} is not valid YAML (line {e.Start.Line}): {e.Message}");
        }
        return yaml;
    }

    /// <summary>Every <c>project:key</c> of the config block: scalars as text, lists and objects as JSON text.</summary>
    public static Dictionary<string, string> Values(YamlMappingNode config, string project)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in config.Children)
        {
            if (keyNode is YamlScalarNode { Value: { } key } && key.StartsWith(project + ":", StringComparison.Ordinal))
            {
                values[key[(project.Length + 1)..]] = value is YamlScalarNode scalar
                    ? scalar.Value ?? ""
                    : ToJson(value)?.ToJsonString() ?? "null";
            }
        }
        return values;
    }

    /// <summary>A YAML node as JSON, scalars typed as Pulumi reads them (also used by the tests for other YAML files).</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    // YAML 1.2 core schema, as Pulumi reads it: unquoted numbers and booleans keep their type.
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.Plain)
        {
            if (text is "true" or "false")
            {
                return JsonValue.Create(text == "true");
            }
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
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
}
