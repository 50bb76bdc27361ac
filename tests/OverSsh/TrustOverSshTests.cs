namespace PortsipInfra.Tests.OverSsh;

/// <summary>
/// <see cref="HostPreparation.Trust"/> and <see cref="HostPreparation.Untrust"/> run on the simulated pbx01 against
/// real sshd servers: the guides' ssh-copy-id step, done once, without leaking the password, with host keys checked.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class TrustOverSshTests(SimulatedHosts hosts)
{
    private const string User = SimulatedHosts.User;

    private const string OtherKey1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyNumberOneOtherKeyNumberOne00000 admin@laptop";
    private const string OtherKey2 = "from=\"10.0.0.0/8\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyNumberTwoOtherKeyNumberTwo00000 backup";

    private SshResult Trust(string host, string? stdin, string? pinned = null) =>
        hosts.OnPbx01(HostPreparation.Trust(User, hosts.Ip(host), pinned), stdin);

    private SshResult Untrust(string host) => hosts.OnPbx01(HostPreparation.Untrust(User, hosts.Ip(host)));

    private string Password => hosts.Password + "\n";

    private string Pbx01KeyBlob => hosts.Pbx01PublicKey.Split(' ')[1];

    private string[] AuthorizedKeys(string host) => hosts.Lines(host, ".ssh/authorized_keys");

    private int Pbx01KeyLines(string host) => AuthorizedKeys(host).Count(l => l.Contains(Pbx01KeyBlob));

    /// <summary>What pbx01's guide scripts do next: a key login from pbx01, no prompt.</summary>
    private SshResult KeyLoginFromPbx01(string host) =>
        hosts.OnPbx01($"ssh -n -o BatchMode=yes -o ConnectTimeout=5 {User}@{hosts.Ip(host)} hostname");

    private string[] KnownHostsFor(string host) =>
        hosts.OnPbx01($"ssh-keygen -F {hosts.Ip(host)} -f ~/.ssh/known_hosts | grep -v '^#' || true").Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join(' ', l.Split(' ').Skip(1).Take(2)))
            .ToArray();

    private void WriteAuthorizedKeys(string host, string content)
    {
        var path = hosts.Home(host, ".ssh/authorized_keys");
        File.WriteAllText(path, content);
        var owner = hosts.OnPbx01("id -u").Stdout.Trim();
        SimulatedHosts.Run("chown", [$"{owner}:{owner}", path], null, TimeSpan.FromSeconds(5));
        SimulatedHosts.Run("chmod", ["600", path], null, TimeSpan.FromSeconds(5));
    }

    [SkippableFact]
    public void Trust_authorizes_the_key_once_however_often_it_runs()
    {
        hosts.Require();
        // An existing file without a final newline: the key must go on a line of its own.
        WriteAuthorizedKeys("media1", OtherKey1);

        var first = Trust("media1", Password);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("now trusts pbx01's key", first.Stdout);
        for (var i = 0; i < 2; i++)
        {
            var again = Trust("media1", Password);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains("already trusts pbx01's key", again.Stdout);
        }

        Assert.Equal([OtherKey1, hosts.Pbx01PublicKey], AuthorizedKeys("media1"));
        var login = KeyLoginFromPbx01("media1");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal("media1", login.Stdout.Trim());
        // accept-new: recorded on first contact.
        Assert.Contains(hosts.HostKey("media1"), KnownHostsFor("media1"));
        Assert.Equal("600", Mode(hosts.Home("media1", ".ssh/authorized_keys")));
    }

    [SkippableFact]
    public void Trust_adds_nothing_when_the_key_line_is_there_already()
    {
        hosts.Require();
        // Authorized by hand before (ssh-copy-id), under options: key login works, nothing is added.
        WriteAuthorizedKeys("queue1", $"{OtherKey2}\n{hosts.Pbx01PublicKey}\n");
        var result = Trust("queue1", "");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("already trusts", result.Stdout);
        Assert.Equal([OtherKey2, hosts.Pbx01PublicKey], AuthorizedKeys("queue1"));
    }

    [SkippableFact]
    public void The_password_is_used_once_and_left_nowhere()
    {
        hosts.Require();
        var script = HostPreparation.Trust(User, hosts.Ip("im1"), null);
        Assert.DoesNotContain(hosts.Password, script);

        // While it runs, no process on this machine (the hosts' included) has it in its arguments or environment.
        using var stop = new CancellationTokenSource();
        var seen = Task.Run(() => WatchProcesses(hosts.Password, stop.Token));
        var result = Trust("im1", Password);
        stop.Cancel();
        Assert.Equal([], seen.Result);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(hosts.Password, result.Stdout + result.Stderr);
        Assert.Equal(1, Pbx01KeyLines("im1"));

        // Nothing pbx01 or the server keeps holds the password, and the askpass folder is gone.
        foreach (var dir in new[] { "home", "tmp", "vartmp", "shm" }.SelectMany(d => new[] { hosts.HostDir("pbx01", d), hosts.HostDir("im1", d) }))
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                Assert.False(File.ReadAllText(file).Contains(hosts.Password), $"{file} holds the password");
            }
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(hosts.HostDir("pbx01", "tmp")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(hosts.HostDir("pbx01", "shm")));
        // One password login on the server, then key logins only.
        var sshdLog = File.ReadAllLines(hosts.HostDir("im1", "ssh/sshd.log"));
        Assert.Single(sshdLog, l => l.Contains("Accepted password for pbx"));
        Assert.DoesNotContain(sshdLog, l => l.Contains("Failed password"));
    }

    [SkippableFact]
    public void A_wrong_password_is_refused_and_leaves_nothing_behind()
    {
        hosts.Require();
        var result = Trust("rogue", Password);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("refused the password", result.Stderr);
        Assert.DoesNotContain(hosts.Password, result.Stdout + result.Stderr);
        Assert.Equal(0, Pbx01KeyLines("rogue"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(hosts.HostDir("pbx01", "shm")));
        Assert.NotEqual(0, KeyLoginFromPbx01("rogue").ExitCode);
    }

    [SkippableFact]
    public void Without_a_password_an_untrusted_server_is_refused_clearly()
    {
        hosts.Require();
        var result = Trust("sbc1", "");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{User}@{hosts.Ip("sbc1")} does not trust pbx01's key yet and no password came on stdin", result.Stderr);
        Assert.Empty(AuthorizedKeys("sbc1"));
    }

    [SkippableFact]
    public void An_unreachable_server_is_reported_as_such()
    {
        hosts.Require();
        var result = Trust("spare", Password);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pbx01 cannot reach the server over SSH", result.Stderr);
        Assert.Contains("Connection refused", result.Stderr);
    }

    [SkippableFact]
    public void A_changed_host_key_is_refused_before_any_password_is_sent()
    {
        hosts.Require();
        // pbx01 met media1 before (accept-new recorded its key); now another machine answers at that address.
        var trusted = Trust("media1", Password);
        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.True(Untrust("media1").ExitCode == 0);
        hosts.OnPbx01($"ssh-keygen -R {hosts.Ip("media1")} >/dev/null 2>&1; echo '{hosts.Ip("media1")} {hosts.HostKey("sbc1")}' >> ~/.ssh/known_hosts");
        var passwordsBefore = PasswordLogins("media1");

        var result = Trust("media1", Password);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("host key does not match", result.Stderr);
        Assert.Equal(0, Pbx01KeyLines("media1"));
        Assert.Equal(passwordsBefore, PasswordLogins("media1"));
    }

    [SkippableFact]
    public void A_pinned_host_key_is_pinned_and_a_mismatch_refused()
    {
        hosts.Require();
        // The right key, replacing a stale entry for the address.
        hosts.OnPbx01($"echo '{hosts.Ip("media1")} {hosts.HostKey("sbc2")}' >> ~/.ssh/known_hosts");
        var good = Trust("media1", Password, hosts.HostKey("media1"));
        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Contains("pins the host key", good.Stdout);
        // The stale key is gone; OpenSSH may learn media1's other host key over the verified connection.
        Assert.Equal(hosts.HostKey("media1"), KnownHostsFor("media1")[0]);
        Assert.DoesNotContain(hosts.HostKey("sbc2"), KnownHostsFor("media1"));
        Assert.Equal(1, Pbx01KeyLines("media1"));
        var again = Trust("media1", Password, hosts.HostKey("media1"));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("pins", again.Stdout);
        Assert.Contains(hosts.HostKey("media1"), KnownHostsFor("media1"));

        // A key pinned for sbc1 that is not sbc1's: refused, no password sent, nothing authorized.
        var passwordsBefore = PasswordLogins("sbc1");
        var bad = Trust("sbc1", Password, hosts.HostKey("media1"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("host key does not match", bad.Stderr);
        Assert.Empty(AuthorizedKeys("sbc1"));
        Assert.Equal(passwordsBefore, PasswordLogins("sbc1"));

        // The ECDSA key is a key of sbc1 too: pinning it works.
        var ecdsa = Trust("sbc1", Password, hosts.HostKey("sbc1", "ecdsa"));
        Assert.True(ecdsa.ExitCode == 0, ecdsa.ToString());
        Assert.Equal(1, Pbx01KeyLines("sbc1"));
    }

    [SkippableFact]
    public void Untrust_removes_exactly_pbx01s_line()
    {
        hosts.Require();
        WriteAuthorizedKeys("media1", $"{OtherKey1}\n");
        Assert.True(Trust("media1", Password).ExitCode == 0);
        File.AppendAllText(hosts.Home("media1", ".ssh/authorized_keys"), OtherKey2 + "\n");
        Assert.Equal([OtherKey1, hosts.Pbx01PublicKey, OtherKey2], AuthorizedKeys("media1"));

        var result = Untrust("media1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("no longer trusts pbx01's key", result.Stdout);
        Assert.Equal([OtherKey1, OtherKey2], AuthorizedKeys("media1"));
        Assert.Equal("600", Mode(hosts.Home("media1", ".ssh/authorized_keys")));
        Assert.NotEqual(0, KeyLoginFromPbx01("media1").ExitCode);

        var again = Untrust("media1");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to remove", again.Stdout);
        Assert.Equal([OtherKey1, OtherKey2], AuthorizedKeys("media1"));
    }

    [SkippableFact]
    public void Untrust_takes_its_line_off_a_CRLF_file_without_final_newline_and_keeps_the_rest_and_the_mode()
    {
        hosts.Require();
        Assert.True(Trust("queue1", Password).ExitCode == 0); // pbx01 knows the server's host key from then on
        WriteAuthorizedKeys("queue1", $"{OtherKey1}\r\n{hosts.Pbx01PublicKey}\r\n{OtherKey2}");
        SimulatedHosts.Run("chmod", ["640", hosts.Home("queue1", ".ssh/authorized_keys")], null, TimeSpan.FromSeconds(5));
        var result = Untrust("queue1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("no longer trusts pbx01's key", result.Stdout);
        Assert.Equal($"{OtherKey1}\r\n{OtherKey2}\n", File.ReadAllText(hosts.Home("queue1", ".ssh/authorized_keys")));
        Assert.Equal("640", Mode(hosts.Home("queue1", ".ssh/authorized_keys")));
        Assert.Empty(Directory.GetFiles(hosts.Home("queue1", ".ssh"), ".portsip-keys.*"));
    }

    [SkippableFact]
    public void No_askpass_folder_is_left_and_stale_ones_are_removed()
    {
        hosts.Require();
        // Left by killed runs: an older version's folder (with its password file) and one whose process is gone.
        var stale = hosts.OnPbx01(
            "mkdir /dev/shm/portsip-askpass.AbC123 /dev/shm/portsip-askpass.999999.XyZ789 && " +
            "printf 'old\\n' > /dev/shm/portsip-askpass.AbC123/password && : > /dev/shm/portsip-askpass.999999.XyZ789/askpass");
        Assert.True(stale.ExitCode == 0, stale.ToString());
        var result = Trust("media1", Password);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("now trusts pbx01's key", result.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(hosts.HostDir("pbx01", "shm")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(hosts.HostDir("pbx01", "tmp")));
    }

    [SkippableFact]
    public void Untrust_of_an_unreachable_or_unknown_server_succeeds_with_a_message()
    {
        hosts.Require();
        var gone = Untrust("spare");
        Assert.True(gone.ExitCode == 0, gone.ToString());
        Assert.Contains("is not reachable from pbx01", gone.Stdout);
        Assert.Contains("nothing to remove", gone.Stdout);

        // Never met: its host key is unknown, so pbx01 does not log in at all.
        var unknown = Untrust("dataflow1");
        Assert.True(unknown.ExitCode == 0, unknown.ToString());
        Assert.Contains("nothing was removed", unknown.Stdout);
    }

    /// <summary>Processes whose command line or environment held <paramref name="secret"/>, polled until cancelled.</summary>
    private static List<string> WatchProcesses(string secret, CancellationToken stop)
    {
        var found = new List<string>();
        var rounds = 0;
        while (!stop.IsCancellationRequested || rounds == 0)
        {
            rounds++;
            foreach (var proc in Directory.EnumerateDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])))
            {
                foreach (var part in new[] { "cmdline", "environ" })
                {
                    try
                    {
                        var text = File.ReadAllText(Path.Combine(proc, part));
                        if (text.Contains(secret, StringComparison.Ordinal))
                        {
                            found.Add($"{proc}/{part}: {text.Replace('\0', ' ')}");
                        }
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // The process ended meanwhile.
                    }
                }
            }
        }
        Assert.True(rounds > 1, "the process watch did not run during the trust step");
        return found;
    }

    private int PasswordLogins(string host) =>
        File.ReadAllLines(hosts.HostDir(host, "ssh/sshd.log")).Count(l => l.Contains("password for"));

    private static string Mode(string path) => SimulatedHosts.Run("stat", ["-c", "%a", path], null, TimeSpan.FromSeconds(5)).Stdout.Trim();
}
