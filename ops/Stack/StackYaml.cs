using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PortsipInfra.Ops.Stack;

/// <summary>
/// Reads the <c>config:</c> block of a Pulumi.&lt;stack&gt;.yaml into the program's own <see cref="StackConfig"/>,
/// as the Pulumi CLI would hand it over: plain keys as text, lists and objects as JSON. Outside Pulumi there is no
/// <c>Pulumi.Config</c>, so this stands in for <see cref="StackConfigReader"/> with the same rules: a value of the
/// wrong type or a misspelt field becomes a <see cref="ConfigError"/> naming the key.
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

    /// <summary>The same fields, read the same way, as <see cref="StackConfigReader.Read"/>.</summary>
    public static StackConfig Read(IReadOnlyDictionary<string, string> values)
    {
        var errors = new List<ConfigError>();
        string? Text(string key) => values.TryGetValue(key, out var v) && v.Trim().Length > 0 ? v.Trim() : null;
        int? Number(string key)
        {
            if (Text(key) is not { } text)
            {
                return null;
            }
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
            errors.Add(new ConfigError(key, $"'{text}' is not a whole number"));
            return null;
        }
        bool? Boolean(string key)
        {
            if (Text(key) is not { } text)
            {
                return null;
            }
            if (bool.TryParse(text, out var b))
            {
                return b;
            }
            errors.Add(new ConfigError(key, $"'{text}' is not true or false"));
            return null;
        }
        T? Structured<T>(string key) where T : class
        {
            if (!values.TryGetValue(key, out var json))
            {
                return null;
            }
            try
            {
                return JsonSerializer.Deserialize<T>(json, Json);
            }
            catch (JsonException e)
            {
                var path = e.Path is null or "$" ? "" : e.Path.TrimStart('$');
                var message = e.Message.Split(" Path:")[0].TrimEnd('.');
                errors.Add(new ConfigError(key + path, $"{message} (value: {json})"));
                return null;
            }
        }

        var config = new StackConfig
        {
            Pbx01 = Text("pbx01"),
            VirtualIp = Text("virtualIp"),
            PublicIp = Text("publicIp"),
            GuideFolder = Text("guideFolder"),
            PbxImage = Text("pbxImage"),
            CertificateManager = Boolean("certificateManager"),
            SshUser = Text("sshUser"),
            SshPort = Number("sshPort"),
            Pbx01HostKey = Text("pbx01HostKey"),
            BastionHost = Text("bastionHost"),
            BastionPort = Number("bastionPort"),
            BastionUser = Text("bastionUser"),
            BastionHostKey = Text("bastionHostKey"),
            DeployKey = Boolean("deployKey"),
            PortalApiUrl = Text("portalApiUrl"),
            PortalInsecureTls = Boolean("portalInsecureTls"),
            PortalUser = Text("portalUser"),
            DisableDefaultServers = Boolean("disableDefaultServers"),
            OnlineTimeoutSeconds = Number("onlineTimeoutSeconds"),
            PreflightWarnOnly = Structured<string?[]>("preflightWarnOnly"),
            MediaServers = Structured<MediaServerConfig?[]>("mediaServers"),
            QueueServers = Structured<ServerConfig?[]>("queueServers"),
            MeetingServers = Structured<ServerConfig?[]>("meetingServers"),
            IvrServers = Structured<ServerConfig?[]>("ivrServers"),
            Im = Structured<ImConfig>("im"),
            Sbc = Structured<SbcConfig>("sbc"),
            DataFlow = Structured<DataFlowConfig>("dataFlow"),
        };
        return config with { ReadErrors = errors };
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
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
