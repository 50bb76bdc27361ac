using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PortsipInfra.Tests.OverSsh;

[CollectionDefinition(Name)]
public sealed class OverSshCollection : ICollectionFixture<SimulatedHosts>
{
    public const string Name = "OverSsh";
}

/// <summary>What a command run on pbx01 over SSH gave back.</summary>
public sealed record SshResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout:\n{Stdout}--- stderr:\n{Stderr}";
}

/// <summary>
/// The simulated hosts of tests/hosts (real sshd servers in their own namespaces), started once for the collection
/// and stopped at its end, also when tests fail. Tests reach pbx01 only, as the Pulumi Command provider does: the
/// rendered command is the SSH remote command and stdin is piped. Host state is read and reset through the files
/// behind the hosts' bind mounts.
/// </summary>
public sealed class SimulatedHosts : IDisposable
{
    public const string User = "pbx";
    public const string GuideFolder = "/opt/portsip-pbx-ha-guide";

    public static readonly bool IsCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public string Dir { get; } = Environment.GetEnvironmentVariable("PORTSIP_HOSTS_DIR") ?? "/run/portsip-hosts";
    public string ScriptsDir { get; }

    /// <summary>Why the hosts cannot run here (not root, no sshd, ...); null when they can.</summary>
    public string? Unavailable { get; }

    /// <summary>Set when the prerequisites are there but start-hosts.sh failed: then the tests fail.</summary>
    public string? StartError { get; }

    private readonly Dictionary<string, string> _ips = new();
    private readonly bool _started;

    public string Password { get; } = "";

    public SimulatedHosts()
    {
        ScriptsDir = FindScripts();
        Unavailable = MissingPrerequisite();
        if (Unavailable is not null)
        {
            return;
        }
        _started = true;
        try
        {
            var start = Run("/bin/bash", [Path.Combine(ScriptsDir, "start-hosts.sh")], null, TimeSpan.FromSeconds(90));
            if (start.ExitCode != 0)
            {
                StartError = $"tests/hosts/start-hosts.sh failed: {start}";
                return;
            }
            foreach (var line in File.ReadAllLines(Path.Combine(Dir, "hosts.txt")))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 2)
                {
                    _ips[parts[0]] = parts[1];
                }
            }
            Password = File.ReadAllText(Path.Combine(Dir, "password")).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or TimeoutException or UnauthorizedAccessException)
        {
            StartError = $"the simulated hosts did not start: {e}";
        }
    }

    public void Dispose()
    {
        if (_started)
        {
            Run("/bin/bash", [Path.Combine(ScriptsDir, "stop-hosts.sh")], null, TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>
    /// Call first in every test: skips it when this machine cannot run the hosts (fails instead when CI=true),
    /// fails it when they did not start, and puts every host back as start-hosts.sh left it.
    /// </summary>
    public void Require()
    {
        if (Unavailable is not null)
        {
            if (IsCi)
            {
                Assert.Fail($"CI=true but the simulated hosts cannot run: {Unavailable}");
            }
            Skip.If(true, $"simulated hosts unavailable: {Unavailable}");
        }
        if (StartError is not null)
        {
            Assert.Fail(StartError);
        }
        var reset = Run("/bin/bash", [Path.Combine(ScriptsDir, "reset-hosts.sh")], null, TimeSpan.FromSeconds(30));
        Assert.True(reset.ExitCode == 0, $"reset-hosts.sh failed: {reset}");
    }

    public string Ip(string host) => _ips.TryGetValue(host, out var ip) ? ip : throw new ArgumentException($"no simulated host {host}");

    public string Pbx01 => Ip("pbx01");

    /// <summary>The root namespace's end of the hosts' network (tests/hosts/hosts.conf.sh).</summary>
    public const string Uplink = "psim-up";

    /// <summary>
    /// Runs <paramref name="command"/> on pbx01 as the remote command of an SSH session, stdin piped. The
    /// connection leaves through the hosts' uplink only: with the hosts down it fails here, it never goes
    /// anywhere else.
    /// </summary>
    public SshResult OnPbx01(string command, string? stdin = null, int timeoutSeconds = 60)
    {
        if (!File.Exists(Path.Combine(Dir, "up")))
        {
            throw new InvalidOperationException("the simulated hosts are not up");
        }
        return Run("ssh",
        [
            "-F", "/dev/null",
            "-o", $"BindInterface={Uplink}",
            "-i", Path.Combine(Dir, "test_key"),
            "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes",
            "-o", $"UserKnownHostsFile={Path.Combine(Dir, "known_hosts")}",
            "-o", "ConnectTimeout=5",
            "-o", "LogLevel=ERROR",
            $"{User}@{Pbx01}",
            command,
        ], stdin, TimeSpan.FromSeconds(timeoutSeconds));
    }

    /// <summary>A path in the host's /home/pbx, read from the directory behind its bind mount.</summary>
    public string Home(string host, string relative = "") => Path.Combine(Dir, "hosts", host, "home", relative);

    public string HostDir(string host, string relative = "") => Path.Combine(Dir, "hosts", host, relative);

    public string[] Lines(string host, string relative)
    {
        var path = Home(host, relative);
        return File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToArray() : [];
    }

    /// <summary>What the stand-in guide scripts did on <paramref name="host"/> (~/.standin/log there).</summary>
    public string[] StandinLog(string host) => Lines(host, ".standin/log");

    /// <summary>Every stand-in invocation on pbx01: "script arguments".</summary>
    public string[] GuideCalls() => Lines("pbx01", ".standin/calls");

    /// <summary>Commands that would have removed more than the server they were meant for.</summary>
    public string[] Disasters() => Lines("pbx01", ".standin/DISASTER");

    public IEnumerable<string> AllHosts => _ips.Keys;

    /// <summary>The host's public host key, "type base64".</summary>
    public string HostKey(string host, string type = "ed25519")
    {
        var line = File.ReadAllText(HostDir(host, $"ssh/ssh_host_{type}_key.pub")).Trim();
        var parts = line.Split(' ');
        return $"{parts[0]} {parts[1]}";
    }

    /// <summary>pbx01's public key (the one the trust step authorizes), "type base64 comment".</summary>
    public string Pbx01PublicKey => File.ReadAllText(Home("pbx01", ".ssh/id_rsa.pub")).Trim();

    public static SshResult Run(string file, IReadOnlyList<string> args, string? stdin, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                p.StandardInput.Write(stdin);
            }
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command did not read its stdin.
        }
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args.Take(3))}... did not finish in {timeout.TotalSeconds} s");
        }
        p.WaitForExit();
        return new SshResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();

    private static string? MissingPrerequisite()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "they need Linux namespaces";
        }
        if (GetEuid() != 0)
        {
            return "they need root (network and mount namespaces, a user, sshd)";
        }
        if (!File.Exists("/usr/sbin/sshd"))
        {
            return "sshd is missing: apt-get install -y openssh-server";
        }
        foreach (var tool in new[] { "ssh", "ssh-keygen", "ip", "unshare", "perl" })
        {
            var path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
                .Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
            if (path is null)
            {
                return $"{tool} is missing";
            }
        }
        return null;
    }

    private static string FindScripts()
    {
        var scripts = Path.Combine(PortsipInfra.Tests.Support.StackFile.RepositoryRoot, "tests", "hosts");
        return File.Exists(Path.Combine(scripts, "start-hosts.sh"))
            ? scripts
            : throw new DirectoryNotFoundException($"{scripts}/start-hosts.sh not found");
    }
}
