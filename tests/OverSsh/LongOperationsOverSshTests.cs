using System.Diagnostics;

namespace PortsipInfra.Tests.OverSsh;

/// <summary>
/// Long operations over real SSH on the simulated pbx01: a connection that drops while a guide script runs (the
/// ssh client killed while the stand-in waits, see ~/.standin/hold in tests/hosts/guide/standin-lib.sh), and an
/// install that fails half-way once (~/.standin/fail-once). The steps are the components' own
/// (<see cref="ServerScripts"/>).
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class LongOperationsOverSshTests(SimulatedHosts hosts)
{
    private ExtendedServerSettings Media => new(ServerRole.Media, "media-server-1", hosts.Ip("media1"));

    private RemoteStep MediaStep => ServerScripts.ExtendedServer(SimulatedHosts.GuideFolder, Media);

    private string Key => $"media-server-only@{hosts.Ip("media1")}";

    private string[] Actions(string host) => hosts.StandinLog(host).Select(l => string.Join(' ', l.Split(' ').Take(2))).ToArray();

    private void Ok(string command, string? stdin = null)
    {
        var result = hosts.OnPbx01(command, stdin);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private void Prepare()
    {
        hosts.Require();
        Ok(HostPreparation.Trust(SimulatedHosts.User, hosts.Ip("media1"), null), hosts.Password + "\n");
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>The same ssh client as <see cref="SimulatedHosts.OnPbx01"/>, left running.</summary>
    private Process StartOnPbx01(string command)
    {
        var psi = new ProcessStartInfo("ssh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "-F", "/dev/null", "-o", $"BindInterface={SimulatedHosts.Uplink}", "-i", Path.Combine(hosts.Dir, "test_key"),
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
            "-o", $"UserKnownHostsFile={Path.Combine(hosts.Dir, "known_hosts")}", "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR",
            $"{SimulatedHosts.User}@{hosts.Pbx01}", command,
        })
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi)!;
        p.StandardInput.Close();
        return p;
    }

    private bool Held => File.Exists(hosts.Home("pbx01", ".standin/held"));

    /// <summary>Starts the create with the stand-in holding, then drops the connection while extend.sh runs.</summary>
    private void CreateAndDropMidInstall()
    {
        Ok("mkdir -p ~/.standin && touch ~/.standin/hold");
        using var client = StartOnPbx01(MediaStep.Create);
        WaitFor(() => Held, "extend.sh started");
        client.Kill();
        client.WaitForExit();
    }

    [SkippableFact]
    public void A_dropped_connection_mid_install_does_not_stop_the_guide_script_and_the_rerun_records_it()
    {
        Prepare();
        try
        {
            CreateAndDropMidInstall();
        }
        finally
        {
            Ok("rm -f ~/.standin/hold");
        }
        // The guide script goes on and ends on its own.
        // The guide script goes on and ends on its own: its code is in runs/, or the step's shell, which lives
        // on until it next writes to the dead connection, recorded the install.
        WaitFor(() => File.Exists(hosts.Home("pbx01", $".portsip-infra/runs/{Key}.status"))
            || File.Exists(hosts.Home("pbx01", $".portsip-infra/installed/{Key}")), "extend.sh finished");
        Assert.Equal(["install media-server-only"], Actions("media1"));

        var rerun = hosts.OnPbx01(MediaStep.Create);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(["install media-server-only"], Actions("media1"));
        Assert.Single(hosts.GuideCalls(), c => c.StartsWith("extend.sh run", StringComparison.Ordinal));
        Assert.Equal(["media-server-1"], hosts.Lines("pbx01", $".portsip-infra/installed/{Key}"));
    }

    [SkippableFact]
    public void A_rerun_while_the_dropped_install_still_runs_follows_it()
    {
        Prepare();
        SshResult rerun;
        try
        {
            CreateAndDropMidInstall();
            using var client = StartOnPbx01(MediaStep.Create);
            var stdout = client.StandardOutput.ReadToEndAsync();
            var stderr = client.StandardError.ReadToEndAsync();
            // The re-run has taken its place in the queue behind the dropped one, which still holds it.
            WaitFor(() => hosts.Lines("pbx01", ".portsip-infra/queue/.next").SequenceEqual(["2"]), "the re-run is queued");
            Ok("rm -f ~/.standin/hold");
            Assert.True(client.WaitForExit(60_000));
            client.WaitForExit();
            rerun = new SshResult(client.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            Ok("rm -f ~/.standin/hold");
        }
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("the same guide command is still running on pbx01", rerun.Stdout);
        Assert.Contains("installed media-server-only", rerun.Stdout);
        Assert.Equal(["install media-server-only"], Actions("media1"));
        Assert.Single(hosts.GuideCalls(), c => c.StartsWith("extend.sh run", StringComparison.Ordinal));
        Assert.Equal(["media-server-1"], hosts.Lines("pbx01", $".portsip-infra/installed/{Key}"));
    }

    [SkippableFact]
    public void A_create_rerun_after_an_install_failed_half_way_removes_it_and_installs_again()
    {
        Prepare();
        Ok("mkdir -p ~/.standin && touch ~/.standin/fail-once");
        var failed = hosts.OnPbx01(MediaStep.Create);
        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("the deployment failed half-way", failed.Stdout);
        Assert.Empty(hosts.Lines("pbx01", $".portsip-infra/installed/{Key}"));

        var rerun = hosts.OnPbx01(MediaStep.Create);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("removing what it left before installing again", rerun.Stdout);
        // The targeted remove of this one server, then the install: no reinstall over the broken one.
        Assert.Equal(["install media-server-only", "remove media-server-only", "install media-server-only"], Actions("media1"));
        Assert.Contains($"extend.sh rm -s media-server-only -a {hosts.Ip("media1")}", hosts.GuideCalls());
        Assert.Empty(hosts.Disasters());
        Assert.Equal(["media-server-1"], hosts.Lines("pbx01", $".portsip-infra/installed/{Key}"));
    }
}
