using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Ops;

/// <summary>A stack file for the simulated hosts of tests/hosts, with comments and both YAML styles, as operators write them.</summary>
public static class SimulatedSite
{
    public static string StackText(SimulatedHosts hosts, string? pbx01HostKey = null) =>
        $"""
        # The simulated site (tests/hosts): pbx01 and one server of each kind.
        config:
          portsip-infra:pbx01: {hosts.Pbx01}   # every command runs here
        {(pbx01HostKey is null ? "" : $"  portsip-infra:pbx01HostKey: {pbx01HostKey}\n")}  portsip-infra:virtualIp: {VirtualIpRelay.SimulatedVirtualIp()}
          portsip-infra:mediaServers:
            - name: media-server-1
              privateIp: {hosts.Ip("media1")}
              publicIp: 104.101.137.60
              maxSessions: 5000
          portsip-infra:queueServers: [{"{"} name: queue-server-1, privateIp: {hosts.Ip("queue1")} {"}"}]
          # IM, SBC and Data Flow
          portsip-infra:im:
            privateIp: {hosts.Ip("im1")}
            publicIp: 104.18.36.110
          portsip-infra:sbc:
            image: portsip/sbc:11
            servers:
              - name: sbc1
                privateIp: {hosts.Ip("sbc1")}
                publicIp: 72.247.113.11
              - name: sbc2
                privateIp: {hosts.Ip("sbc2")}
                publicIp: 72.247.113.12
          portsip-infra:dataFlow:
            privateIp: {hosts.Ip("dataflow1")}
            dataPath: /var/lib/portsip

        """;

    /// <summary>The servers of <see cref="StackText"/>: name in the stack, simulated host, config key of its pin.</summary>
    public static readonly (string Name, string Host, string Key)[] Servers =
    [
        ("media-server-1", "media1", "mediaServers[0].hostKey"),
        ("queue-server-1", "queue1", "queueServers[0].hostKey"),
        ("im", "im1", "im.hostKey"),
        ("sbc1", "sbc1", "sbc.servers[0].hostKey"),
        ("sbc2", "sbc2", "sbc.servers[1].hostKey"),
        ("dataflow", "dataflow1", "dataFlow.hostKey"),
    ];

    /// <summary>What ssh-keygen -lf prints for the host's Ed25519 key, with the address as the comment (as ssh-keyscan | ssh-keygen -lf - does).</summary>
    public static string KeygenLine(SimulatedHosts hosts, string host)
    {
        var output = SimulatedHosts.Run("ssh-keygen", ["-lf", hosts.HostDir(host, "ssh/ssh_host_ed25519_key.pub")], null, TimeSpan.FromSeconds(10)).Stdout.Trim();
        var parts = output.Split(' ');
        return $"{parts[0]} {parts[1]} {hosts.Ip(host)} {parts[^1]}";
    }
}
