using System.Collections.Immutable;

namespace PortsipInfra;

/// <summary>
/// Turns the raw stack config into a <see cref="SiteTopology"/>, or into the full list of what is wrong with it.
/// A pure function: no Pulumi, no I/O, so every rule is unit-tested on its own.
/// </summary>
public static class SiteValidator
{
    public const string DefaultGuideFolder = "/opt/portsip-pbx-ha-guide";
    public const string DefaultSshUser = "pbx";
    public const string DefaultPbxImage = "portsip/pbx:22";

    /// <summary>The guide recommends no more than 5,000 call sessions per media server.</summary>
    public const int RecommendedMaxSessions = 5000;

    /// <summary>The PortSIP REST API's default for a media server's maximum concurrency.</summary>
    public const int DefaultMaxSessions = 2000;

    public sealed record Result(SiteTopology? Topology, IReadOnlyList<ConfigError> Errors)
    {
        public bool IsValid => Errors.Count == 0;
    }

    public static Result Validate(StackConfig config)
    {
        var v = new Checker(config.ReadErrors);
        var pbx = CheckPbx(config, v);
        var servers = CheckExtendedServers(config, v);
        var im = CheckIm(config.Im, v);
        var sbc = CheckSbc(config.Sbc, v);
        var dataFlow = CheckDataFlow(config.DataFlow, pbx.Image, v);
        CheckOneRolePerAddress(pbx, v);
        var portal = CheckPortal(config, v);
        var preparation = CheckHostPreparation(config, v);

        return v.Errors.Count > 0
            ? new Result(null, v.Errors)
            : new Result(new SiteTopology(pbx, servers, im, sbc, dataFlow, portal, preparation), []);
    }

