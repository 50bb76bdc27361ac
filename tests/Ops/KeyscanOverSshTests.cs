using PortsipInfra.Ops.Stack;
using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Ops;

/// <summary>
/// ops keyscan against the simulated hosts: pbx01's key read directly, every server's through a port forwarded by
/// pbx01's sshd, fingerprints as ssh-keygen -lf shows them, and --write pinning them in the stack file.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class KeyscanOverSshTests(SimulatedHosts hosts)
{
    private OpsProject Project(string? pbx01HostKey = null) => new(SimulatedSite.StackText(hosts, pbx01HostKey));

    private string[] Keyscan(OpsProject project, params string[] extra) =>
        ["keyscan", "--stack", "sim", "--key", Path.Combine(hosts.Dir, "test_key"), "--known-hosts", Path.Combine(hosts.Dir, "known_hosts"), .. extra];

    private SiteTopology Site(OpsProject project) => StackFile.Load("sim", project.Dir).Site;

    [SkippableFact]
    public void Every_key_is_read_through_pbx01_shown_as_ssh_keygen_shows_it_and_pinned_with_write()
    {
        hosts.Require();
        using var project = Project();
        var before = project.StackText;

        var scan = project.Run(Keyscan(project));

        Assert.True(scan.Exit == 0, scan.ToString());
        Assert.Contains($"pbx01           {SimulatedSite.KeygenLine(hosts, "pbx01")}  known (known_hosts)", scan.Stdout);
        foreach (var (name, host, _) in SimulatedSite.Servers)
        {
            Assert.Contains($"{name.PadRight(14)}  {SimulatedSite.KeygenLine(hosts, host)}  new: not pinned yet", scan.Stdout);
        }
        Assert.Equal(before, project.StackText);

        var write = project.Run(Keyscan(project, "--write"));

        Assert.True(write.Exit == 0, write.ToString());
        Assert.Contains("Pulumi.sim.yaml: pinned 7 host keys: pbx01HostKey, mediaServers[0].hostKey", write.Stdout);
        var site = Site(project);
        Assert.Equal(hosts.HostKey("pbx01"), site.Pbx.Ssh.HostKey);
        Assert.Equal(hosts.HostKey("media1"), site.ExtendedServers[0].HostKey);
        Assert.Equal(hosts.HostKey("queue1"), site.ExtendedServers[1].HostKey);
        Assert.Equal(hosts.HostKey("im1"), site.Im!.HostKey);
        Assert.Equal([hosts.HostKey("sbc1"), hosts.HostKey("sbc2")], site.Sbc!.Servers.Select(s => s.HostKey));
        Assert.Equal(hosts.HostKey("dataflow1"), site.DataFlow!.HostKey);
        // Seven lines more (the queue server's pin goes inside its flow-style entry), every other line as it was.
        var after = project.StackText.Split('\n');
        Assert.Equal(before.Split('\n').Length + 6, after.Length);
        Assert.Contains("# every command runs here", project.StackText);
        Assert.Contains($"[{{ name: queue-server-1, privateIp: {hosts.Ip("queue1")}, hostKey: {hosts.HostKey("queue1")} }}]", project.StackText);

        var again = project.Run(Keyscan(project, "--write"));

        Assert.True(again.Exit == 0, again.ToString());
        Assert.Equal(7, again.Stdout.Split('\n').Count(l => l.EndsWith("(ED25519)  pinned")));
        Assert.Contains("nothing to write", again.Stdout);
        // Nothing ran on pbx01 but reading its known_hosts: no guide script, no ssh from pbx01 (nothing recorded there).
        Assert.Empty(hosts.GuideCalls());
        Assert.Empty(hosts.Lines("pbx01", ".ssh/known_hosts"));
    }

    [SkippableFact]
    public void A_server_whose_key_changed_is_marked_and_not_written_until_the_operator_replaces_it()
    {
        hosts.Require();
        using var project = Project();
        project.StackText = HostKeyEditor.Set(project.StackText, "portsip-infra", "mediaServers[0].hostKey", hosts.HostKey("rogue"));
        var rogue = PortsipInfra.Ops.Ssh.HostKey.TryParse(hosts.HostKey("rogue"))!;

        var scan = project.Run(Keyscan(project, "--write"));

        Assert.Equal(1, scan.Exit);
        Assert.Contains($"media-server-1  {SimulatedSite.KeygenLine(hosts, "media1")}  CHANGED: mediaServers[0].hostKey in Pulumi.sim.yaml pins {rogue.Fingerprint} (ssh-ed25519)", scan.Stdout);
        Assert.Contains("media-server-1's host key has CHANGED; it was not written. If the fingerprint above is the one on its console, run again with --replace media-server-1", scan.Stderr);
        Assert.Equal(hosts.HostKey("rogue"), Site(project).ExtendedServers[0].HostKey);
        Assert.Equal(hosts.HostKey("queue1"), Site(project).ExtendedServers[1].HostKey);

        var replace = project.Run(Keyscan(project, "--write", "--replace", "media-server-1"));

        Assert.True(replace.Exit == 0, replace.ToString());
        Assert.Contains("(replaced, --replace)", replace.Stdout);
        Assert.Equal(hosts.HostKey("media1"), Site(project).ExtendedServers[0].HostKey);
    }

    [SkippableFact]
    public void A_changed_pbx01_key_stops_everything_before_logging_in()
    {
        hosts.Require();
        using var project = Project(pbx01HostKey: hosts.HostKey("rogue"));
        var rogue = PortsipInfra.Ops.Ssh.HostKey.TryParse(hosts.HostKey("rogue"))!;
        var real = PortsipInfra.Ops.Ssh.HostKey.TryParse(hosts.HostKey("pbx01"))!;

        var scan = project.Run(Keyscan(project, "--write"));

        Assert.Equal(1, scan.Exit);
        Assert.Contains($"pbx01 ({hosts.Pbx01}) shows the host key {real.Fingerprint} (ssh-ed25519), but pbx01HostKey in Pulumi.sim.yaml pins {rogue.Fingerprint} (ssh-ed25519). A reinstalled server, or a man in the middle: nothing was sent to it.", scan.Stderr);
        Assert.Contains("the 6 servers behind pbx01 were not scanned", scan.Stderr);
        Assert.DoesNotContain("media-server-1", scan.Stdout);
        Assert.Equal(hosts.HostKey("rogue"), Site(project).Pbx.Ssh.HostKey);
        Assert.Null(Site(project).ExtendedServers[0].HostKey);
    }

    [SkippableFact]
    public void A_server_down_is_named_and_the_others_are_still_read()
    {
        hosts.Require();
        using var project = Project();
        project.StackText = project.StackText.Replace($"privateIp: {hosts.Ip("queue1")}", $"privateIp: {hosts.Ip("spare")}");

        var scan = project.Run(Keyscan(project));

        Assert.Equal(1, scan.Exit);
        Assert.Contains($"queue-server-1  not read: pbx01 cannot reach queue-server-1 ({hosts.Ip("spare")}:22)", scan.Stdout);
        Assert.Contains($"media-server-1  {SimulatedSite.KeygenLine(hosts, "media1")}", scan.Stdout);
    }

    [SkippableFact]
    public void Pbx01_down_and_a_refused_key_get_one_clear_sentence_each()
    {
        hosts.Require();
        using var down = Project();
        down.StackText = down.StackText.Replace($"pbx01: {hosts.Pbx01}", $"pbx01: {hosts.Ip("spare")}");

        var noHost = down.Run(Keyscan(down));

        Assert.Equal(1, noHost.Exit);
        Assert.Contains($"ops: pbx01 ({hosts.Ip("spare")}:22) refused the connection: no SSH server listens there", noHost.Stderr);

        using var refused = Project();
        var otherKey = Path.Combine(refused.Dir, "other_key");
        SimulatedHosts.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKey], null, TimeSpan.FromSeconds(10));

        var scan = refused.Run(["keyscan", "--stack", "sim", "--key", otherKey, "--known-hosts", Path.Combine(hosts.Dir, "known_hosts")]);

        Assert.Equal(1, scan.Exit);
        Assert.Contains($"ops: pbx01 ({hosts.Pbx01}:22) refused the SSH key (the key {otherKey}) for user 'pbx'", scan.Stderr);
        // The key pbx01 showed before refusing the login is still printed.
        Assert.Contains($"pbx01  {SimulatedSite.KeygenLine(hosts, "pbx01")}  known (known_hosts)", scan.Stdout);
        Assert.DoesNotContain(File.ReadAllText(otherKey).Split('\n')[1], scan.Stdout + scan.Stderr);
    }
    [SkippableFact]
    public void Through_a_bastion_both_keys_are_read_and_pinned()
    {
        hosts.Require();
        using var project = Project();
        // pbx01 plays its own bastion: the login to pbx01 then goes through a port forwarded by the bastion.
        project.StackText = project.StackText.Replace("  portsip-infra:virtualIp:", $"  portsip-infra:bastionHost: {hosts.Pbx01}  # jump host\n  portsip-infra:virtualIp:");

        var scan = project.Run(Keyscan(project, "--write"));

        Assert.True(scan.Exit == 0, scan.ToString());
        Assert.Contains($"bastion         {SimulatedSite.KeygenLine(hosts, "pbx01")}  known (known_hosts)", scan.Stdout);
        Assert.Contains("pinned 8 host keys: bastionHostKey, pbx01HostKey, mediaServers[0].hostKey", scan.Stdout);
        Assert.Contains($"bastionHost: {hosts.Pbx01}  # jump host\n  portsip-infra:bastionHostKey: {hosts.HostKey("pbx01")}\n", project.StackText);
        var ssh = Site(project).Pbx.Ssh;
        Assert.Equal(hosts.HostKey("pbx01"), ssh.Bastion!.HostKey);
        Assert.Equal(hosts.HostKey("pbx01"), ssh.HostKey);
    }
}
