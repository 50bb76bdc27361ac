using Renci.SshNet;
using Renci.SshNet.Common;

namespace PortsipInfra.Ops.Ssh;

/// <summary>
/// The SSH login to pbx01 (through the bastion when the stack has one), as the stack's own commands reach it, with
/// both host keys checked: the one pinned in the stack file (pbx01HostKey, bastionHostKey), else known_hosts.
/// </summary>
public sealed class SiteConnection : IDisposable
{
    private readonly SshClient? bastion;
    private readonly Tunnel? toPbx01;
    private readonly SshClient pbx01;

    private SiteConnection(SshClient? bastion, Tunnel? toPbx01, SshClient pbx01)
    {
        this.bastion = bastion;
        this.toPbx01 = toPbx01;
        this.pbx01 = pbx01;
    }

    /// <summary>Every host key shown so far (bastion, pbx01), also when the connection then failed.</summary>
    public static SiteConnection Open(Stack.StackFile stack, SshIdentity identity, KnownHosts known, TrustPolicy policy, List<HostKeySeen> seen)
    {
        var ssh = stack.Site.Pbx.Ssh;
        var pbx01Ip = stack.Site.Pbx.Pbx01;
        SshClient? bastion = null;
        Tunnel? tunnel = null;
        try
        {
            var via = (pbx01Ip, ssh.Port);
            if (ssh.Bastion is { } b)
            {
                var bastionCheck = new HostKeyCheck(b.Host, b.Port, Pinned(b.HostKey), $"bastionHostKey in {stack.Name}", known);
                bastion = SshLogin.Connect("bastion", b.Host, b.Port, (b.Host, b.Port), b.User, identity, bastionCheck, policy, seen);
                tunnel = new Tunnel(bastion, "the bastion", pbx01Ip, ssh.Port);
                via = tunnel.Local;
            }
            var check = new HostKeyCheck(pbx01Ip, ssh.Port, Pinned(ssh.HostKey), $"pbx01HostKey in {stack.Name}", known);
            var pbx01 = SshLogin.Connect("pbx01", pbx01Ip, ssh.Port, via, ssh.User, identity, check, policy, seen, tunnel);
            return new SiteConnection(bastion, tunnel, pbx01);
        }
        catch
        {
            tunnel?.Dispose();
            bastion?.Dispose();
            throw;
        }
    }

    /// <summary>A local port that reaches <paramref name="host"/>:<paramref name="port"/> as pbx01 reaches it.</summary>
    public Tunnel Forward(string host, int port) => new(pbx01, "pbx01", host, port);

    /// <summary>Runs a command on pbx01; its exit status, stdout and stderr.</summary>
    public (int Exit, string Stdout, string Stderr) Run(string command)
    {
        try
        {
            using var cmd = pbx01.CreateCommand(command);
            cmd.CommandTimeout = TimeSpan.FromSeconds(60);
            cmd.Execute();
            return (cmd.ExitStatus ?? -1, cmd.Result, cmd.Error);
        }
        catch (SshException e)
        {
            throw new OpsError($"the command on pbx01 failed: {e.Message}");
        }
    }

    public static HostKey? Pinned(string? line) => line is null ? null : HostKey.TryParse(line);

    public void Dispose()
    {
        pbx01.Dispose();
        toPbx01?.Dispose();
        bastion?.Dispose();
    }
}
