using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace PortsipInfra.Ops.Ssh;

/// <summary>
/// An OpenSSH known_hosts file, read only: plain, wildcard and hashed host names, <c>[host]:port</c> for other ports,
/// <c>!negated</c> patterns and <c>@revoked</c> keys (certificate authorities are not used here).
/// </summary>
public sealed class KnownHosts
{
    private sealed record Entry(string[] Patterns, HostKey Key, bool Revoked, string Where);

    private readonly List<Entry> entries = [];

    public static readonly KnownHosts Empty = new();

    public static KnownHosts Load(IEnumerable<string> files)
    {
        var known = new KnownHosts();
        foreach (var file in files.Where(File.Exists))
        {
            var number = 0;
            foreach (var raw in File.ReadLines(file))
            {
                number++;
                known.Add(raw, $"{file}:{number}");
            }
        }
        return known;
    }

    public void Add(string line, string where)
    {
        var text = line.Trim();
        if (text.Length == 0 || text.StartsWith('#'))
        {
            return;
        }
        var revoked = false;
        if (text.StartsWith('@'))
        {
            var marker = text.Split(' ', 2)[0];
            if (marker != "@revoked")
            {
                return;
            }
            revoked = true;
            text = text[marker.Length..].TrimStart();
        }
        var hosts = text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        if (hosts.Length == 2 && HostKey.TryParse(hosts[1]) is { } key)
        {
            entries.Add(new Entry(hosts[0].Split(','), key, revoked, where));
        }
    }

    /// <summary>The keys recorded for <paramref name="host"/> on <paramref name="port"/>, with where each was found.</summary>
    public IReadOnlyList<(HostKey Key, string Where)> For(string host, int port) =>
        entries.Where(e => !e.Revoked && Matches(e.Patterns, host, port)).Select(e => (e.Key, e.Where)).ToList();

    public bool IsRevoked(HostKey key) => entries.Any(e => e.Revoked && e.Key.Equals(key));

    private static bool Matches(string[] patterns, string host, int port)
    {
        var name = port == 22 ? host : $"[{host}]:{port}";
        var matched = false;
        foreach (var pattern in patterns)
        {
            if (pattern.StartsWith('!'))
            {
                if (Glob(pattern[1..], name))
                {
                    return false;
                }
            }
            else if (pattern.StartsWith("|1|", StringComparison.Ordinal) ? Hashed(pattern, name) : Glob(pattern, name))
            {
                matched = true;
            }
        }
        return matched;
    }

    private static bool Glob(string pattern, string name) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase);

    // |1|base64(salt)|base64(HMAC-SHA1(salt, name))
    private static bool Hashed(string pattern, string name)
    {
        var parts = pattern.Split('|');
        try
        {
            return parts.Length == 4
                && HMACSHA1.HashData(Convert.FromBase64String(parts[2]), Encoding.ASCII.GetBytes(name))
                    .AsSpan().SequenceEqual(Convert.FromBase64String(parts[3]));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
