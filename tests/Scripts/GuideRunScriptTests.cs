using System.Diagnostics;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Scripts;

/// <summary>
/// guide-lock.sh's queue and run-guide.sh's detached guide scripts, run directly with sh in a scratch home. A step
/// whose "SSH session" drops is a step started in a process group of its own that the test kills (SIGKILL to the
/// whole group: the step's shell and its tail); the guide line waits for a file the test creates, so nothing here
/// depends on timing.
/// </summary>
public class GuideRunScriptTests
{
    private const string Key = "media-server-only@10.0.0.21";
    private const string What = "Media Server m1 (10.0.0.21)";

    /// <summary>A guide line that says it started, waits for ~/go, records its call and the token on its stdin.</summary>
    private static string SlowGuide(string words) =>
        $"IFS= read -r t || t=none; touch \"$HOME/started\"; while [ ! -e \"$HOME/go\" ]; do sleep 0.1; done; " +
        $"echo guide says hello; printf '%s %s\\n' {Shell.Quote(words)} \"$t\" >> \"$HOME/calls\"";

    private static string Guide(string words) =>
        $"IFS= read -r t || t=none; printf '%s %s\\n' {Shell.Quote(words)} \"$t\" >> \"$HOME/calls\"";

    private static string[] Calls(ScratchHome home) =>
        File.Exists(home.File("calls")) ? File.ReadAllLines(home.File("calls")) : [];

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>A step running in the background in a session of its own (its group's id in ~/NAME.pgid), output in ~/NAME.out.</summary>
    private sealed class BackgroundStep : IDisposable
    {
        private readonly Process process;
        private readonly ScratchHome home;
        public string Name { get; }

        public BackgroundStep(ScratchHome home, string name, string script, string stdin = "")
        {
            this.home = home;
            Name = name;
            home.Write(name + ".in", stdin);
            var psi = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = home.Path };
            psi.ArgumentList.Add("-w");
            psi.ArgumentList.Add("sh");
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add($"echo $$ > {name}.pgid; sh -c \"$1\" < {name}.in > {name}.out 2>&1");
            psi.ArgumentList.Add("step");
            psi.ArgumentList.Add(script);
            psi.Environment["HOME"] = home.Path;
            process = Process.Start(psi)!;
            WaitFor(() => File.Exists(home.File(name + ".pgid")) && home.Read(name + ".pgid").Trim().Length > 0, $"{name} started");
        }

        public string Output => File.Exists(home.File(Name + ".out")) ? home.Read(Name + ".out") : "";

        /// <summary>The SSH session drops: its step shell and everything in its group die.</summary>
        public void Drop()
        {
            using var kill = Process.Start("kill", ["-KILL", "--", "-" + home.Read(Name + ".pgid").Trim()]);
            kill.WaitForExit();
            Assert.True(process.WaitForExit(60_000));
        }

        public int Wait()
        {
            if (!process.WaitForExit(60_000))
            {
                throw new TimeoutException(Name);
            }
            // setsid -w gives the step's code.
            return process.ExitCode;
        }

        public void Dispose() => process.Dispose();
    }

    private static string Install(string guide) =>
        RemoteScript.Install(What, Key, "m1", guide, Guide("rm m1"), "v1");

