namespace PortsipInfra;

/// <summary>
/// A new cluster server as <see cref="HostPreparation.Preflight"/> checks it: <paramref name="Label"/> names it in
/// messages (like <c>media-server-1 (192.168.1.21)</c>), <paramref name="User"/> is the PBX's SSH user,
/// <paramref name="Ip"/> its private address, <paramref name="MinDiskGb"/> the disk the guides ask for (128 GB,
/// 256 GB for a Media Server that records calls) and <paramref name="WarnOnly"/> the checks (names in
/// <see cref="HostPreparation.Checks"/>) whose failure is only reported as a warning.
/// </summary>
public sealed record PreflightTarget(string Label, string User, string Ip, int MinDiskGb, IReadOnlySet<string> WarnOnly);

/// <summary>
/// The scripts that prepare a new cluster server before a guide script deploys to it, as the guides' "Preparing
/// the Linux Host Machine" and "Set Up Password-Free Login" sections ask (infra/Scripts/remote/trust.sh,
/// untrust.sh and preflight.sh, after ssh-from-pbx01.sh, with their values in a header). Each runs ON pbx01 (POSIX sh and the
/// OpenSSH client of Ubuntu 24.04, nothing else), as the SSH user, like every other command of the program:
/// <list type="bullet">
/// <item><see cref="Trust"/> does what <c>ssh-copy-id -i ~/.ssh/id_rsa.pub pbx@IP</c> does, without a terminal;</item>
/// <item><see cref="Untrust"/> takes pbx01's key off a server that leaves the cluster;</item>
/// <item><see cref="Preflight"/> checks every host requirement of the guides and reports all that are unmet at once.</item>
/// </list>
/// </summary>
public static class HostPreparation
{
    /// <summary>The names of the preflight checks, as <see cref="PreflightTarget.WarnOnly"/> takes them.</summary>
    public static class Checks
    {
        /// <summary>The server runs the same OS release as pbx01 (ID and VERSION_ID of /etc/os-release).</summary>
        public const string Os = "os";

        /// <summary>The file system that holds /var/lib is at least <see cref="PreflightTarget.MinDiskGb"/> big.</summary>
        public const string Disk = "disk";

        /// <summary>No PostgreSQL on the host: no package, no binary, no postgres process outside containers.</summary>
        public const string PostgreSql = "postgresql";

        /// <summary>The clock is synchronized (timedatectl, chrony or ntpd) and agrees with pbx01's.</summary>
        public const string Clock = "clock";

        /// <summary>The server's address is configured statically on one of its interfaces, not leased by DHCP.</summary>
        public const string StaticIp = "static-ip";

        /// <summary>Nothing serves DNS (port 53) or DHCP (udp 67) beyond the loopback interface.</summary>
        public const string DnsDhcp = "dns-dhcp";

        /// <summary>The user has sudo rights.</summary>
        public const string Sudo = "sudo";

        public static readonly IReadOnlyList<string> All = [Os, Disk, PostgreSql, Clock, StaticIp, DnsDhcp, Sudo];
    }

    /// <summary>
    /// The share of <see cref="PreflightTarget.MinDiskGb"/> that the file system must reach: a disk sold as
    /// 128 GB shows up as a somewhat smaller file system once partitioned and formatted (a /boot and an EFI
    /// partition, ext4's own metadata), so 90% of the size is accepted.
    /// </summary>
    public const int DiskAllowancePercent = 90;

    /// <summary>Largest difference between the server's clock and pbx01's that passes, in seconds.</summary>
    public const int MaxClockSkewSeconds = 5;

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void CheckUserAndIp(string user, string serverIp)
    {
        if (!NamingRules.IsUser(user))
        {
            throw new ArgumentException($"'{user}' is not {NamingRules.UserRule}", nameof(user));
        }
        if (Ipv4.Problem(serverIp) is { } problem)
        {
            throw new ArgumentException($"'{serverIp}' {problem}", nameof(serverIp));
        }
    }

