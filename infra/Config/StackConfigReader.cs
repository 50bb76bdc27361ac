using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortsipInfra;

/// <summary>
/// Reads the stack config through Pulumi's <see cref="Pulumi.Config"/>. A value of the wrong type becomes a
/// <see cref="ConfigError"/> naming the key and the value, never an exception, so that every problem is
/// reported together.
/// </summary>
public static class StackConfigReader
{
    private static readonly JsonSerializerOptions Json = new()
    {
        // A misspelt field (privateIP for privateIp) must be reported, not silently ignored.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNameCaseInsensitive = false,
    };

    public static StackConfig Read(Pulumi.Config config)
    {
        var errors = new List<ConfigError>();
        var result = new StackConfig
        {
            Pbx01 = Text(config, "pbx01"),
            VirtualIp = Text(config, "virtualIp"),
            PublicIp = Text(config, "publicIp"),
            GuideFolder = Text(config, "guideFolder"),
            PbxImage = Text(config, "pbxImage"),
            CertificateManager = Boolean(config, "certificateManager", errors),
            SshUser = Text(config, "sshUser"),
            SshPort = WholeNumber(config, "sshPort", errors),
            Pbx01HostKey = Text(config, "pbx01HostKey"),
            BastionHost = Text(config, "bastionHost"),
            BastionPort = WholeNumber(config, "bastionPort", errors),
            BastionUser = Text(config, "bastionUser"),
            BastionHostKey = Text(config, "bastionHostKey"),
            DeployKey = Boolean(config, "deployKey", errors),
            DeployKeyFrom = Structured<string?[]>(config, "deployKeyFrom", errors),
            TrustPbx01OnFirstUse = Boolean(config, "trustPbx01OnFirstUse", errors),
            PortalApiUrl = Text(config, "portalApiUrl"),
            PortalInsecureTls = Boolean(config, "portalInsecureTls", errors),
            PortalUser = Text(config, "portalUser"),
            DisableDefaultServers = Boolean(config, "disableDefaultServers", errors),
            OnlineTimeoutSeconds = WholeNumber(config, "onlineTimeoutSeconds", errors),
            PreflightWarnOnly = Structured<string?[]>(config, "preflightWarnOnly", errors),
            MediaServers = Structured<MediaServerConfig?[]>(config, "mediaServers", errors),
            QueueServers = Structured<ServerConfig?[]>(config, "queueServers", errors),
            MeetingServers = Structured<ServerConfig?[]>(config, "meetingServers", errors),
            IvrServers = Structured<ServerConfig?[]>(config, "ivrServers", errors),
            Im = Structured<ImConfig>(config, "im", errors),
            Sbc = Structured<SbcConfig>(config, "sbc", errors),
            DataFlow = Structured<DataFlowConfig>(config, "dataFlow", errors),
        };
        return result with { ReadErrors = errors };
    }

    /// <summary>A plain text value; Pulumi.yaml gives optional keys the default "", which means "not set".</summary>
    private static string? Text(Pulumi.Config config, string key) =>
        config.Get(key) is { } value && value.Trim().Length > 0 ? value.Trim() : null;

    private static int? WholeNumber(Pulumi.Config config, string key, List<ConfigError> errors)
    {
        var text = config.Get(key);
        if (text is null)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        errors.Add(new ConfigError(key, $"'{text}' is not a whole number"));
        return null;
    }

    private static bool? Boolean(Pulumi.Config config, string key, List<ConfigError> errors)
    {
        var text = config.Get(key);
        if (text is null)
        {
            return null;
        }
        if (bool.TryParse(text, out var value))
        {
            return value;
        }
        errors.Add(new ConfigError(key, $"'{text}' is not true or false"));
        return null;
    }

    private static T? Structured<T>(Pulumi.Config config, string key, List<ConfigError> errors) where T : class
    {
        try
        {
            return config.GetObject<T>(key, Json);
        }
        catch (Exception e) when (FindJsonError(e) is { } json)
        {
            errors.Add(new ConfigError(key + JsonPath(json.Path), Describe(json, config.Get(key))));
            return null;
        }
    }

    private static JsonException? FindJsonError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                return json;
            }
        }
        return null;
    }

    // "$[1].maxSessions" becomes "[1].maxSessions", "$.servers[0]" becomes ".servers[0]".
    private static string JsonPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "" : path.TrimStart('$');

    private static string Describe(JsonException e, string? rawValue)
    {
        var message = e.Message;
        // System.Text.Json's messages end with "Path: ... | LineNumber: ..."; the key already carries the path.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }
        message = message.Replace("The JSON value could not be converted to ", "wrong type, expected ")
            .Replace("System.Nullable`1[System.Int32]", "a whole number")
            .Replace("System.Nullable`1[System.Boolean]", "true or false")
            .Replace("System.String", "text")
            .Replace("[]", " list");
        return $"{message.TrimEnd('.')} (value: {Abbreviate(rawValue)})";
    }

    private static string Abbreviate(string? value)
    {
        if (value is null)
        {
            return "none";
        }
        var oneLine = value.ReplaceLineEndings(" ");
        return oneLine.Length <= 120 ? oneLine : oneLine[..117] + "...";
    }
}
