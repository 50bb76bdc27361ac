using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PortsipInfra.Tests.Ops;

/// <summary>
/// Plays the PBX's virtual IP for the fake PortSIP API: the fake listens on 127.0.0.1 only, so this adds the virtual
/// IP of tests/hosts/guide/res/vars.yml to the hosts' uplink (the root namespace's end of their LAN) and relays its
/// port 8887 to the fake. pbx01 then reaches "the portal at the virtual IP" over its LAN, as on a real site, and
/// ops status tunnels to it through pbx01. Removed again on Dispose.
/// </summary>
public sealed class VirtualIpRelay : IDisposable
{
    public const int PortalPort = 8887;

    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly int target;

    public VirtualIpRelay(string virtualIp, int fakePort)
    {
        VirtualIp = virtualIp;
        target = fakePort;
        Ip("add");
        try
        {
            listener = new TcpListener(IPAddress.Parse(virtualIp), PortalPort);
            listener.Start();
        }
        catch
        {
            Ip("del");
            throw;
        }
        _ = Task.Run(AcceptAll);
    }

    public string VirtualIp { get; }

    /// <summary>The virtual IP the simulated HA install records (tests/hosts/guide/res/vars.yml).</summary>
    public static string SimulatedVirtualIp() =>
        File.ReadLines(Path.Combine(Support.StackFile.RepositoryRoot, "tests", "hosts", "guide", "res", "vars.yml"))
            .First(l => l.StartsWith("virtual_ip:", StringComparison.Ordinal))["virtual_ip:".Length..].Trim();

    private async Task AcceptAll()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => Relay(client));
        }
    }

    private async Task Relay(TcpClient client)
    {
        using (client)
        using (var fake = new TcpClient())
        {
            try
            {
                await fake.ConnectAsync(IPAddress.Loopback, target, stop.Token);
                var a = client.GetStream();
                var b = fake.GetStream();
                await Task.WhenAny(a.CopyToAsync(b, stop.Token), b.CopyToAsync(a, stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // One side closed: the relay of this connection ends.
            }
        }
    }

    private void Ip(string action)
    {
        var result = OverSsh.SimulatedHosts.Run("ip", ["addr", action, $"{VirtualIp}/32", "dev", OverSsh.SimulatedHosts.Uplink], null, TimeSpan.FromSeconds(10));
        if (result.ExitCode != 0 && action == "add")
        {
            throw new InvalidOperationException($"ip addr add {VirtualIp}/32 dev {OverSsh.SimulatedHosts.Uplink}: {result}");
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        Ip("del");
        stop.Dispose();
    }
}
