using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace PortsipInfra.Tests.Support;

/// <summary>
/// A YAML document as JSON, with YAML 1.2 core scalar types (plain true/false, whole numbers and null keep their
/// type; everything quoted stays a string), so that a JSON Schema can check a YAML file.
/// </summary>
public static class YamlToJson
{
    public static JsonNode? Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return Convert(stream.Documents[0].RootNode);
    }

    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

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
}