    [Fact]
    public void The_guide_script_runs_detached_and_the_step_follows_its_log_to_its_code()
    {
        using var home = new ScratchHome();
        var result = home.Run(Install("echo to stdout; echo to stderr >&2; " + Guide("run m1")), "token-1\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"to stdout\nto stderr\n{What} is installed\n", result.Stdout);
        Assert.Equal(["run m1 token-1"], Calls(home));
        Assert.Equal("to stdout\nto stderr\n", home.Read($".portsip-infra/runs/{Key}.log"));
        // Reported: only the log stays, and the step's ticket is gone.
        Assert.False(File.Exists(home.File($".portsip-infra/runs/{Key}.status")));
        Assert.Empty(Directory.GetFiles(home.File(".portsip-infra/queue"), "0*"));

        // The guide script runs in a session of its own, not the step's.
        var sessions = home.Run(RemoteScript.Install(What, Key, "m2", Guide("run m2") + "; ps -o sid= -p $$ > \"$HOME/guide.sid\"", Guide("rm m2"))
            + "\nps -o sid= -p $$ > \"$HOME/step.sid\"\n");
        Assert.True(sessions.ExitCode == 0, sessions.ToString());
        Assert.NotEqual(home.Read("step.sid").Trim(), home.Read("guide.sid").Trim());
    }

    [Fact]
    public void A_dropped_session_leaves_the_guide_script_running_and_the_rerun_records_its_success()
    {
        using var home = new ScratchHome();
        using (var first = new BackgroundStep(home, "first", Install(SlowGuide("run m1")), "token-1\n"))
        {
            WaitFor(() => File.Exists(home.File("started")), "guide started");
            first.Drop();
        }
        // The guide script still runs and still holds the queue: its ticket names it.
        var ticket = Assert.Single(Directory.GetFiles(home.File(".portsip-infra/queue"), "0*"));
        var guidePid = home.Read($".portsip-infra/runs/{Key}.pid").Trim();
        Assert.Contains(guidePid, File.ReadAllLines(ticket)[0].Split(' '));
        Assert.True(Directory.Exists($"/proc/{guidePid}"));

        File.WriteAllText(home.File("go"), "");
        WaitFor(() => File.Exists(home.File($".portsip-infra/runs/{Key}.status")), "guide finished");
        Assert.Equal("0\n", home.Read($".portsip-infra/runs/{Key}.status"));
        Assert.Equal(["run m1 token-1"], Calls(home));
        Assert.False(File.Exists(home.File($".portsip-infra/installed/{Key}")));

        var rerun = home.Run(Install(SlowGuide("run m1")), "token-2\n");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains($"{What}: the guide command already finished on pbx01", rerun.Stdout);
        Assert.EndsWith($"{What} is installed\n", rerun.Stdout);
        Assert.Equal(["run m1 token-1"], Calls(home));
        Assert.Equal("m1\n", home.Read($".portsip-infra/installed/{Key}"));
    }

    [Fact]
    public void A_rerun_follows_the_guide_script_still_running_instead_of_starting_a_second()
    {
        using var home = new ScratchHome();
        using (var first = new BackgroundStep(home, "first", Install(SlowGuide("run m1")), "token-1\n"))
        {
            WaitFor(() => File.Exists(home.File("started")), "guide started");
            first.Drop();
        }
        using var rerun = new BackgroundStep(home, "rerun", Install(SlowGuide("run m1")), "token-2\n");
        WaitFor(() => rerun.Output.Contains("following it"), "rerun follows");
        File.WriteAllText(home.File("go"), "");
        Assert.Equal(0, rerun.Wait());
        Assert.Contains($"{What}: the same guide command is still running on pbx01", rerun.Output);
        Assert.Contains("guide says hello\n", rerun.Output);
        Assert.EndsWith($"{What} is installed\n", rerun.Output);
        Assert.Equal(["run m1 token-1"], Calls(home));
        Assert.Equal("m1\n", home.Read($".portsip-infra/installed/{Key}"));
    }

    [Fact]
    public void A_create_rerun_after_a_failed_install_removes_it_first_then_installs()
    {
        using var home = new ScratchHome();
        var failsOnce = $"if [ ! -e \"$HOME/failed-once\" ]; then touch \"$HOME/failed-once\"; {Guide("run m1 (fails)")}; exit 4; fi; {Guide("run m1")}";
        var failed = home.Run(Install(failsOnce), "token-1\n");
        Assert.Equal(4, failed.ExitCode);
        Assert.Contains($"{What}: the guide command failed (exit 4)", failed.Stderr);
        Assert.False(File.Exists(home.File($".portsip-infra/installed/{Key}")));

        var rerun = home.Run(Install(failsOnce), "token-2\n");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains($"{What}: the last guide command for it failed on pbx01 (exit 4", rerun.Stdout);
        Assert.Contains("removing what it left before installing again", rerun.Stdout);
        // The remove gets no stdin; the install gets the step's token.
        Assert.Equal(["run m1 (fails) token-1", "rm m1 none", "run m1 token-2"], Calls(home));
        Assert.Equal("m1\n", home.Read($".portsip-infra/installed/{Key}"));

        // Converged: nothing more on the next run.
        var again = home.Run(Install(failsOnce), "token-3\n");
        Assert.Equal($"{What} is already installed; nothing to do\n", again.Stdout);
        Assert.Equal(3, Calls(home).Length);
    }

    [Fact]
    public void A_failed_upgrade_is_run_again_without_a_remove()
    {
        using var home = new ScratchHome();
        home.Write(".portsip-infra/versions/im", "v1\n");
        var failsOnce = $"if [ ! -e \"$HOME/failed-once\" ]; then touch \"$HOME/failed-once\"; exit 5; fi; {Guide("upgrade")}";
        Assert.Equal(5, home.Run(RemoteScript.Upgrade("the IM service", "im", "v2", failsOnce)).ExitCode);
        var rerun = home.Run(RemoteScript.Upgrade("the IM service", "im", "v2", failsOnce));
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(["upgrade none"], Calls(home));
        Assert.Equal("v2\n", home.Read(".portsip-infra/versions/im"));
    }

    [Fact]
    public void Waiting_steps_go_in_the_order_they_came_and_say_what_they_wait_for()
    {
        using var home = new ScratchHome();
        using var holder = Process.Start("sleep", ["600"]);
        try
        {
            home.Write(".portsip-infra/queue/.next", "1\n");
            home.Write(".portsip-infra/queue/000000000001", $"{holder.Id}\n2026-12-04 10:00:00 UTC\nSBC server s1 (10.0.0.11)\n");
            var steps = new List<BackgroundStep>();
            foreach (var (name, n) in new[] { ("a", 2), ("b", 3), ("c", 4) })
            {
                steps.Add(new BackgroundStep(home, name, RemoteScript.Install($"server {name}", $"key-{name}", name, Guide(name), Guide("rm"))));
                WaitFor(() => File.Exists(home.File($".portsip-infra/queue/{n:D12}")), $"{name} has its ticket");
            }
            WaitFor(() => steps[2].Output.Contains("ahead"), "c says it waits");
            Assert.Equal("server a: waiting for SBC server s1 (10.0.0.11) (started 2026-12-04 10:00:00 UTC) to finish; 1 ahead\n", steps[0].Output);
            Assert.Equal("server c: waiting for SBC server s1 (10.0.0.11) (started 2026-12-04 10:00:00 UTC) to finish; 3 ahead\n", steps[2].Output);
            Assert.Empty(Calls(home));

            holder.Kill();
            holder.WaitForExit();
            foreach (var step in steps)
            {
                Assert.Equal(0, step.Wait());
                step.Dispose();
            }
            Assert.Equal(["a none", "b none", "c none"], Calls(home));
            Assert.Empty(Directory.GetFiles(home.File(".portsip-infra/queue"), "0*"));
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill();
            }
        }
    }

