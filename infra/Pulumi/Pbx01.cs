using Pulumi;
using Pulumi.Command.Remote.Inputs;

namespace PortsipInfra;

/// <summary>
/// How every command reaches pbx01: the guides run all their scripts there, never on the virtual IP.
/// </summary>
public sealed record Pbx01(Input<ConnectionArgs> Connection, string GuideFolder)
{
    /// <summary>
    /// The step every guide script waits for: the PBX HA cluster checked (and upgraded when its image changes).
    /// Extended servers and services are only touched after it, in the guides' order.
    /// </summary>
    public Resource? ClusterReady { get; init; }

    /// <summary>The SSH connection to pbx01, optionally through a bastion; the private key stays a secret.</summary>
    public static Pbx01 Connect(PbxClusterSettings pbx, Output<string>? privateKey)
    {
        var ssh = pbx.Ssh;
        var connection = new ConnectionArgs
        {
            Host = pbx.Pbx01,
            Port = ssh.Port,
            User = ssh.User,
            // The guides' scripts take several minutes; keep retrying a flaky first dial for a while.
            DialErrorLimit = 10,
        };
        // Without a key (a preview, or an SSH agent) the provider falls back to SSH_AUTH_SOCK.
        if (privateKey is not null)
        {
            connection.PrivateKey = privateKey;
        }
        if (ssh.HostKey is not null)
        {
            connection.HostKey = ssh.HostKey;
        }
        if (ssh.Bastion is { } bastion)
        {
            var proxy = new ProxyConnectionArgs { Host = bastion.Host, Port = bastion.Port, User = bastion.User };
            if (privateKey is not null)
            {
                proxy.PrivateKey = privateKey;
            }
            if (bastion.HostKey is not null)
            {
                proxy.HostKey = bastion.HostKey;
            }
            connection.Proxy = proxy;
        }
        return new Pbx01(connection, pbx.GuideFolder);
    }

    public InputList<Resource> DependsOn() => ClusterReady is null ? new InputList<Resource>() : new InputList<Resource> { ClusterReady };
}
