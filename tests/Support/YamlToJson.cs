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

    /// <summary>The stack file's own conversion (ops/Stack/StackYaml.cs), so every YAML file is typed the same way.</summary>
    public static JsonNode? Convert(YamlNode node) => PortsipInfra.Ops.Stack.StackYaml.ToJson(node);
}