    [Fact]
    public void Steps_started_together_each_get_a_ticket_of_their_own_and_all_run()
    {
        using var home = new ScratchHome();
        var steps = Enumerable.Range(1, 6)
            .Select(i => new BackgroundStep(home, $"s{i}", RemoteScript.Install($"server {i}", $"key-{i}", "x", Guide($"run {i}"), Guide("rm"))))
            .ToList();
        foreach (var step in steps)
        {
            Assert.True(step.Wait() == 0, step.Output);
            step.Dispose();
        }
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"run {i} none").Order(), Calls(home).Order());
        Assert.Equal("6\n", home.Read(".portsip-infra/queue/.next"));
        Assert.Empty(Directory.GetFiles(home.File(".portsip-infra/queue"), "0*"));
    }

    [Fact]
    public void A_ticket_whose_processes_are_gone_does_not_block()
    {
        using var home = new ScratchHome();
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        home.Write(".portsip-infra/queue/.next", "1\n");
        home.Write(".portsip-infra/queue/000000000001", $"{gone.Id}\n2026-12-04 10:00:00 UTC\nan SBC server whose session was killed\n");
        var result = home.Run(Install(Guide("run m1")));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"{What} is installed\n", result.Stdout);
        Assert.Empty(Directory.GetFiles(home.File(".portsip-infra/queue"), "0*"));
    }
}
