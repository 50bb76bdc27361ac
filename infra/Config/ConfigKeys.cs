namespace PortsipInfra;

/// <summary>
/// Every key this program reads from the stack config, and the fields of each structured key. A key or field
/// outside these lists is a mistake (a wrong case, a typo, a key of another tool) and is reported with the
/// closest known name, never ignored.
/// </summary>
public static class ConfigKeys
{
    /// <summary>Text keys whose Pulumi.yaml default is "": an empty value means "not set".</summary>
    public static readonly string[] OptionalText =
        ["publicIp", "pbx01HostKey", "bastionHost", "bastionUser", "bastionHostKey", "portalApiUrl", "portalCertificateSha256", "portalCaFile", SiteHandover.Key];

    /// <summary>Text keys with a default of their own (Pulumi.yaml); an empty value is a mistake, not the default.</summary>
    public static readonly IReadOnlyDictionary<string, string> TextWithDefault = new Dictionary<string, string>
    {
        ["guideFolder"] = SiteValidator.DefaultGuideFolder,
        ["pbxImage"] = SiteValidator.DefaultPbxImage,
        ["sshUser"] = SiteValidator.DefaultSshUser,
        ["portalUser"] = PortalSettings.DefaultAdminUser,
        ["drainTimeoutAction"] = "fail",
    };

    /// <summary>Required text keys.</summary>
    public static readonly string[] RequiredText = ["pbx01", "virtualIp"];

    public static readonly IReadOnlyDictionary<string, string> WholeNumbers = new Dictionary<string, string>
    {
        ["sshPort"] = Ranges.Port,
        ["bastionPort"] = Ranges.Port,
        ["onlineTimeoutSeconds"] = Ranges.OnlineTimeout,
        ["drainTimeoutSeconds"] = Ranges.DrainTimeout,
    };

    public static readonly string[] Booleans = ["certificateManager", "deployKey", "portalInsecureTls", "portalAllowHttp", "disableDefaultServers", "trustPbx01OnFirstUse"];

    public static readonly string[] ServerLists = ["mediaServers", "queueServers", "meetingServers", "ivrServers"];

    public static readonly string[] Structured = [.. ServerLists, "im", "sbc", "dataFlow", "preflightWarnOnly", "deployKeyFrom", "capacity", "upgradeStrategy"];

    /// <summary>Secrets: read by <see cref="SiteSecrets"/>, never quoted in a message.</summary>
    public static readonly string[] Secrets =
        [SiteSecrets.SshPrivateKeyKey, SiteSecrets.PortalPasswordKey, SiteSecrets.ServerPasswordKey, SiteSecrets.DataFlowTokenKey];

    public static IEnumerable<string> All =>
        [.. RequiredText, .. OptionalText, .. TextWithDefault.Keys, .. WholeNumbers.Keys, .. Booleans, .. Structured, .. Secrets];

    // The fields of each structured value, in the order the README shows them.
    public static readonly string[] ServerFields = ["name", "privateIp", "hostKey", "renamedFrom", "state", "restart", "drainTimeoutSeconds"];
    public static readonly string[] MeetingServerFields = [.. ServerFields, "maxRooms", "maxParticipants"];
    public static readonly string[] MediaServerFields =
        ["name", "privateIp", "publicIp", "internetFacing", "maxSessions", "exceedRecommendedMaxSessions", "recordsCalls", "hostKey", "renamedFrom", "state", "restart", "drainTimeoutSeconds"];
    public static readonly string[] UpgradeStrategyFields = ["media", "queue", "meeting", "ivr"];
    public static readonly string[] ImFields = ["privateIp", "publicIp", "storagePath", "protect", "tokenRotation", "hostKey", "state", "restart"];
    public static readonly string[] SbcFields = ["image", "certificateManager", "servers"];
    public static readonly string[] SbcServerFields = ["name", "privateIp", "publicIp", "hostKey", "state", "restart"];
    public static readonly string[] DataFlowFields = ["privateIp", "publicIp", "dataPath", "clickhouseImage", "pbxImage", "tokenRotation", "hostKey", "state", "restart"];
    public static readonly string[] CapacityFields = ["targetConcurrentCalls", "redundancy", "concurrentUsers"];

    /// <summary>The allowed whole numbers, in an operator's words.</summary>
    public static class Ranges
    {
        public const string Port = "a TCP port from 1 to 65535";
        public const string OnlineTimeout = "a number of seconds from 10 to 86400";
        public const string MaxSessions = "a number of call sessions from 1 to 5,000 (more with exceedRecommendedMaxSessions: true)";
        public const string TokenRotation = "a count of token rotations, 0 or more";
        public const string TargetConcurrentCalls = "a number of concurrent calls, 1 or more";
        public const string Redundancy = "how many media servers may be down at once: 0 (none), 1 (N+1, the default), 2 (N+2) or more";
        public const string ConcurrentUsers = "a number of concurrent users, 1 or more";
        public const string MaxRooms = "a number of conference rooms, 0 or more (the REST API's max_rooms)";
        public const string MaxParticipants = "a number of conference participants, 0 or more (the REST API's max_participants)";
        public const string DrainTimeout = "a number of seconds from 0 to 86400 (0: disable the server and check its sessions once)";
    }

    /// <summary>
    /// The known name closest to <paramref name="unknown"/>: the same name in another case, or one at most a third
    /// of its letters away (a typo); null when nothing is that close.
    /// </summary>
    public static string? Closest(string unknown, IEnumerable<string> known)
    {
        // Compared in lower case: a name in another case is at distance 0.
        var best = known
            .Select(k => (Key: k, Distance: Distance(unknown.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Key is not null && best.Distance <= Math.Max(2, unknown.Length / 3) ? best.Key : null;
    }

    /// <summary>Levenshtein distance: how many letters to insert, delete or change to turn one name into the other.</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var change = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(change, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
