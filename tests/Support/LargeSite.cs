using System.Text.Json;

namespace PortsipInfra.Tests.Support;

/// <summary>A site with many extended servers of every role, the IM service, an SBC cluster and Data Flow.</summary>
public static class LargeSite
{
    public static Dictionary<string, string> Config(int extendedServers)
    {
        var config = Sites.Prod();
        var roles = new[] { "mediaServers", "queueServers", "meetingServers", "ivrServers" };
        var lists = roles.ToDictionary(r => r, _ => new List<Dictionary<string, object>>());
        for (var i = 0; i < extendedServers; i++)
        {
            var role = roles[i % roles.Length];
            // 10.<x>.<y>.<z>: unique and far from the guide's 192.168.1.x addresses.
            var ip = $"10.{1 + i / 62500}.{i / 250 % 250}.{1 + i % 250}";
            var server = new Dictionary<string, object> { ["name"] = $"{role[..^7]}-{i:D4}", ["privateIp"] = ip };
            if (role == "mediaServers")
            {
                server["publicIp"] = $"100.{64 + i / 62500}.{i / 250 % 250}.{1 + i % 250}";
                server["maxSessions"] = 1000 + i % 4000;
            }
            lists[role].Add(server);
        }
        foreach (var role in roles)
        {
            config[Sites.P + role] = JsonSerializer.Serialize(lists[role]);
        }
        return config;
    }
}
