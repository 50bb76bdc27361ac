namespace PortsipInfra.Ops.Ssh;

/// <summary>How a host key a server showed compares with what this machine trusts.</summary>
public enum HostKeyVerdict
{
    /// <summary>The key pinned in the stack file.</summary>
    Pinned,

    /// <summary>Not pinned, but recorded in known_hosts.</summary>
    Known,

    /// <summary>Neither pinned nor known: compare its fingerprint with the server's console.</summary>
    New,

    /// <summary>Differs from the pinned key or from known_hosts (or is revoked there): a reinstalled server or a man in the middle.</summary>
    Changed,
}

/// <summary>
/// What one host is expected to show: its pinned key from the stack file, or else what known_hosts records for it.
/// </summary>
public sealed record HostKeyCheck(string Host, int Port, HostKey? Pinned, string PinnedWhere, KnownHosts Known)
{
    public (HostKeyVerdict Verdict, string? Expected) Judge(HostKey shown)
    {
        if (Known.IsRevoked(shown))
        {
            return (HostKeyVerdict.Changed, "the key is marked @revoked in known_hosts");
        }
        if (Pinned is not null)
        {
            return shown.Equals(Pinned)
                ? (HostKeyVerdict.Pinned, null)
                : (HostKeyVerdict.Changed, $"{PinnedWhere} pins {Pinned.Fingerprint} ({Pinned.Type})");
        }
        var recorded = Known.For(Host, Port);
        if (recorded.Any(r => r.Key.Equals(shown)))
        {
            return (HostKeyVerdict.Known, null);
        }
        var sameType = recorded.FirstOrDefault(r => r.Key.Type == shown.Type);
        return sameType.Key is not null
            ? (HostKeyVerdict.Changed, $"{sameType.Where} records {sameType.Key.Fingerprint}")
            : (HostKeyVerdict.New, null);
    }

    /// <summary>
    /// The host key algorithms to ask for: the pinned key's, else those known_hosts records (as OpenSSH does), else
    /// any plain key with Ed25519 first. A server then cannot dodge the check by showing another type.
    /// </summary>
    public IReadOnlyList<string> Algorithms()
    {
        if (Pinned is not null)
        {
            return Pinned.Algorithms;
        }
        var recorded = Known.For(Host, Port).SelectMany(r => r.Key.Algorithms).Distinct().ToList();
        return recorded.Count > 0 ? recorded : AnyPlainKey;
    }

    public static readonly IReadOnlyList<string> AnyPlainKey =
        ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256"];
}
