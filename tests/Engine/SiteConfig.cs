using System.Collections.Immutable;
using System.Text.Json.Nodes;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Engine;

/// <summary>One extended server of a test site, on one of the simulated hosts.</summary>
public sealed record TestServer(ServerRole Role, string Name, string Host, string? PublicIp = null, int? MaxSessions = null,
    string? RenamedFrom = null, string? State = null, int? Restart = null);

/// <summary>
/// A test site's stack config, written as an operator would edit Pulumi.&lt;stack&gt;.yaml: the extended servers on
/// simulated hosts, the PBX image. Everything that ties it to the simulation is explicit (pbx01's address, the
/// portal's URL in pbx01's namespace, plain http), so that a change of a default elsewhere leaves these tests alone.
/// </summary>
public sealed record SiteConfig(ImmutableList<TestServer> Servers, string PbxImage = "portsip/pbx:22", string? ImHost = null)
{
    /// <summary>The IM service's public IP in the test sites (unprotected, so that it can move).</summary>
    public const string ImPublicIp = "203.0.113.40";

    /// <summary>The IM service on <paramref name="host"/> (im.protect: false).</summary>
    public SiteConfig Im(string? host) => this with { ImHost = host };

    public static SiteConfig Empty { get; } = new([]);

    public SiteConfig Media(string name, string host, string? publicIp = null) => Add(new TestServer(ServerRole.Media, name, host, publicIp));
    public SiteConfig Queue(string name, string host) => Add(new TestServer(ServerRole.Queue, name, host));
    public SiteConfig Meeting(string name, string host) => Add(new TestServer(ServerRole.Meeting, name, host));
    public SiteConfig Ivr(string name, string host) => Add(new TestServer(ServerRole.Ivr, name, host));

    public SiteConfig Add(TestServer server) => this with { Servers = Servers.Add(server) };

    public SiteConfig Without(string name) => this with { Servers = Servers.RemoveAll(s => s.Name == name) };

    /// <summary>The server <paramref name="name"/> changed in place (same position in its list).</summary>
    public SiteConfig Change(string name, Func<TestServer, TestServer> change) =>
        this with { Servers = Servers.Select(s => s.Name == name ? change(s) : s).ToImmutableList() };

    public SiteConfig WithPbxImage(string image) => this with { PbxImage = image };

    /// <summary>Other plain keys of the stack config (without the namespace), set as given: a connection change, say.</summary>
    public ImmutableDictionary<string, string> Other { get; init; } = ImmutableDictionary<string, string>.Empty;

    public SiteConfig With(string key, string value) => this with { Other = Other.SetItem(key, value) };

    public TestServer Server(string name) => Servers.Single(s => s.Name == name);

    /// <summary>The stack config (PULUMI_CONFIG) for a site whose pbx01 and portal are the simulated ones.</summary>
    public Dictionary<string, string> ToStackConfig(string pbx01, string virtualIp, Func<string, string> ipOf, PortalOnPbx01 portal,
        string sshPrivateKey, string serverPassword)
    {
        const string p = Sites.P;
        var config = new Dictionary<string, string>
        {
            [p + "pbx01"] = pbx01,
            [p + "virtualIp"] = virtualIp,
            [p + "pbxImage"] = PbxImage,
            [p + "sshUser"] = "pbx",
            [p + "portalApiUrl"] = portal.ApiUrl,
            [p + "portalAllowHttp"] = "true",
            [p + "trustPbx01OnFirstUse"] = "true",
            [p + "portalUser"] = portal.AdminUser,
            // A new server is Online at once in the fake; the helper waits this long at most.
            [p + "onlineTimeoutSeconds"] = "30",
            [p + SiteSecrets.SshPrivateKeyKey] = sshPrivateKey,
            [p + SiteSecrets.PortalPasswordKey] = portal.AdminPassword,
            [p + SiteSecrets.ServerPasswordKey] = serverPassword,
        };
        foreach (var role in ServerRoles.All)
        {
            var list = new JsonArray();
            foreach (var s in Servers.Where(s => s.Role == role))
            {
                var entry = new JsonObject { ["name"] = s.Name, ["privateIp"] = ipOf(s.Host) };
                if (s.RenamedFrom is { } old)
                {
                    entry["renamedFrom"] = old;
                }
                if (s.State is { } state)
                {
                    entry["state"] = state;
                }
                if (s.Restart is int restart)
                {
                    entry["restart"] = restart;
                }
                if (role == ServerRole.Media)
                {
                    if (s.PublicIp is null)
                    {
                        entry["internetFacing"] = false;
                    }
                    else
                    {
                        entry["publicIp"] = s.PublicIp;
                    }
                    if (s.MaxSessions is int max)
                    {
                        entry["maxSessions"] = max;
                    }
                }
                list.Add(entry);
            }
            if (list.Count > 0)
            {
                config[p + role.ConfigKey()] = list.ToJsonString();
            }
        }
        foreach (var (key, value) in Other)
        {
            config[p + key] = value;
        }
        if (ImHost is { } im)
        {
            config[p + "im"] = new JsonObject { ["privateIp"] = ipOf(im), ["publicIp"] = ImPublicIp, ["protect"] = false }.ToJsonString();
        }
        return config;
    }
}
