namespace PortsipInfra;

/// <summary>Strict IPv4 checks for the addresses of cluster servers.</summary>
public static class Ipv4
{
    /// <summary>
    /// Null when <paramref name="text"/> is a usable unicast IPv4 address in dotted-decimal form, else why not.
    /// Leading zeros are refused because some tools read 010 as octal.
    /// </summary>
    public static string? Problem(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => !IsOctet(p)))
        {
            return "is not an IPv4 address (expected four numbers 0-255 separated by dots, like 192.168.1.21)";
        }
        var octets = parts.Select(int.Parse).ToArray();
        if (octets[0] == 0 || text == "255.255.255.255")
        {
            return "is not a host address (0.0.0.0/8 and 255.255.255.255 are reserved)";
        }
        if (octets[0] == 127)
        {
            return "is a loopback address (127.0.0.0/8); give the server's own address";
        }
        if (octets[0] == 169 && octets[1] == 254)
        {
            return "is a link-local address (169.254.0.0/16, what a host gives itself without DHCP); give the server's static address";
        }
        if (octets[0] >= 224)
        {
            return "is a multicast or reserved address (224.0.0.0 and above), not a host address";
        }
        return null;
    }

    /// <summary>
    /// Null when <paramref name="ip"/> (a valid address, see <see cref="Problem"/>) can be reached from the Internet,
    /// else which non-public range it is in.
    /// </summary>
    public static string? PublicProblem(string ip)
    {
        var o = ip.Split('.').Select(int.Parse).ToArray();
        var range = (o[0], o[1]) switch
        {
            (10, _) => "10.0.0.0/8",
            (172, >= 16 and <= 31) => "172.16.0.0/12",
            (192, 168) => "192.168.0.0/16",
            (100, >= 64 and <= 127) => "100.64.0.0/10, carrier-grade NAT",
            _ => null,
        };
        return range is null ? null : $"is a private address ({range}), not a public one; give the static public IP that Internet users reach";
    }

    private static bool IsOctet(string part) =>
        part.Length is >= 1 and <= 3
        && part.All(char.IsAsciiDigit)
        && (part.Length == 1 || part[0] != '0')
        && int.Parse(part) <= 255;
}
