using System.Globalization;
using System.Text.Json;

namespace PortsipInfra;

/// <summary>
/// Reads the stack config: every key of the project (from Pulumi's config), structured keys field by field and
/// list element by list element. A value of the wrong type, an unknown key or field, becomes a
/// <see cref="ConfigError"/> naming the key path and the one bad value, never an exception, so that every problem
/// is reported together.
/// </summary>
public static class StackConfigReader
{
    /// <summary>
    /// Reads the project's keys through <paramref name="config"/>. Which keys the stack sets comes from
    /// <see cref="PulumiConfigEnvironment"/> (the same PULUMI_CONFIG the SDK reads), so that unknown ones are reported.
    /// </summary>
    public static StackConfig Read(Pulumi.Config config, string project)
    {
        var present = PulumiConfigEnvironment.KeysOf(project);
        var secret = PulumiConfigEnvironment.SecretKeysOf(project);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in present.Concat(ConfigKeys.All).Distinct().Where(k => !ConfigKeys.Secrets.Contains(k)))
        {
            if (config.Get(key) is { } value)
            {
                values[key] = value;
            }
        }
        return Read(values, secret);
    }

    /// <summary>Reads the keys of the project (without the "portsip-infra:" prefix) and their raw text values.</summary>
    public static StackConfig Read(IReadOnlyDictionary<string, string> values, IReadOnlySet<string>? secretKeys = null)
    {
        var r = new Reader(values, []);
        foreach (var key in values.Keys.Where(k => !ConfigKeys.All.Contains(k)).Order(StringComparer.Ordinal))
        {
            r.UnknownKey(key, secretKeys?.Contains(key) ?? false);
        }
        var result = new StackConfig
        {
            Pbx01 = r.Text("pbx01"),
            VirtualIp = r.Text("virtualIp"),
            PublicIp = r.Text("publicIp"),
            GuideFolder = r.Text("guideFolder"),
            PbxImage = r.Text("pbxImage"),
            CertificateManager = r.Boolean("certificateManager"),
            SshUser = r.Text("sshUser"),
            SshPort = r.WholeNumber("sshPort"),
            Pbx01HostKey = r.Text("pbx01HostKey"),
            BastionHost = r.Text("bastionHost"),
            BastionPort = r.WholeNumber("bastionPort"),
            BastionUser = r.Text("bastionUser"),
            BastionHostKey = r.Text("bastionHostKey"),
            DeployKey = r.Boolean("deployKey"),
            DeployKeyFrom = r.List("deployKeyFrom", "the pipeline runners' IPv4 addresses or networks, like [10.0.0.5, 10.0.1.0/24]",
                (path, e) => JsonText(path, e, r.Errors, "an IPv4 address or network")),
            TrustPbx01OnFirstUse = r.Boolean("trustPbx01OnFirstUse"),
            PortalApiUrl = r.Text("portalApiUrl"),
            PortalInsecureTls = r.Boolean("portalInsecureTls"),
            PortalCertificateSha256 = r.Text("portalCertificateSha256"),
            PortalCaFile = r.Text("portalCaFile"),
            PortalCaPem = PortalTrust.ReadCaFile("portalCaFile", r.Text("portalCaFile"), r.Errors),
            PortalAllowHttp = r.Boolean("portalAllowHttp"),
            PortalUser = r.Text("portalUser"),
            DisableDefaultServers = r.Boolean("disableDefaultServers"),
            OnlineTimeoutSeconds = r.WholeNumber("onlineTimeoutSeconds"),
            PreflightWarnOnly = r.List("preflightWarnOnly", "preflight check names, like [clock, disk]",
                (path, e) => JsonText(path, e, r.Errors, "a preflight check name")),
            TakeOverSiteFrom = r.Text(SiteHandover.Key),
            DrainTimeoutSeconds = r.WholeNumber("drainTimeoutSeconds"),
            DrainTimeoutAction = r.Text("drainTimeoutAction"),
            UpgradeStrategy = r.Single("upgradeStrategy", (path, e) => UpgradeStrategy(r.Object(path, e, "the upgrade strategy of each role", ConfigKeys.UpgradeStrategyFields))),
            MediaServers = r.List("mediaServers", "media servers", (path, e) => MediaServer(r.Object(path, e, "a media server", ConfigKeys.MediaServerFields))),
            QueueServers = r.List("queueServers", "queue servers", (path, e) => Server(r.Object(path, e, "a queue server", ConfigKeys.ServerFields))),
            MeetingServers = r.List("meetingServers", "meeting servers", (path, e) => MeetingServer(r.Object(path, e, "a meeting server", ConfigKeys.MeetingServerFields))),
            IvrServers = r.List("ivrServers", "IVR servers", (path, e) => Server(r.Object(path, e, "an IVR server", ConfigKeys.ServerFields))),
            Im = r.Single("im", (path, e) => Im(r.Object(path, e, "the IM service", ConfigKeys.ImFields))),
            Sbc = r.Single("sbc", (path, e) => Sbc(r, r.Object(path, e, "the SBC cluster", ConfigKeys.SbcFields))),
            DataFlow = r.Single("dataFlow", (path, e) => DataFlow(r.Object(path, e, "the Data Flow service", ConfigKeys.DataFlowFields))),
            Capacity = r.Single("capacity", (path, e) => Capacity(r.Object(path, e, "the capacity plan", ConfigKeys.CapacityFields))),
        };
        return result with { ReadErrors = r.Errors };
    }

    private static ServerConfig? Server(Fields? f) => f is null ? null : new ServerConfig
    {
        Name = f.Text("name"),
        PrivateIp = f.Text("privateIp"),
        HostKey = f.Text("hostKey"),
        RenamedFrom = f.Text("renamedFrom"),
        State = f.Text("state"),
        Restart = f.WholeNumber("restart", RunStateRules.RestartRange),
        DrainTimeoutSeconds = f.WholeNumber("drainTimeoutSeconds", ConfigKeys.Ranges.DrainTimeout),
    };

    private static ServerConfig? MeetingServer(Fields? f) => f is null ? null : Server(f)! with
    {
        MaxRooms = f.WholeNumber("maxRooms", ConfigKeys.Ranges.MaxRooms),
        MaxParticipants = f.WholeNumber("maxParticipants", ConfigKeys.Ranges.MaxParticipants),
    };

    private static CapacityConfig? Capacity(Fields? f) => f is null ? null : new CapacityConfig
    {
        TargetConcurrentCalls = f.WholeNumber("targetConcurrentCalls", ConfigKeys.Ranges.TargetConcurrentCalls),
        Redundancy = f.WholeNumber("redundancy", ConfigKeys.Ranges.Redundancy),
        ConcurrentUsers = f.WholeNumber("concurrentUsers", ConfigKeys.Ranges.ConcurrentUsers),
    };

    private static MediaServerConfig? MediaServer(Fields? f) => f is null ? null : new MediaServerConfig
    {
        Name = f.Text("name"),
        PrivateIp = f.Text("privateIp"),
        PublicIp = f.Text("publicIp"),
        InternetFacing = f.Boolean("internetFacing"),
        MaxSessions = f.WholeNumber("maxSessions", ConfigKeys.Ranges.MaxSessions),
        ExceedRecommendedMaxSessions = f.Boolean("exceedRecommendedMaxSessions"),
        RecordsCalls = f.Boolean("recordsCalls"),
        HostKey = f.Text("hostKey"),
        RenamedFrom = f.Text("renamedFrom"),
        State = f.Text("state"),
        Restart = f.WholeNumber("restart", RunStateRules.RestartRange),
        DrainTimeoutSeconds = f.WholeNumber("drainTimeoutSeconds", ConfigKeys.Ranges.DrainTimeout),
    };

    private static IReadOnlyDictionary<string, string?>? UpgradeStrategy(Fields? f) => f is null ? null :
        ConfigKeys.UpgradeStrategyFields.Where(role => f.Get(role) is not null).ToDictionary(role => role, role => f.Text(role));

    private static ImConfig? Im(Fields? f) => f is null ? null : new ImConfig
    {
        PrivateIp = f.Text("privateIp"),
        PublicIp = f.Text("publicIp"),
        StoragePath = f.Text("storagePath"),
        Protect = f.Boolean("protect"),
        TokenRotation = f.WholeNumber("tokenRotation", ConfigKeys.Ranges.TokenRotation),
        HostKey = f.Text("hostKey"),
        State = f.Text("state"),
        Restart = f.WholeNumber("restart", RunStateRules.RestartRange),
    };

    private static SbcConfig? Sbc(Reader r, Fields? f) => f is null ? null : new SbcConfig
    {
        Image = f.Text("image"),
        CertificateManager = f.Boolean("certificateManager"),
        Servers = f.Get("servers") is { } servers
            ? r.ListOf(f.Path + ".servers", servers, "SBC servers",
                (path, e) => SbcServer(r.Object(path, e, "an SBC server", ConfigKeys.SbcServerFields)))
            : null,
    };

    private static SbcServerConfig? SbcServer(Fields? f) => f is null ? null : new SbcServerConfig
    {
        Name = f.Text("name"),
        PrivateIp = f.Text("privateIp"),
        PublicIp = f.Text("publicIp"),
        HostKey = f.Text("hostKey"),
        State = f.Text("state"),
        Restart = f.WholeNumber("restart", RunStateRules.RestartRange),
    };

    private static DataFlowConfig? DataFlow(Fields? f) => f is null ? null : new DataFlowConfig
    {
        PrivateIp = f.Text("privateIp"),
        PublicIp = f.Text("publicIp"),
        DataPath = f.Text("dataPath"),
        ClickHouseImage = f.Text("clickhouseImage"),
        PbxImage = f.Text("pbxImage"),
        TokenRotation = f.WholeNumber("tokenRotation", ConfigKeys.Ranges.TokenRotation),
        HostKey = f.Text("hostKey"),
        State = f.Text("state"),
        Restart = f.WholeNumber("restart", RunStateRules.RestartRange),
    };

    /// <summary>A text value inside a structured key: a JSON string (or a number, which YAML makes of 2024).</summary>
    private static string? JsonText(string path, JsonElement e, List<ConfigError> errors, string what)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                var text = e.GetString()!;
                return Untrimmed(path, text, errors) ? null : text;
            case JsonValueKind.Number:
                return e.GetRawText();
            default:
                errors.Add(new ConfigError(path, $"{Show.Json(e)} is not text; expected {what}"));
                return null;
        }
    }

    /// <summary>Spaces or a line break around a value (a YAML block scalar `|` ends with one) never belong to it.</summary>
    private static bool Untrimmed(string path, string text, List<ConfigError> errors)
    {
        if (text.Trim() == text)
        {
            return false;
        }
        errors.Add(new ConfigError(path,
            $"{Show.Text(text)} has spaces or a line break at its start or end; remove them (a YAML block scalar `|` adds a line break at the end: use `|-` or a plain value)"));
        return true;
    }

    /// <summary>The top-level keys.</summary>
    private sealed class Reader(IReadOnlyDictionary<string, string> values, List<ConfigError> errors)
    {
        public List<ConfigError> Errors { get; } = errors;

        private void Error(string key, string message) => Errors.Add(new ConfigError(key, message));

        public void UnknownKey(string key, bool secret)
        {
            var value = secret ? "(a secret)" : Show.Text(values[key]);
            var closest = ConfigKeys.Closest(key, ConfigKeys.All);
            // "recordingServers" is a list of servers of a role this program does not know, not a typo of meetingServers.
            var serverList = key.EndsWith("Servers", StringComparison.OrdinalIgnoreCase)
                && (closest is null || ConfigKeys.Distance(key.ToLowerInvariant(), closest.ToLowerInvariant()) > 2);
            var hint = serverList ? $"the server lists are {string.Join(", ", ConfigKeys.ServerLists)}"
                : closest is not null ? $"did you mean {closest}?"
                : "the keys are listed in Pulumi.yaml and README.md";
            Error(key, $"is not a key of this program (value {value}), so it would be ignored; {hint}");
        }

        public string? Text(string key)
        {
            if (!values.TryGetValue(key, out var text))
            {
                return null;
            }
            if (text.Length == 0)
            {
                if (ConfigKeys.TextWithDefault.TryGetValue(key, out var fallback))
                {
                    Error(key, $"is empty; give a value, or remove the key to use the default '{fallback}'");
                }
                else if (ConfigKeys.RequiredText.Contains(key))
                {
                    Error(key, "is empty");
                }
                return null;
            }
            return Untrimmed(key, text, Errors) ? null : text;
        }

        public int? WholeNumber(string key)
        {
            if (!values.TryGetValue(key, out var text))
            {
                return null;
            }
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
            Error(key, $"{Show.Text(text)} is not a whole number; give {ConfigKeys.WholeNumbers[key]}");
            return null;
        }

        public bool? Boolean(string key)
        {
            if (!values.TryGetValue(key, out var text))
            {
                return null;
            }
            if (bool.TryParse(text, out var value))
            {
                return value;
            }
            Error(key, $"{Show.Text(text)} is not true or false");
            return null;
        }

        /// <summary>
        /// A structured key's JSON. Empty (a YAML key with nothing after it, as left when the last server is
        /// deleted) or null means none.
        /// </summary>
        private JsonElement? Json(string key, string expected)
        {
            if (!values.TryGetValue(key, out var text) || text.Trim() is "" or "null" or "~")
            {
                return null;
            }
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Set with `pulumi config set` as plain text instead of YAML structure.
                Error(key, $"{Show.Text(text)} is not {expected}");
                return null;
            }
        }

        public T?[]? List<T>(string key, string what, Func<string, JsonElement, T?> item) where T : class =>
            Json(key, $"a list of {what}") is { } e ? ListOf(key, e, what, item) : null;

        public T?[]? ListOf<T>(string path, JsonElement e, string what, Func<string, JsonElement, T?> item) where T : class
        {
            if (e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (e.ValueKind != JsonValueKind.Array)
            {
                Error(path, $"{Show.Json(e)} is not a list; expected a list of {what} (YAML: one '- ' line per entry)");
                return null;
            }
            return [.. e.EnumerateArray().Select((element, i) => item($"{path}[{i}]", element))];
        }

        public T? Single<T>(string key, Func<string, JsonElement, T?> read) where T : class =>
            Json(key, "an object (YAML: one 'field: value' line per field)") is { } e ? read(key, e) : null;

        /// <summary>The fields of one object; null (with the error said) when it is empty or not an object.</summary>
        public Fields? Object(string path, JsonElement e, string what, string[] fields)
        {
            var expected = $"{what}: an object with {string.Join(", ", fields)}";
            if (e.ValueKind == JsonValueKind.Null)
            {
                Error(path, $"is empty; expected {expected}");
                return null;
            }
            if (e.ValueKind != JsonValueKind.Object)
            {
                Error(path, $"{Show.Json(e)} is not {expected}");
                return null;
            }
            foreach (var field in e.EnumerateObject().Where(p => !fields.Contains(p.Name)))
            {
                var closest = ConfigKeys.Closest(field.Name, fields);
                Error($"{path}.{field.Name}",
                    $"is not a field of {what} (value {Show.Json(field.Value)}); the fields are {string.Join(", ", fields)}"
                    + (closest is null ? "" : $"; did you mean {closest}?"));
            }
            return new Fields(path, e, Errors);
        }
    }

    /// <summary>The fields of one object of a structured key.</summary>
    private sealed class Fields(string path, JsonElement e, List<ConfigError> errors)
    {
        public string Path => path;

        public JsonElement? Get(string name) => e.TryGetProperty(name, out var value) ? value : null;

        public string? Text(string name) => Get(name) is { } value ? JsonText($"{path}.{name}", value, errors, "text") : null;

        public int? WholeNumber(string name, string range)
        {
            if (Get(name) is not { } value || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            {
                return number;
            }
            if (value.ValueKind == JsonValueKind.String
                && int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }
            errors.Add(new ConfigError($"{path}.{name}", $"{Show.Json(value)} is not a whole number; give {range}"));
            return null;
        }

        public bool? Boolean(string name)
        {
            if (Get(name) is not { } value || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }
            if (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var flag))
            {
                return flag;
            }
            errors.Add(new ConfigError($"{path}.{name}", $"{Show.Json(value)} is not true or false"));
            return null;
        }
    }
}
