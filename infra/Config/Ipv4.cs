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
        var first = int.Parse(parts[0]);
        if (text == "0.0.0.0" || text == "255.255.255.255" || first == 0)
        {
            return "is not a host address";
        }
        if (first == 127)
        {
            return "is a loopback address; give the server's LAN address";
        }
        if (first >= 224)
        {
            return "is a multicast or reserved address, not a host address";
        }
        return null;
    }

    private static bool IsOctet(string part) =>
        part.Length is >= 1 and <= 3
        && part.All(char.IsAsciiDigit)
        && (part.Length == 1 || part[0] != '0')
        && int.Parse(part) <= 255;
}