    /// <summary>
    /// Authorizes pbx01's existing <c>~/.ssh/id_rsa.pub</c> for <paramref name="user"/> on <paramref name="serverIp"/>,
    /// as the guides' <c>ssh-copy-id</c> step does. The command's stdin carries the shared password (its first
    /// line); it is needed only when the key is not authorized yet:
    /// <list type="number">
    /// <item>Host key: with <paramref name="pinnedHostKey"/> ("ssh-ed25519 AAAA...") pbx01's known_hosts gets that
    /// key for the address unless it has it already (other keys recorded for the address are dropped then: a
    /// stale key of another type could be the one ssh checks), and every connection checks it strictly (the
    /// server's other host keys that OpenSSH learns over a connection verified by the pinned key may join it); without, the key is recorded on first contact (accept-new) and checked strictly from then on.
    /// A key that does not match is refused, before any password is sent.</item>
    /// <item>A key login is tried first (BatchMode): a server that trusts pbx01 already needs no password.</item>
    /// <item>Otherwise one password login adds the key line to the server's authorized_keys unless a line with
    /// the same key is there (so running it again adds nothing), with key-file.sh (an atomic edit that keeps
    /// every other line and the file's mode). The password is piped into ssh and read by a one-off SSH_ASKPASS
    /// helper (SSH_ASKPASS_REQUIRE=force) that shares ssh's stdin and answers password prompts only; the helper,
    /// which holds no secret, lives in a 0700 temporary folder named after the script's process id, and folders
    /// left by killed runs are removed. The password is never in an argument, an exported variable, the output
    /// or any file.</item>
    /// <item>Finally the key login is tried again, and must work.</item>
    /// </list>
    /// </summary>
    public static string Trust(string user, string serverIp, string? pinnedHostKey)
    {
        CheckUserAndIp(user, serverIp);
        string? pinned = null;
        if (pinnedHostKey is not null)
        {
            if (!NamingRules.IsHostKey(pinnedHostKey))
            {
                throw new ArgumentException($"the pinned host key of {serverIp} is not {NamingRules.HostKeyRule}", nameof(pinnedHostKey));
            }
            pinned = string.Join(' ', pinnedHostKey.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return RemoteFiles.Script(
            [("user", user), ("ip", serverIp), ("pinned", pinned ?? ""),
             ("askpass", RemoteFiles.Text("askpass.sh")), ("add_key", RemoteFiles.Text("key-file.sh") + RemoteFiles.Text("server-add-key.sh"))],
            "ssh-from-pbx01.sh", "key-file.sh", "trust.sh");
    }

    /// <summary>
    /// Removes pbx01's key (the line of <c>~/.ssh/id_rsa.pub</c>, matched by the key itself) from the
    /// server's <c>~/.ssh/authorized_keys</c>, leaving every other line as it is (key-file.sh: atomic, the mode
    /// kept, CRLF and a missing final newline handled, nothing changed and a failure reported on a write error). Logs in with that key only
    /// (BatchMode, the host key checked strictly): a server that is gone, does not answer, no longer trusts the
    /// key or shows another host key has nothing of pbx01's to remove, so this succeeds with a message.
    /// </summary>
    public static string Untrust(string user, string serverIp)
    {
        CheckUserAndIp(user, serverIp);
        return RemoteFiles.Script(
            [("user", user), ("ip", serverIp), ("remove_key", RemoteFiles.Text("key-file.sh") + RemoteFiles.Text("server-remove-key.sh"))],
            "ssh-from-pbx01.sh", "untrust.sh");
    }

    /// <summary>
    /// Checks, from pbx01 over a key login (BatchMode, host key checked strictly: run <see cref="Trust"/> first),
    /// every requirement the guides set for a cluster server:
    /// <list type="bullet">
    /// <item><c>os</c>: ID and VERSION_ID of the server's /etc/os-release equal pbx01's ("the exact same OS
    /// version as the PBX server").</item>
    /// <item><c>disk</c>: the total size of the file system that holds /var/lib, where Docker and PortSIP keep their
    /// images and data (on a default Ubuntu install that is /), is at least MinDiskGb (decimal GB), less
    /// the allowance of <see cref="DiskAllowancePercent"/> for partitions and formatting. The total is checked,
    /// not the free space: the guides give disk sizes, and a new server is nearly empty.</item>
    /// <item><c>postgresql</c>: no installed postgresql/postgresql-NN package, no postgres binary (in PATH,
    /// /usr/lib/postgresql/*/bin, /usr/local/pgsql/bin), no postgres process outside containers (a deployed
    /// PortSIP role may run its own database in Docker, so the port is not checked).</item>
    /// <item><c>clock</c>: timedatectl's NTPSynchronized is yes; without timedatectl (or systemd), chrony's or
    /// ntpd's view, or systemd-timesyncd's flag file; and in every case the server's clock is within
    /// <see cref="MaxClockSkewSeconds"/> s of pbx01's.</item>
    /// <item><c>static-ip</c>: the address is on one of the server's interfaces and has no lease lifetime (ip shows
    /// DHCP leases as "dynamic").</item>
    /// <item><c>dns-dhcp</c>: nothing listens on tcp/udp 53 or udp 67 except on loopback addresses (Ubuntu's own
    /// systemd-resolved stub listens on 127.0.0.53 and is not a DNS server for others).</item>
    /// <item><c>sudo</c>: sudo is installed and the user is in group sudo or admin (Ubuntu's sudoers), or sudo
    /// works without a password, or sudo -l lists rights.</item>
    /// </list>
    /// Prints one message listing every unmet requirement (<c>label: Ubuntu 22.04 but pbx01 runs 24.04; 96 GB disk at
    /// /var/lib, 256 GB needed</c>) and exits 1; unmet checks named in WarnOnly are listed as warnings and do
    /// not fail. Passing prints <c>label meets every requirement</c>.
    /// </summary>
    public static string Preflight(PreflightTarget t)
    {
        CheckUserAndIp(t.User, t.Ip);
        if (t.MinDiskGb <= 0)
        {
            throw new ArgumentException($"{t.Label}: MinDiskGb must be positive, not {t.MinDiskGb}", nameof(t));
        }
        var unknown = t.WarnOnly.Where(w => !Checks.All.Contains(w)).Order().ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"{t.Label}: unknown preflight check(s) {string.Join(", ", unknown)}; the checks are {string.Join(", ", Checks.All)}", nameof(t));
        }
        if (t.Label.Contains('\n') || t.Label.Contains('\r'))
        {
            throw new ArgumentException("the label must be one line", nameof(t));
        }
        var warnOnly = string.Join(' ', Checks.All.Where(t.WarnOnly.Contains));
        return RemoteFiles.Script(
            [("label", t.Label), ("user", t.User), ("ip", t.Ip), ("min_gb", Number(t.MinDiskGb)), ("warn_only", warnOnly),
             ("disk_allowance_percent", Number(DiskAllowancePercent)), ("max_clock_skew_seconds", Number(MaxClockSkewSeconds)),
             ("probe", RemoteFiles.Text("preflight-probe.sh"))],
            "ssh-from-pbx01.sh", "preflight.sh");
    }
}