    private static PortalSettings CheckPortal(StackConfig c, Checker v)
    {
        var defaults = PortalSettings.Default;
        var url = c.PortalApiUrl ?? defaults.ApiUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || url.Any(char.IsWhiteSpace))
        {
            v.Error("portalApiUrl", $"'{url}' is not an http(s) URL like {defaults.ApiUrl}");
        }
        var user = c.PortalUser ?? defaults.AdminUser;
        if (user.Length is < 1 or > 64 || user.Any(char.IsWhiteSpace))
        {
            v.Error("portalUser", $"'{user}' is not a Web Portal user name (1-64 characters, no spaces)");
        }
        var timeout = c.OnlineTimeoutSeconds ?? defaults.OnlineTimeoutSeconds;
        if (timeout is < 10 or > 86400)
        {
            v.Error("onlineTimeoutSeconds", $"{timeout} is not between 10 and 86400 seconds");
        }
        return new PortalSettings(url, c.PortalInsecureTls ?? defaults.InsecureTls, user,
            c.DisableDefaultServers ?? defaults.DisableDefaultServers, timeout);
    }

    private static HostPreparationSettings CheckHostPreparation(StackConfig c, Checker v)
    {
        var names = ImmutableHashSet.CreateBuilder<string>();
        foreach (var (name, i) in (c.PreflightWarnOnly ?? []).Select((n, i) => (n, i)))
        {
            if (name is null || !PreflightChecks.All.Contains(name))
            {
                v.Error($"preflightWarnOnly[{i}]", $"'{name}' is not a preflight check; the checks are {string.Join(", ", PreflightChecks.All)}");
            }
            else
            {
                names.Add(name);
            }
        }
        return new HostPreparationSettings(names.ToImmutable());
    }

    private static PbxClusterSettings CheckPbx(StackConfig c, Checker v)
    {
        var pbx01 = v.RequiredIp("pbx01", c.Pbx01);
        var vip = v.RequiredIp("virtualIp", c.VirtualIp);
        if (pbx01 is not null && pbx01 == vip)
        {
            v.Error("virtualIp", $"'{vip}' is pbx01's own address; the virtual IP floats between pbx01..pbx03 and must differ (commands run on pbx01, never on the virtual IP)");
        }
        var publicIp = v.OptionalIp("publicIp", c.PublicIp);
        var guide = v.Path("guideFolder", c.GuideFolder ?? DefaultGuideFolder)!;
        var image = v.Image("pbxImage", c.PbxImage ?? DefaultPbxImage)!;
        var user = c.SshUser ?? DefaultSshUser;
        if (!NamingRules.IsUser(user))
        {
            v.Error("sshUser", $"'{user}' is not {NamingRules.UserRule}");
        }
        var port = v.Port("sshPort", c.SshPort ?? 22);
        var hostKey = v.HostKey("pbx01HostKey", c.Pbx01HostKey);

        BastionSettings? bastion = null;
        if (c.BastionHost is not null)
        {
            if (!NamingRules.IsHost(c.BastionHost))
            {
                v.Error("bastionHost", $"'{c.BastionHost}' is not {NamingRules.HostRule}");
            }
            var bastionUser = c.BastionUser ?? user;
            if (!NamingRules.IsUser(bastionUser))
            {
                v.Error("bastionUser", $"'{bastionUser}' is not {NamingRules.UserRule}");
            }
            bastion = new BastionSettings(c.BastionHost, v.Port("bastionPort", c.BastionPort ?? 22), bastionUser,
                v.HostKey("bastionHostKey", c.BastionHostKey));
        }
        else if (c.BastionUser is not null || c.BastionHostKey is not null)
        {
            v.Error("bastionHost", "is not set, but other bastion* keys are; set bastionHost or remove them");
        }

        return new PbxClusterSettings(pbx01 ?? "", vip ?? "", publicIp, guide.TrimEnd('/') is "" ? "/" : guide.TrimEnd('/'),
            image, c.CertificateManager ?? false, new SshSettings(user, port, hostKey, bastion, c.DeployKey ?? false)
            {
                TrustOnFirstUse = c.TrustPbx01OnFirstUse ?? false,
                DeployKeyFrom = DeployKeySources.Check(c.DeployKey ?? false, c.DeployKeyFrom, v.Error),
            });
    }

    private static ImmutableArray<ExtendedServerSettings> CheckExtendedServers(StackConfig c, Checker v)
    {
        var servers = ImmutableArray.CreateBuilder<ExtendedServerSettings>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);

        void Add(ExtendedServerSettings server, string key)
        {
            if (names.TryGetValue(server.Name, out var firstKey))
            {
                v.Error(key + ".name", $"'{server.Name}' is already used by {firstKey}; every server needs a unique name");
            }
            else
            {
                names[server.Name] = key;
            }
            servers.Add(server);
        }

        foreach (var (entry, i) in (c.MediaServers ?? []).Select((e, i) => (e, i)))
        {
            var key = $"mediaServers[{i}]";
            if (entry is null)
            {
                v.Error(key, "is empty; give at least name and privateIp");
                continue;
            }
            var name = v.ServerName(key + ".name", entry.Name);
            var ip = v.ServerIp(key + ".privateIp", entry.PrivateIp, name);
            var publicIp = v.OptionalIp(key + ".publicIp", entry.PublicIp);
            if (entry.PublicIp is null && entry.InternetFacing != false)
            {
                v.Error(key + ".publicIp",
                    "is missing: a media server that serves Internet users needs its static public IP (set internetFacing: false for a LAN-only media server)");
            }
            var max = entry.MaxSessions ?? DefaultMaxSessions;
            if (max < 1)
            {
                v.Error(key + ".maxSessions", $"{max} is not a positive number of call sessions");
            }
            else if (max > RecommendedMaxSessions && entry.ExceedRecommendedMaxSessions != true)
            {
                v.Error(key + ".maxSessions",
                    $"{max} is above the guide's recommended {RecommendedMaxSessions:N0} call sessions per media server; add more media servers, or set exceedRecommendedMaxSessions: true to accept it");
            }
            if (name is not null && ip is not null)
            {
                Add(new ExtendedServerSettings(ServerRole.Media, name, ip, publicIp, max, entry.RecordsCalls ?? false,
                    v.HostKey(key + ".hostKey", entry.HostKey)), key);
            }
        }

        foreach (var role in new[] { ServerRole.Queue, ServerRole.Meeting, ServerRole.Ivr })
        {
            var list = role switch
            {
                ServerRole.Queue => c.QueueServers,
                ServerRole.Meeting => c.MeetingServers,
                _ => c.IvrServers,
            };
            foreach (var (entry, i) in (list ?? []).Select((e, i) => (e, i)))
            {
                var key = $"{role.ConfigKey()}[{i}]";
                if (entry is null)
                {
                    v.Error(key, "is empty; give name and privateIp");
                    continue;
                }
                var name = v.ServerName(key + ".name", entry.Name);
                var ip = v.ServerIp(key + ".privateIp", entry.PrivateIp, name);
                if (name is not null && ip is not null)
                {
                    Add(new ExtendedServerSettings(role, name, ip, HostKey: v.HostKey(key + ".hostKey", entry.HostKey)), key);
                }
            }
        }
        return servers.ToImmutable();
    }

    private static ImSettings? CheckIm(ImConfig? im, Checker v)
    {
        if (im is null)
        {
            return null;
        }
        var ip = v.ServerIp("im.privateIp", im.PrivateIp, "the IM service");
        var publicIp = v.OptionalIp("im.publicIp", im.PublicIp);
        if (im.PublicIp is null)
        {
            v.Error("im.publicIp", "is missing: im.sh run needs the IM server's static public IP (-A)");
        }
        var path = v.Path("im.storagePath", im.StoragePath);
        var rotation = v.Rotation("im.tokenRotation", im.TokenRotation);
        var hostKey = v.HostKey("im.hostKey", im.HostKey);
        return ip is null || publicIp is null ? null : new ImSettings(ip, publicIp, path, im.Protect ?? true, rotation, hostKey);
    }

    private static SbcSettings? CheckSbc(SbcConfig? sbc, Checker v)
    {
        if (sbc is null)
        {
            return null;
        }
        string? image = null;
        if (sbc.Image is null)
        {
            v.Error("sbc.image", "is missing: sbc.sh needs the SBC image to deploy, such as portsip/sbc:11");
        }
        else
        {
            image = v.Image("sbc.image", sbc.Image);
        }
        if (sbc.Servers is null || sbc.Servers.Length == 0)
        {
            v.Error("sbc.servers", "is empty: list at least one SBC server (privateIp, publicIp), or remove the sbc key");
        }
        var servers = ImmutableArray.CreateBuilder<SbcServerSettings>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (entry, i) in (sbc.Servers ?? []).Select((e, i) => (e, i)))
        {
            var key = $"sbc.servers[{i}]";
            if (entry is null)
            {
                v.Error(key, "is empty; give privateIp and publicIp");
                continue;
            }
            var ip = v.ServerIp(key + ".privateIp", entry.PrivateIp, entry.Name ?? "an SBC server");
            var publicIp = v.OptionalIp(key + ".publicIp", entry.PublicIp);
            var name = entry.Name is null ? ip is null ? null : "sbc-" + ip.Replace('.', '-') : v.ServerName(key + ".name", entry.Name);
            if (name is not null && !names.Add(name))
            {
                v.Error(key + ".name", $"'{name}' is already used by another SBC server");
            }
            if (name is not null && ip is not null)
            {
                servers.Add(new SbcServerSettings(name, ip, publicIp, v.HostKey(key + ".hostKey", entry.HostKey)));
            }
        }
        return image is null ? null : new SbcSettings(image, sbc.CertificateManager ?? false, servers.ToImmutable());
    }

    private static DataFlowSettings? CheckDataFlow(DataFlowConfig? df, string pbxImage, Checker v)
    {
        if (df is null)
        {
            return null;
        }
        var ip = v.ServerIp("dataFlow.privateIp", df.PrivateIp, "the Data Flow service");
        var publicIp = v.OptionalIp("dataFlow.publicIp", df.PublicIp);
        string? path = null;
        if (df.DataPath is null)
        {
            v.Error("dataFlow.dataPath", "is missing: dataflow.sh run needs the path for Data Flow and ClickHouse data (-p), such as /var/lib/portsip");
        }
        else
        {
            path = v.Path("dataFlow.dataPath", df.DataPath);
        }
        var clickhouse = v.Image("dataFlow.clickhouseImage", df.ClickHouseImage);
        var image = v.Image("dataFlow.pbxImage", df.PbxImage) ?? pbxImage;
        var rotation = v.Rotation("dataFlow.tokenRotation", df.TokenRotation);
        var hostKey = v.HostKey("dataFlow.hostKey", df.HostKey);
        return ip is null || path is null ? null : new DataFlowSettings(ip, publicIp, path, clickhouse, image, rotation, hostKey);
    }

    /// <summary>Each server has one role; no server may take the virtual IP or pbx01's address.</summary>
    private static void CheckOneRolePerAddress(PbxClusterSettings pbx, Checker v)
    {
        var owners = new Dictionary<string, (string Key, string What)>();
        if (pbx.Pbx01 != "")
        {
            owners[pbx.Pbx01] = ("pbx01", "pbx01");
        }
        if (pbx.VirtualIp != "" && !owners.ContainsKey(pbx.VirtualIp))
        {
            owners[pbx.VirtualIp] = ("virtualIp", "the PBX virtual IP");
        }
        foreach (var (key, ip, what) in v.ServerAddresses)
        {
            if (owners.TryGetValue(ip, out var first))
            {
                v.Error(key, $"'{ip}' is already used by {first.What} ({first.Key}); each server has one role and its own IP");
            }
            else
            {
                owners[ip] = (key, what);
            }
        }
    }

    /// <summary>Collects errors; each helper returns the checked value, or null when it is wrong or absent.</summary>
    private sealed class Checker(IReadOnlyList<ConfigError> readErrors)
    {
        public List<ConfigError> Errors { get; } = [.. readErrors];
        public List<(string Key, string Ip, string What)> ServerAddresses { get; } = [];

        public void Error(string key, string message) => Errors.Add(new ConfigError(key, message));

        public string? RequiredIp(string key, string? value)
        {
            if (value is null)
            {
                Error(key, "is missing");
                return null;
            }
            return OptionalIp(key, value);
        }

        public string? OptionalIp(string key, string? value)
        {
            if (value is null)
            {
                return null;
            }
            var problem = Ipv4.Problem(value);
            if (problem is not null)
            {
                Error(key, $"'{value}' {problem}");
                return null;
            }
            return value;
        }

        public string? ServerIp(string key, string? value, string? serverName)
        {
            var ip = RequiredIp(key, value);
            if (ip is not null)
            {
                ServerAddresses.Add((key, ip, serverName ?? key));
            }
            return ip;
        }

        public string? ServerName(string key, string? value)
        {
            if (value is null)
            {
                Error(key, "is missing: use the server's name as registered in the Web Portal");
                return null;
            }
            if (!NamingRules.IsServerName(value))
            {
                Error(key, $"'{value}' is not a valid server name ({NamingRules.ServerNameRule})");
                return null;
            }
            return value;
        }

        public string? Path(string key, string? value)
        {
            if (value is not null && !NamingRules.IsAbsolutePath(value))
            {
                Error(key, $"'{value}' is not {NamingRules.PathRule}");
                return null;
            }
            return value;
        }

        public string? Image(string key, string? value)
        {
            if (value is not null && !NamingRules.IsImage(value))
            {
                Error(key, $"'{value}' is not {NamingRules.ImageRule}");
                return null;
            }
            return value;
        }

        public int Port(string key, int value)
        {
            if (value is < 1 or > 65535)
            {
                Error(key, $"{value} is not a TCP port (1-65535)");
            }
            return value;
        }

        public int Rotation(string key, int? value)
        {
            if (value is < 0)
            {
                Error(key, $"{value} is not a count of rotations (0 or more; raise it by one to rotate the token)");
                return 0;
            }
            return value ?? 0;
        }

        public string? HostKey(string key, string? value)
        {
            if (value is not null && !NamingRules.IsHostKey(value))
            {
                Error(key, $"'{value}' is not {NamingRules.HostKeyRule}");
                return null;
            }
            return value?.Trim();
        }
    }
}
