namespace PortsipInfra.Tests.OverSsh;

/// <summary>
/// <see cref="HostPreparation.Preflight"/> run on the simulated pbx01 against compliant servers and against
/// "legacy", which breaks every requirement: Ubuntu 22.04, a 96 GB disk, PostgreSQL 14, an unsynchronized clock,
/// a DHCP lease, DNS and DHCP servers, no sudo.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class PreflightOverSshTests(SimulatedHosts hosts)
{
    private const string User = SimulatedHosts.User;
    private static readonly IReadOnlySet<string> Enforced = new HashSet<string>();

    private string Label(string name, string host) => $"{name} ({hosts.Ip(host)})";

    private void Trust(params string[] names)
    {
        foreach (var host in names)
        {
            var trusted = hosts.OnPbx01(HostPreparation.Trust(User, hosts.Ip(host), null), hosts.Password + "\n");
            Assert.True(trusted.ExitCode == 0, trusted.ToString());
        }
    }

    private SshResult Preflight(string name, string host, int minDiskGb, IReadOnlySet<string>? warnOnly = null) =>
        hosts.OnPbx01(HostPreparation.Preflight(new PreflightTarget(Label(name, host), User, hosts.Ip(host), minDiskGb, warnOnly ?? Enforced)));

    private static string OneLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one message, got:\n{text}");
        return lines[0];
    }

    private string LegacyFailures(int minDiskGb) => string.Join("; ",
        "Ubuntu 22.04 but pbx01 runs 24.04",
        $"96 GB disk at /var/lib, {minDiskGb} GB needed",
        "PostgreSQL is present (package postgresql-14, /usr/local/bin/postgres, a running postgres process); the guides say not to install it",
        "clock not synchronized (timedatectl: not synchronized)",
        $"{hosts.Ip("legacy")} is a DHCP lease on eth0, a static address is needed",
        "runs a DNS server (udp 0.0.0.0:53, tcp 0.0.0.0:53) and a DHCP server (udp 0.0.0.0:67)",
        "user pbx has no sudo rights (not in group sudo)");

    [SkippableFact]
    public void A_compliant_media_server_that_records_calls_passes()
    {
        hosts.Require();
        Trust("media1");
        var result = Preflight("media-server-1", "media1", 256);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"{Label("media-server-1", "media1")} meets every requirement", OneLine(result.Stdout));
        Assert.Equal("", result.Stderr);
    }

    [SkippableFact]
    public void Without_timedatectl_the_clock_is_compared_with_pbx01s()
    {
        hosts.Require();
        Trust("queue1"); // its timedatectl fails as without systemd; its clock is pbx01's
        var result = Preflight("queue-server-1", "queue1", 128);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("meets every requirement", result.Stdout);
    }

    [SkippableFact]
    public void Every_unmet_requirement_is_listed_in_one_message()
    {
        hosts.Require();
        Trust("legacy");
        var result = Preflight("media-server-9", "legacy", 128);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"{Label("media-server-9", "legacy")}: {LegacyFailures(128)}", OneLine(result.Stderr));
        Assert.Equal("", result.Stdout);
    }

    [SkippableFact]
    public void Only_the_unmet_requirement_is_listed()
    {
        hosts.Require();
        Trust("media1");
        var result = Preflight("media-server-1", "media1", 512);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"{Label("media-server-1", "media1")}: 300 GB disk at /var/lib, 512 GB needed", OneLine(result.Stderr));
    }

    [SkippableFact]
    public void WarnOnly_turns_failures_into_warnings()
    {
        hosts.Require();
        Trust("legacy");
        var label = Label("ivr-server-1", "legacy");
        var allButSudo = HostPreparation.Checks.All.Where(c => c != HostPreparation.Checks.Sudo).ToHashSet();
        var failing = Preflight("ivr-server-1", "legacy", 128, allButSudo);
        Assert.Equal(1, failing.ExitCode);
        var warned = LegacyFailures(128).Replace("; user pbx has no sudo rights (not in group sudo)", "");
        Assert.Equal($"{label}: user pbx has no sudo rights (not in group sudo) (warnings only: {warned})", OneLine(failing.Stderr));

        var passing = Preflight("ivr-server-1", "legacy", 128, HostPreparation.Checks.All.ToHashSet());
        Assert.True(passing.ExitCode == 0, passing.ToString());
        Assert.Equal(
            [$"warning: {label}: {LegacyFailures(128)} (not enforced: os disk postgresql clock static-ip dns-dhcp sudo)", $"{label} meets every other requirement"],
            passing.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", passing.Stderr);

        var diskOnly = Preflight("media-server-1", "legacy", 128, new HashSet<string> { HostPreparation.Checks.Disk, HostPreparation.Checks.Os });
        Assert.Equal(1, diskOnly.ExitCode);
        Assert.EndsWith("(warnings only: Ubuntu 22.04 but pbx01 runs 24.04; 96 GB disk at /var/lib, 128 GB needed)", OneLine(diskOnly.Stderr));
    }

    [SkippableFact]
    public void A_server_that_does_not_trust_pbx01_cannot_be_checked()
    {
        hosts.Require();
        // Never met: the host key is unknown, and the check does not accept new keys.
        var unknown = Preflight("im", "im1", 128);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal($"{Label("im", "im1")}: cannot check the server: pbx01 cannot log in to pbx@{hosts.Ip("im1")} with its key: its host key is not the one pbx01 knows (trust the server first, or check the pinned key)", OneLine(unknown.Stderr));

        // Host key known, key not authorized.
        Trust("im1");
        Assert.Equal(0, hosts.OnPbx01(HostPreparation.Untrust(User, hosts.Ip("im1"))).ExitCode);
        var untrusted = Preflight("im", "im1", 128);
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains("it does not trust pbx01's key yet (run the trust step first)", untrusted.Stderr);

        var gone = Preflight("spare", "spare", 128);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("cannot check the server", gone.Stderr);
        Assert.Contains("Connection refused", gone.Stderr);
    }

    [SkippableFact]
    public void A_wrong_pinned_host_key_stops_the_check()
    {
        hosts.Require();
        Trust("sbc1");
        // pbx01 now pins another key for sbc1's address (as after a pin of the wrong key).
        hosts.OnPbx01($"ssh-keygen -R {hosts.Ip("sbc1")} >/dev/null 2>&1; echo '{hosts.Ip("sbc1")} {hosts.HostKey("sbc2")}' >> ~/.ssh/known_hosts");
        var result = Preflight("sbc1", "sbc1", 128);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("its host key is not the one pbx01 knows", result.Stderr);
    }
}
