using Renci.SshNet;

namespace PortsipInfra.Ops.Ssh;

/// <summary>
/// A local port forwarded through an SSH connection to <c>host:port</c> as that connection's server reaches it
/// (an SSH "direct-tcpip" channel: nothing runs on the server). Bound to 127.0.0.1 only.
/// </summary>
public sealed class Tunnel : IDisposable
{
    private readonly SshClient client;
    private readonly ForwardedPortLocal port;
    private string? error;

    public Tunnel(SshClient client, string through, string host, int remotePort)
    {
        this.client = client;
        Through = through;
        port = new ForwardedPortLocal("127.0.0.1", 0, host, (uint)remotePort);
        port.Exception += (_, e) => error ??= e.Exception.Message;
        client.AddForwardedPort(port);
        port.Start();
    }

    /// <summary>The host the tunnel goes through, for messages.</summary>
    public string Through { get; }

    public (string Host, int Port) Local => ("127.0.0.1", (int)port.BoundPort);

    /// <summary>Why the far end could not be reached, when it could not.</summary>
    public string? Error => error;

    /// <summary>
    /// After the local side saw the connection close: SSH.NET reports why the forwarding failed on its own thread,
    /// so give it a moment to arrive.
    /// </summary>
    public string? ErrorAfterClose()
    {
        SpinWait.SpinUntil(() => error is not null, TimeSpan.FromMilliseconds(500));
        return error;
    }

    public void Dispose()
    {
        if (port.IsStarted)
        {
            port.Stop();
        }
        client.RemoveForwardedPort(port);
        port.Dispose();
    }
}
