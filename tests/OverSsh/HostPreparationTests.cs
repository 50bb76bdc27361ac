namespace PortsipInfra.Tests.OverSsh;

/// <summary>The renderers of <see cref="HostPreparation"/> on their own: inputs refused, POSIX sh, no secrets.</summary>
public class HostPreparationTests
{
    private const string Ip = "192.168.1.21";
    private const string Ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEFHN3jSsWOxOfX3hCQ0zZl1D0xKcvJ3mX9o0kq9Q9Yb";
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    private static PreflightTarget Target(int minDiskGb = 128, IReadOnlySet<string>? warnOnly = null, string label = "media-server-1 (192.168.1.21)") =>
        new(label, "pbx", Ip, minDiskGb, warnOnly ?? None);

    private static IEnumerable<string> AllScripts() =>
    [
        HostPreparation.Trust("pbx", Ip, null),
        HostPreparation.Trust("pbx", Ip, Ed25519),
        HostPreparation.Untrust("pbx", Ip),
        HostPreparation.Preflight(Target()),
        HostPreparation.Preflight(Target(256, HostPreparation.Checks.All.ToHashSet(), "it's $(reboot) `x` \"q\"")),
    ];

    [Fact]
    public void The_check_names_are_the_seven_requirements()
    {
        Assert.Equal(["os", "disk", "postgresql", "clock", "static-ip", "dns-dhcp", "sudo"], HostPreparation.Checks.All);
        Assert.Equal(
            [HostPreparation.Checks.Os, HostPreparation.Checks.Disk, HostPreparation.Checks.PostgreSql, HostPreparation.Checks.Clock,
             HostPreparation.Checks.StaticIp, HostPreparation.Checks.DnsDhcp, HostPreparation.Checks.Sudo],
            HostPreparation.Checks.All);
    }

    [Theory]
    [InlineData("root; rm -rf /", Ip)]
    [InlineData("Pbx", Ip)]
    [InlineData("pbx", "192.168.1")]
    [InlineData("pbx", "127.0.0.1")]
    [InlineData("pbx", "192.168.1.21; reboot")]
    public void Users_and_addresses_are_checked(string user, string ip)
    {
        Assert.Throws<ArgumentException>(() => HostPreparation.Trust(user, ip, null));
        Assert.Throws<ArgumentException>(() => HostPreparation.Untrust(user, ip));
        Assert.Throws<ArgumentException>(() => HostPreparation.Preflight(new PreflightTarget("x", user, ip, 128, None)));
    }

    [Theory]
    [InlineData("AAAAC3NzaC1lZDI1NTE5AAAAIEFHN3jSsWOxOf")]
    [InlineData("192.168.1.21 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEFHN3jSsWOxOf")]
    [InlineData("ssh-ed25519 AAAA'; reboot; '")]
    public void A_pinned_host_key_must_be_a_public_key_line(string key) =>
        Assert.Throws<ArgumentException>(() => HostPreparation.Trust("pbx", Ip, key));

    [Fact]
    public void Preflight_refuses_unknown_checks_bad_sizes_and_multi_line_labels()
    {
        var e = Assert.Throws<ArgumentException>(() => HostPreparation.Preflight(Target(warnOnly: new HashSet<string> { "disk", "ntp" })));
        Assert.Contains("unknown preflight check(s) ntp", e.Message);
        Assert.Contains("os, disk, postgresql, clock, static-ip, dns-dhcp, sudo", e.Message);
        Assert.Throws<ArgumentException>(() => HostPreparation.Preflight(Target(0)));
        Assert.Throws<ArgumentException>(() => HostPreparation.Preflight(Target(label: "a\nb")));
    }

    [Fact]
    public void Every_script_is_POSIX_sh_and_bash()
    {
        foreach (var shell in new[] { "/bin/sh", "/bin/bash" }.Where(File.Exists))
        {
            foreach (var script in AllScripts())
            {
                var check = SimulatedHosts.Run(shell, ["-n"], script, TimeSpan.FromSeconds(10));
                Assert.True(check.ExitCode == 0, $"{shell} -n: {check}\n{script}");
            }
        }
    }

    [Fact]
    public void Values_reach_the_script_quoted()
    {
        var label = "it's $(reboot) `x` \"q\"";
        Assert.Contains($"label={Shell.Quote(label)}", HostPreparation.Preflight(Target(label: label)));
        Assert.Contains("warn_only='os disk postgresql clock static-ip dns-dhcp sudo'",
            HostPreparation.Preflight(Target(warnOnly: HostPreparation.Checks.All.Reverse().ToHashSet())));
        Assert.Contains($"pinned='{Ed25519}'", HostPreparation.Trust("pbx", Ip, "  " + Ed25519 + " "));
    }

    [Fact]
    public void The_password_only_comes_on_stdin_and_is_never_exported()
    {
        foreach (var script in AllScripts())
        {
            Assert.DoesNotContain("export ", script);
            Assert.DoesNotContain("set -x", script);
            Assert.DoesNotContain("sshpass", script);
        }
        var trust = HostPreparation.Trust("pbx", Ip, null);
        Assert.Contains("IFS= read -r password", trust);
        Assert.Contains("SSH_ASKPASS_REQUIRE=force", trust);
        Assert.Contains("trap 'rm -rf \"$tmp\"' EXIT", trust);
        Assert.Contains("-o BatchMode=yes", trust); // the key login comes first
        Assert.Contains("StrictHostKeyChecking=\"$strict\"", trust);
        Assert.Contains("strict=accept-new", trust);
        Assert.Contains("strict=yes", HostPreparation.Trust("pbx", Ip, Ed25519));
        Assert.Contains("StrictHostKeyChecking=yes", HostPreparation.Preflight(Target()));
        Assert.Contains("StrictHostKeyChecking=yes", HostPreparation.Untrust("pbx", Ip));
    }
}
