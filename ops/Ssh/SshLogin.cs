using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace PortsipInfra.Ops.Ssh;

/// <summary>A host key one host showed, and how it compares with what is trusted.</summary>
public sealed record HostKeySeen(string Name, string Address, HostKey Key, HostKeyVerdict Verdict, string? Expected);

/// <summary>
/// Which host keys a connection accepts: always a pinned or known one; a new one only when reading keys
/// (keyscan); a changed one only for the hosts the operator named after checking their consoles.
/// </summary>
public sealed record TrustPolicy(bool AcceptNew, IReadOnlySet<string> AcceptChanged, string Stack)
{
    public bool Trusts(string name, HostKeyVerdict verdict) => verdict switch
    {
        HostKeyVerdict.Pinned or HostKeyVerdict.Known => true,
        HostKeyVerdict.New => AcceptNew,
        _ => AcceptChanged.Contains(name),
    };

    /// <summary>Why a key was refused, and what to do about it.</summary>
    public string Refusal(HostKeySeen seen) => seen.Verdict == HostKeyVerdict.Changed
        ? $"{seen.Name} ({seen.Address}) shows the host key {seen.Key.Fingerprint} ({seen.Key.Type}), but {seen.Expected}. "
          + $"A reinstalled server, or a man in the middle: nothing was sent to it. Compare with the fingerprint on {seen.Name}'s console "
          + $"(ssh-keygen -lf /etc/ssh/ssh_host_{seen.Key.Family.ToLowerInvariant()}_key.pub); if it is the same, run "
          + $"ops keyscan --stack {Stack} --write --replace {seen.Name}"
        : $"{seen.Name} ({seen.Address}) shows the host key {seen.Key.Fingerprint} ({seen.Key.Type}), which is neither pinned in the stack "
          + $"file nor in known_hosts. Run ops keyscan --stack {Stack} --write and compare the fingerprints with the servers' consoles "
          + "(or add the key to known_hosts, or give --known-hosts FILE)";
}

/// <summary>
/// One SSH connection, with the host key checked before anything is sent, and the failures an operator meets
/// (host down, port closed, key refused, host key changed) turned into one clear sentence.
/// </summary>
public static class SshLogin
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Logs in as <paramref name="user"/> to <paramref name="name"/> at <paramref name="address"/>:<paramref name="port"/>,
    /// reached at <paramref name="via"/> (the address itself, or the local end of a tunnel). The key it shows is
    /// added to <paramref name="seen"/> whether it is trusted or not.
    /// </summary>
    public static SshClient Connect(string name, string address, int port, (string Host, int Port) via, string user,
        SshIdentity identity, HostKeyCheck check, TrustPolicy policy, List<HostKeySeen> seen, Tunnel? tunnel = null)
    {
        var info = new ConnectionInfo(via.Host, via.Port, user, new PrivateKeyAuthenticationMethod(user, identity.Key))
        {
            Timeout = Timeout,
        };
        OnlyAlgorithms(info, check.Algorithms());
        var client = new SshClient(info);
        HostKeySeen? shown = null;
        client.HostKeyReceived += (_, e) =>
        {
            var key = new HostKey(e.HostKey);
            var (verdict, expected) = check.Judge(key);
            shown = new HostKeySeen(name, address, key, verdict, expected);
            seen.Add(shown);
            e.CanTrust = policy.Trusts(name, verdict);
        };
        try
        {
            client.Connect();
            return client;
        }
        catch (Exception e) when (e is SshException or SocketException or ProxyException or IOException)
        {
            client.Dispose();
            if (shown is not null && !policy.Trusts(name, shown.Verdict))
            {
                throw new OpsError(policy.Refusal(shown));
            }
            throw new OpsError(Failure(name, address, port, e, tunnel, $"refused the SSH key ({identity.Source}) for user '{user}': is its public half in ~{user}/.ssh/authorized_keys there?"));
        }
    }

    /// <summary>
    /// Reads the host key <paramref name="name"/> shows, without logging in: the key exchange is stopped as soon
    /// as the key is known.
    /// </summary>
    public static HostKey ReadHostKey(string name, string address, int port, (string Host, int Port) via,
        IReadOnlyList<string> algorithms, Tunnel? tunnel = null)
    {
        var info = new ConnectionInfo(via.Host, via.Port, "keyscan", new NoneAuthenticationMethod("keyscan")) { Timeout = Timeout };
        OnlyAlgorithms(info, algorithms);
        using var client = new SshClient(info);
        HostKey? key = null;
        client.HostKeyReceived += (_, e) =>
        {
            key = new HostKey(e.HostKey);
            e.CanTrust = false;
        };
        try
        {
            client.Connect();
        }
        catch (Exception e) when (e is SshException or SocketException or ProxyException or IOException)
        {
            if (key is null)
            {
                throw new OpsError(Failure(name, address, port, e, tunnel, "refused the connection"));
            }
        }
        return key ?? throw new OpsError($"{name} ({address}:{port}) let a client in without showing a host key");
    }

    private static void OnlyAlgorithms(ConnectionInfo info, IReadOnlyList<string> algorithms)
    {
        foreach (var name in info.HostKeyAlgorithms.Keys.ToList())
        {
            if (!algorithms.Contains(name))
            {
                info.HostKeyAlgorithms.Remove(name);
            }
        }
    }

    private static string Failure(string name, string address, int port, Exception e, Tunnel? tunnel, string refusedKey)
    {
        var where = $"{name} ({address}:{port})";
        if (tunnel?.ErrorAfterClose() is { } hop)
        {
            return $"{tunnel.Through} cannot reach {where}: {hop}";
        }
        return e switch
        {
            SshAuthenticationException => $"{where} {refusedKey}",
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"{where} refused the connection: no SSH server listens there (sshd stopped, or the wrong port)",
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } => $"{where}: no such host name",
            SocketException s => $"{where} does not answer: host down or unreachable ({s.Message})",
            SshOperationTimeoutException => $"{where} does not answer within {Timeout.TotalSeconds:0} s: host down or unreachable",
            SshConnectionException when tunnel is not null => $"{tunnel.Through} cannot reach {where}: the connection was closed before SSH started (host down, or no SSH server there)",
            _ => $"{where}: the SSH connection failed: {e.Message}",
        };
    }
}
