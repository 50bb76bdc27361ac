using System.Text.Json;

namespace PortsipInfra.Benchmark;

/// <summary>
/// The stack config of a made-up site with <c>n</c> extended servers spread over the four roles, plus the guides'
/// IM service, SBC cluster and Data Flow service, as PULUMI_CONFIG holds it. Shared with the tests.
/// </summary>
public static class SyntheticSite
{
    public const string Project = "portsip-infra";

    public static Dictionary<string, string> Config(int extendedServers, string privateKey)
    {
        var p = Project + ":";
        var config = new Dictionary<string, string>
        {
            [p + "pbx01"] = "192.168.1.131",
            [p + "virtualIp"] = "192.168.1.130",
            [p + "publicIp"] = "104.18.36.119",
            [p + "sshPrivateKey"] = privateKey,
            [p + "im"] = """{"privateIp":"192.168.1.25","publicIp":"104.18.36.110"}""",
            [p + "sbc"] = """{"image":"portsip/sbc:11","servers":[{"name":"sbc1","privateIp":"192.168.1.11","publicIp":"72.247.113.11"},{"name":"sbc2","privateIp":"192.168.1.12","publicIp":"72.247.113.12"}]}""",
            [p + "dataFlow"] = """{"privateIp":"192.168.1.26","dataPath":"/var/lib/portsip"}""",
        };
        var roles = new[] { "mediaServers", "queueServers", "meetingServers", "ivrServers" };
        var lists = roles.ToDictionary(r => r, _ => new List<Dictionary<string, object>>());
        for (var i = 0; i < extendedServers; i++)
        {
            var role = roles[i % roles.Length];
            // 10.x.y.z: unique, and apart from the 192.168.1.x addresses above.
            var ip = $"10.{1 + i / 62500}.{i / 250 % 250}.{1 + i % 250}";
            var server = new Dictionary<string, object> { ["name"] = $"{role[..^7]}-{i:D4}", ["privateIp"] = ip };
            if (role == "mediaServers")
            {
                server["publicIp"] = $"45.{64 + i / 62500}.{i / 250 % 250}.{1 + i % 250}";
                server["maxSessions"] = 1000 + i % 4000;
            }
            lists[role].Add(server);
        }
        foreach (var role in roles.Where(r => lists[r].Count > 0))
        {
            config[p + role] = JsonSerializer.Serialize(lists[role]);
        }
        return config;
    }
}
