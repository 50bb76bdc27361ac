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
        CheckOneRolePerAddress(config, v);
        var portal = CheckPortal(config, pbx, v);
        var preparation = CheckHostPreparation(config, v);
        var capacity = CapacityRules.Check(config.Capacity, config.MediaServers, v.Error);
        var takeOver = SiteHandover.Check(config.TakeOverSiteFrom, v.Error);
        var drain = DrainRules.Check(config, v.Error);

        if (v.Errors.Count > 0)
        {
            return new Result(null, v.Errors);
        }
        var site = new SiteTopology(pbx, servers, im, sbc, dataFlow, portal, preparation) { Capacity = capacity, TakeOverSiteFrom = takeOver, Drain = drain };
        var rolling = DrainRules.RollingProblems(site, capacity.TargetConcurrentCalls).ToList();
        return rolling.Count > 0 ? new Result(null, rolling) : new Result(site, []);
    }

    private static PortalSettings CheckPortal(StackConfig c, PbxClusterSettings pbx, Checker v)
    {
        var defaults = PortalSettings.Default(pbx.VirtualIp);
        var url = c.PortalApiUrl ?? defaults.ApiUrl;
        // The default is built from the virtual IP, which is checked (and reported) on its own.
        var http = c.PortalApiUrl is not null && IsPlainHttp(c, url, v);
        var user = c.PortalUser ?? defaults.AdminUser;
        if (user.Length is < 1 or > 64 || user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            v.Error("portalUser", $"{Show.Text(user)} is not a Web Portal user name (1-64 characters, no spaces)");
        }
        var timeout = c.OnlineTimeoutSeconds ?? defaults.OnlineTimeoutSeconds;
        if (timeout is < 10 or > 86400)
        {
            v.Error("onlineTimeoutSeconds", $"{timeout} is not {ConfigKeys.Ranges.OnlineTimeout}");
        }
        var (pin, ca) = CheckPortalTrust(c, http, v);
        return new PortalSettings(url, user, c.DisableDefaultServers ?? defaults.DisableDefaultServers, timeout,
            pin, ca, http && c.PortalAllowHttp == true);
    }

    /// <summary>Checks an explicit portalApiUrl; true when it is plain http (allowed only with portalAllowHttp).</summary>
    private static bool IsPlainHttp(StackConfig c, string url, Checker v)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || url.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch)))
        {
            v.Error("portalApiUrl", $"{Show.Text(url)} is not an http(s) URL like https://<virtualIp>:8887/api");
        }
        else if (uri.UserInfo.Length > 0)
        {
            // Never quote the password: the message lands in logs.
            v.Error("portalApiUrl", $"'{uri.Scheme}://***@{uri.Authority}{uri.PathAndQuery}' has a user name and password in it; "
                + "give the user in portalUser and the password in the secret portalPassword");
        }
        else if (uri.Scheme == "http")
        {
            if (c.PortalAllowHttp != true)
            {
                v.Error("portalApiUrl", $"{Show.Text(url)} is plain http: the admin password would cross the network in clear; use https "
                    + "(plain http is accepted only with portalAllowHttp: true)");
            }
            return true;
        }
        return false;
    }

    private static (string? Pin, string? Ca) CheckPortalTrust(StackConfig c, bool http, Checker v)
    {
        if (c.PortalInsecureTls == true)
        {
            v.Error("portalInsecureTls", "'true' is no longer accepted: it let any certificate through, and with it the admin "
                + "password; pin the PBX's certificate with portalCertificateSha256 or give the CA that issued it with portalCaFile, "
                + "then remove portalInsecureTls");
        }
        string? pin = null;
        if (c.PortalCertificateSha256 is { } text)
        {
            pin = PortalTrust.Fingerprint(text);
            if (pin is null)
            {
                v.Error("portalCertificateSha256", $"'{text}' is not {PortalTrust.FingerprintRule}");
            }
        }
        string? ca = null;
        if (c.PortalCaPem is { } pem)
        {
            ca = PortalTrust.CaCertificates(pem, out var problem);
            if (problem is not null)
            {
                v.Error("portalCaFile", $"'{c.PortalCaFile}' {problem}");
            }
        }
        if (c.PortalCertificateSha256 is not null && c.PortalCaFile is not null)
        {
            v.Error("portalCaFile", $"'{c.PortalCaFile}' is set together with portalCertificateSha256; set one of them: the "
                + "pinned certificate, or the CA that issued it");
        }
        foreach (var (key, value) in new[] { ("portalCertificateSha256", c.PortalCertificateSha256), ("portalCaFile", c.PortalCaFile) })
        {
            if (http && value is not null)
            {
                v.Error(key, $"'{value}' cannot apply: portalApiUrl is plain http, which has no certificate to check");
            }
        }
        return (pin, ca);
    }

    private static HostPreparationSettings CheckHostPreparation(StackConfig c, Checker v)
    {
        var names = ImmutableHashSet.CreateBuilder<string>();
        foreach (var (name, i) in (c.PreflightWarnOnly ?? []).Select((n, i) => (n, i)))
        {
            if (name is null || !PreflightChecks.All.Contains(name))
            {
                v.Error($"preflightWarnOnly[{i}]", $"{(name is null ? "an empty entry" : Show.Text(name))} is not a preflight check; the checks are {string.Join(", ", PreflightChecks.All)}");
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
        var publicIp = v.PublicIp("publicIp", c.PublicIp);
        if (publicIp is not null && publicIp == pbx01)
        {
            v.Error("publicIp", $"'{publicIp}' is pbx01's own address; publicIp is the static public IP routed to the virtual IP");
        }
        var guide = v.Path("guideFolder", c.GuideFolder ?? DefaultGuideFolder) ?? DefaultGuideFolder;
        var image = v.Image("pbxImage", c.PbxImage ?? DefaultPbxImage) ?? DefaultPbxImage;
        var user = c.SshUser ?? DefaultSshUser;
        if (!NamingRules.IsUser(user))
        {
            v.Error("sshUser", $"{Show.Text(user)} is not {NamingRules.UserRule}");
        }
        var port = v.Port("sshPort", c.SshPort ?? 22);
        var hostKey = v.HostKey("pbx01HostKey", c.Pbx01HostKey);

        BastionSettings? bastion = null;
        if (c.BastionHost is not null)
        {
            if (!NamingRules.IsHost(c.BastionHost))
            {
                v.Error("bastionHost", $"{Show.Text(c.BastionHost)} is not {NamingRules.HostRule}");
            }
            var bastionUser = c.BastionUser ?? user;
            if (!NamingRules.IsUser(bastionUser))
            {
                v.Error("bastionUser", $"{Show.Text(bastionUser)} is not {NamingRules.UserRule}");
            }
            bastion = new BastionSettings(c.BastionHost, v.Port("bastionPort", c.BastionPort ?? 22), bastionUser,
                v.HostKey("bastionHostKey", c.BastionHostKey));
        }
        else
        {
            // bastionPort's Pulumi.yaml default (22) arrives as if set; any other value means a bastion was meant.
            foreach (var (key, value) in new[]
                     {
                         ("bastionUser", c.BastionUser is null ? null : Show.Text(c.BastionUser)),
                         ("bastionPort", c.BastionPort is null or 22 ? null : $"{c.BastionPort}"),
                         ("bastionHostKey", c.BastionHostKey is null ? null : Show.Text(c.BastionHostKey)),
                     })
            {
                if (value is not null)
                {
                    v.Error(key, $"{value} is set but bastionHost is not, so it would be ignored; set bastionHost or remove {key}");
                }
            }
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
        var mediaPublicIps = new Dictionary<string, string>();
        var renames = new List<(ExtendedServerSettings Server, string Key)>();

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
            if (server.RenamedFrom is not null)
            {
                renames.Add((server, key + ".renamedFrom"));
            }
        }

        foreach (var (entry, i) in (c.MediaServers ?? []).Select((e, i) => (e, i)))
        {
            var key = $"mediaServers[{i}]";
            if (entry is null)
            {
                continue; // the reader said why
            }
            var name = v.ServerName(key + ".name", entry.Name);
            var ip = v.ServerIp(key + ".privateIp", entry.PrivateIp, name);
            var publicIp = v.PublicIp(key + ".publicIp", entry.PublicIp);
            if (publicIp is not null && !mediaPublicIps.TryAdd(publicIp, key + ".publicIp"))
            {
                v.Error(key + ".publicIp", $"'{publicIp}' is already the public IP of {mediaPublicIps[publicIp]}; every media server needs its own static public IP");
            }
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
            var run = RunStateRules.Check(key, entry.State, entry.Restart, v.Error);
            if (name is not null && ip is not null)
            {
                Add(new ExtendedServerSettings(ServerRole.Media, name, ip, publicIp, max, entry.RecordsCalls ?? false,
                    v.HostKey(key + ".hostKey", entry.HostKey), v.RenamedFrom(key + ".renamedFrom", entry.RenamedFrom, name)) 
                {
                    Run = run,
                    DrainTimeoutSeconds = DrainRules.ServerTimeout(key + ".drainTimeoutSeconds", entry.DrainTimeoutSeconds, v.Error),
                }, key);
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
                    continue; // the reader said why
                }
                var name = v.ServerName(key + ".name", entry.Name);
                var ip = v.ServerIp(key + ".privateIp", entry.PrivateIp, name);
                var (rooms, participants) = role == ServerRole.Meeting ? MeetingServerRules.Check(key, entry, v.Error) : default;
                var run = RunStateRules.Check(key, entry.State, entry.Restart, v.Error);
                if (name is not null && ip is not null)
                {
                    Add(new ExtendedServerSettings(role, name, ip, HostKey: v.HostKey(key + ".hostKey", entry.HostKey),
                        RenamedFrom: v.RenamedFrom(key + ".renamedFrom", entry.RenamedFrom, name))
                    {
                        MaxRooms = role == ServerRole.Meeting ? rooms : null,
                        MaxParticipants = role == ServerRole.Meeting ? participants : null,
                        Run = run,
                        DrainTimeoutSeconds = DrainRules.ServerTimeout(key + ".drainTimeoutSeconds", entry.DrainTimeoutSeconds, v.Error),
                    }, key);
                }
            }
        }
        // A rename takes over the old server's resources: the old name must be gone from the stack, and taken once.
        var renamedFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (server, key) in renames)
        {
            var old = server.RenamedFrom!;
            if (names.TryGetValue(old, out var other))
            {
                v.Error(key, $"'{old}' is still a server of the stack ({other}): renamedFrom names the server's old name, which no current server has; to replace {old} by {server.Name}, remove {old} from the stack, or remove renamedFrom");
            }
            else if (!renamedFrom.TryAdd(old, key))
            {
                v.Error(key, $"'{old}' is already renamed by {renamedFrom[old]}; one server can be renamed into one server only");
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
        var publicIp = v.PublicIp("im.publicIp", im.PublicIp);
        if (im.PublicIp is null)
        {
            v.Error("im.publicIp", "is missing: im.sh run needs the IM server's static public IP (-A)");
        }
        var path = v.Path("im.storagePath", im.StoragePath);
        var rotation = v.Rotation("im.tokenRotation", im.TokenRotation);
        var hostKey = v.HostKey("im.hostKey", im.HostKey);
        var run = RunStateRules.Check("im", im.State, im.Restart, v.Error);
        return ip is null || publicIp is null ? null : new ImSettings(ip, publicIp, path, im.Protect ?? true, rotation, hostKey) { Run = run };
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
        var publicIps = new Dictionary<string, string>();
        foreach (var (entry, i) in (sbc.Servers ?? []).Select((e, i) => (e, i)))
        {
            var key = $"sbc.servers[{i}]";
            if (entry is null)
            {
                continue; // the reader said why
            }
            var ip = v.ServerIp(key + ".privateIp", entry.PrivateIp, entry.Name ?? "an SBC server");
            var publicIp = v.PublicIp(key + ".publicIp", entry.PublicIp);
            if (publicIp is not null && !publicIps.TryAdd(publicIp, key + ".publicIp"))
            {
                v.Error(key + ".publicIp", $"'{publicIp}' is already the public IP of {publicIps[publicIp]}; every SBC server needs its own public IP");
            }
            var name = entry.Name is null ? ip is null ? null : "sbc-" + ip.Replace('.', '-') : v.ServerName(key + ".name", entry.Name);
            if (name is not null && !names.Add(name))
            {
                v.Error(key + ".name", $"'{name}' is already used by another SBC server");
            }
            var run = RunStateRules.Check(key, entry.State, entry.Restart, v.Error);
            if (name is not null && ip is not null)
            {
                servers.Add(new SbcServerSettings(name, ip, publicIp, v.HostKey(key + ".hostKey", entry.HostKey)) { Run = run });
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
        // The guide's -A: a Data Flow server without a static private IP is reached on its static public IP.
        string? ip = null;
        var publicIp = v.PublicIp("dataFlow.publicIp", df.PublicIp);
        if (df.PrivateIp is not null || df.PublicIp is null)
        {
            ip = v.RequiredIp("dataFlow.privateIp", df.PrivateIp, " (or, without a static private IP, set publicIp alone)");
        }
        if ((ip ?? publicIp) is { } address)
        {
            v.ServerAddresses.Add((ip is null ? "dataFlow.publicIp" : "dataFlow.privateIp", address, "the Data Flow service"));
        }
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
        var run = RunStateRules.Check("dataFlow", df.State, df.Restart, v.Error);
        return (ip ?? publicIp) is null || path is null ? null : new DataFlowSettings(ip, publicIp, path, clickhouse, image, rotation, hostKey) { Run = run };
    }

    /// <summary>Each server has one role; no server may take the virtual IP or pbx01's address.</summary>
    private static void CheckOneRolePerAddress(StackConfig c, Checker v)
    {
        var owners = new Dictionary<string, (string Key, string What)>();
        if (c.Pbx01 is not null)
        {
            owners.TryAdd(c.Pbx01, ("pbx01", "pbx01"));
        }
        if (c.VirtualIp is not null)
        {
            owners.TryAdd(c.VirtualIp, ("virtualIp", "the PBX virtual IP"));
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

        /// <summary>One problem per key: a value the reader could not read is not also reported missing.</summary>
        public void Error(string key, string message)
        {
            if (!Errors.Any(e => e.Key == key))
            {
                Errors.Add(new ConfigError(key, message));
            }
        }

        public string? RequiredIp(string key, string? value, string hint = "")
        {
            if (value is null)
            {
                Error(key, "is missing" + hint);
                return null;
            }
            return OptionalIp(key, value);
        }

        /// <summary>A public IP: one that Internet users can reach, so not in a private or carrier-grade NAT range.</summary>
        public string? PublicIp(string key, string? value)
        {
            var ip = OptionalIp(key, value);
            if (ip is not null && Ipv4.PublicProblem(ip) is { } problem)
            {
                Error(key, $"'{ip}' {problem}");
                return null;
            }
            return ip;
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
                Error(key, $"{Show.Text(value)} {problem}");
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

        /// <summary>
        /// <c>renamedFrom</c>: the server's name before a rename at the same address and role, so that the rename is
        /// one replacement (its old commands undone first) rather than a new server next to the old one.
        /// </summary>
        public string? RenamedFrom(string key, string? value, string? name)
        {
            if (value is null)
            {
                return null;
            }
            if (!NamingRules.IsServerName(value))
            {
                Error(key, $"{Show.Text(value)} is not a valid server name ({NamingRules.ServerNameRule})");
                return null;
            }
            if (value == name)
            {
                Error(key, $"'{value}' is the server's own name: renamedFrom is its name before a rename; remove it once that rename has run");
                return null;
            }
            return value;
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
                Error(key, $"{Show.Text(value)} is not a valid server name ({NamingRules.ServerNameRule})");
                return null;
            }
            return value;
        }

        public string? Path(string key, string? value)
        {
            if (value is not null && !NamingRules.IsAbsolutePath(value))
            {
                Error(key, $"{Show.Text(value)} is not {NamingRules.PathRule}");
                return null;
            }
            return value;
        }

        public string? Image(string key, string? value)
        {
            if (value is not null && !NamingRules.IsImage(value))
            {
                Error(key, $"{Show.Text(value)} is not {NamingRules.ImageRule}");
                return null;
            }
            return value;
        }

        public int Port(string key, int value)
        {
            if (value is < 1 or > 65535)
            {
                Error(key, $"{value} is not {ConfigKeys.Ranges.Port}");
            }
            return value;
        }

        public int Rotation(string key, int? value)
        {
            if (value is < 0)
            {
                Error(key, $"{value} is not {ConfigKeys.Ranges.TokenRotation} (raise it by one to rotate the token)");
                return 0;
            }
            return value ?? 0;
        }

        public string? HostKey(string key, string? value)
        {
            if (value is not null && SshHostKey.Problem(value) is { } problem)
            {
                Error(key, $"{Show.Text(value)} is not {NamingRules.HostKeyRule}: {problem}");
                return null;
            }
            return value;
        }
    }
}
