namespace PortsipInfra.Tests.Scripts;

/// <summary>
/// remove.sh with its drain, and rolling-upgrade.sh, run directly with sh and bash in a scratch home: the guide lines
/// and the REST helper's lines replaced by lines that record their calls (and read the connection on stdin).
/// </summary>
public class DrainScriptTests
{
    public static TheoryData<string> Shells => ["/bin/sh", "/bin/bash"];

    /// <summary>A stand-in line: reads its stdin, appends its words and the first line of that stdin to ~/calls.</summary>
    private static string Line(string words, int exit = 0) =>
        $"IFS= read -r t || t=none; cat >/dev/null; printf '%s %s\\n' {Shell.Quote(words)} \"$t\" >> \"$HOME/calls\"; exit {exit}";

    private static string[] Calls(ScratchHome home) =>
        File.Exists(home.File("calls")) ? File.ReadAllLines(home.File("calls")) : [];

    [Theory]
    [MemberData(nameof(Shells))]
    public void A_removal_drains_first_and_a_failed_drain_removes_nothing(string shell)
    {
        using var home = new ScratchHome();
        home.Write(".portsip-infra/installed/media-server-only@10.0.0.21", "m1\n");
        string Remove(int drainExit) =>
            RemoteScript.Remove("Media Server m1 (10.0.0.21)", "media-server-only@10.0.0.21", "m1", Line("rm m1"), Line("drain m1", drainExit));

        var refused = home.Run(Remove(1), "{conn}\n", shell);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Media Server m1 (10.0.0.21): not removed: it was not drained (see above); nothing was run", refused.Stderr);
        Assert.Equal(["drain m1 {conn}"], Calls(home));
        Assert.True(File.Exists(home.File(".portsip-infra/installed/media-server-only@10.0.0.21")));

        var removed = home.Run(Remove(0), "{conn}\n", shell);

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal(["drain m1 {conn}", "drain m1 {conn}", "rm m1 none"], Calls(home));
        Assert.False(File.Exists(home.File(".portsip-infra/installed/media-server-only@10.0.0.21")));
    }

    [Fact]
    public void A_removal_at_an_address_where_another_server_is_recorded_drains_nothing()
    {
        using var home = new ScratchHome();
        home.Write(".portsip-infra/installed/media-server-only@10.0.0.21", "m2\n");

        var result = home.Run(RemoteScript.Remove("Media Server m1 (10.0.0.21)", "media-server-only@10.0.0.21", "m1", Line("rm m1"), Line("drain m1")), "{conn}\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(Calls(home));
    }

    /// <summary>rolling-upgrade.sh for m1 and m2 with stand-in lines; <paramref name="online"/> is m1's wait-online line.</summary>
    private static string Rolling(string? online = null)
    {
        var values = new List<(string, string)>
        {
            ("what", "the Media Servers"), ("key", "extend-media"), ("version", "v2"), ("guide_command", "rolling"),
            ("site_fact", ""), ("vars_file", ""), ("server_count", "2"),
        };
        foreach (var (name, i) in new[] { ("m1", 1), ("m2", 2) })
        {
            values.AddRange(
            [
                ($"server_{i}_what", $"Media Server {name}"), ($"server_{i}_key", $"media-server-only@10.0.0.2{i}"), ($"server_{i}_name", name),
                ($"server_{i}_status", "cat >/dev/null; echo online"), ($"server_{i}_drain", Line($"drain {name}")), ($"server_{i}_remove", Line($"rm {name}")),
                ($"server_{i}_run", Line($"run {name}")), ($"server_{i}_online", i == 1 && online is not null ? online : Line($"online {name}")),
                ($"server_{i}_enable", Line($"enable {name}")),
            ]);
        }
        return RemoteFiles.Script(values, "guide-lock.sh", "run-guide.sh", "site-facts.sh", "rolling-upgrade.sh");
    }

    private static ScratchHome Installed()
    {
        var home = new ScratchHome();
        home.Write(".portsip-infra/installed/media-server-only@10.0.0.21", "m1\n");
        home.Write(".portsip-infra/installed/media-server-only@10.0.0.22", "m2\n");
        home.Write(".portsip-infra/versions/extend-media", "v1\n");
        return home;
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void A_rolling_upgrade_takes_one_server_at_a_time_and_records_the_version(string shell)
    {
        using var home = Installed();

        var result = home.Run(Rolling(), "{conn}\n", shell);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            "drain m1 {conn}", "rm m1 none", "run m1 none", "online m1 {conn}", "enable m1 {conn}",
            "drain m2 {conn}", "rm m2 none", "run m2 none", "online m2 {conn}", "enable m2 {conn}",
        ], Calls(home));
        Assert.Equal("v2\n", home.Read(".portsip-infra/versions/extend-media"));
        Assert.Empty(Directory.GetFiles(home.File(".portsip-infra/rolling")));

        var again = home.Run(Rolling(), "{conn}\n", shell);
        Assert.Equal("the Media Servers are at v2 already; nothing to do\n", again.Stdout);
        Assert.Equal(10, Calls(home).Length);
    }

    [Fact]
    public void A_rolling_upgrade_stops_at_a_server_that_does_not_come_back_and_a_rerun_goes_on_from_there()
    {
        using var home = Installed();

        var stopped = home.Run(Rolling(online: Line("online m1", 1)), "{conn}\n");

        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("Media Server m1: stopped: it did not come back ONLINE after its upgrade; it stays disabled, and the servers after it are not touched", stopped.Stderr);
        Assert.Equal(["drain m1 {conn}", "rm m1 none", "run m1 none", "online m1 {conn}"], Calls(home));
        Assert.Equal("v1\n", home.Read(".portsip-infra/versions/extend-media"));

        var rerun = home.Run(Rolling(), "{conn}\n");

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        // m1 was removed already: installed again (not drained or removed a second time), then m2 in turn.
        Assert.Equal(
        [
            "run m1 none", "online m1 {conn}", "enable m1 {conn}",
            "drain m2 {conn}", "rm m2 none", "run m2 none", "online m2 {conn}", "enable m2 {conn}",
        ], Calls(home)[4..]);
        Assert.Equal("v2\n", home.Read(".portsip-infra/versions/extend-media"));
    }
}
