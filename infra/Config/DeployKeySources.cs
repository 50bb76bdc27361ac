using System.Collections.Immutable;
using System.Globalization;

namespace PortsipInfra;

/// <summary>
/// <c>deployKeyFrom</c>: the pipeline runners' addresses, the only ones pbx01 accepts the deploy key from (OpenSSH's
/// <c>from="..."</c> option on the key's line). IPv4 addresses and networks in CIDR form only: no host names or
/// wildcards, which would depend on DNS.
/// </summary>
public static class DeployKeySources
{
    public const string Rule = "an IPv4 address or network of a pipeline runner, like 10.0.0.5 or 10.0.0.0/24";

    /// <summary>The valid entries; each invalid one is reported through <paramref name="error"/> with its key and value.</summary>
    public static ImmutableArray<string> Check(bool deployKey, string?[]? entries, Action<string, string> error)
    {
        if (entries is null || entries.Length == 0)
        {
            return [];
        }
        if (!deployKey)
        {
            error("deployKeyFrom", "is set, but deployKey is not true: it limits where the stack's own deploy key is accepted from");
            return [];
        }
        var valid = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i]?.Trim();
            if (Problem(entry) is { } problem)
            {
                error($"deployKeyFrom[{i}]", $"'{entry}' {problem}");
            }
            else
            {
                valid.Add(entry!);
            }
        }
        return valid.ToImmutable();
    }

    /// <summary>Null when <paramref name="entry"/> is an IPv4 address or a CIDR network with no host bits set, else why not.</summary>
    public static string? Problem(string? entry)
    {
        if (string.IsNullOrEmpty(entry))
        {
            return $"is empty; give {Rule}";
        }
        var slash = entry.IndexOf('/');
        var address = slash < 0 ? entry : entry[..slash];
        if (Ipv4.Problem(address) is { } problem)
        {
            return $"{problem}; give {Rule}";
        }
        if (slash < 0)
        {
            return null;
        }
        var prefix = entry[(slash + 1)..];
        if (prefix.Length is < 1 or > 2 || !prefix.All(char.IsAsciiDigit) || (prefix.Length == 2 && prefix[0] == '0')
            || int.Parse(prefix, CultureInfo.InvariantCulture) is < 8 or > 32)
        {
            return $"has no valid prefix length (8 to 32 after the /); give {Rule}";
        }
        var length = int.Parse(prefix, CultureInfo.InvariantCulture);
        var bits = address.Split('.').Aggregate(0u, (acc, octet) => (acc << 8) | uint.Parse(octet, CultureInfo.InvariantCulture));
        var mask = length == 32 ? uint.MaxValue : ~(uint.MaxValue >> length);
        if ((bits & ~mask) != 0)
        {
            var network = bits & mask;
            return $"has host bits set after the /{length}: the network is {network >> 24}.{(network >> 16) & 255}.{(network >> 8) & 255}.{network & 255}/{length}";
        }
        return null;
    }
}
