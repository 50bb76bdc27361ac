using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Scripts;

/// <summary>
/// install.sh, upgrade.sh, remove.sh, record-version.sh and pbx-check.sh (after guide-lock.sh) run directly with
/// sh and bash in a scratch home, the guide's command replaced by a line that records its calls.
/// </summary>
public class GuideStepScriptTests
{
    public static TheoryData<string> Shells => ["/bin/sh", "/bin/bash"];

    /// <summary>Stands in for a guide line: appends its words to ~/calls, reads its stdin (a token) too.</summary>
    private static string Guide(string words) => $"IFS= read -r t || t=none; printf '%s %s\\n' {Shell.Quote(words)} \"$t\" >> \"$HOME/calls\"";

    private static string[] Calls(ScratchHome home) =>
        File.Exists(home.File("calls")) ? File.ReadAllLines(home.File("calls")) : [];

    [Theory]
    [MemberData(nameof(Shells))]
    public void Install_runs_the_guide_line_once_per_identity_and_records_it(string shell)
    {
        using var home = new ScratchHome();
        var install = RemoteScript.Install("Media Server m1 (10.0.0.21)", "media-server-only@10.0.0.21", "m1", Guide("run m1"), Guide("rm m1"), "v1");
        var first = home.Run(install, "token-1\n", shell);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("Media Server m1 (10.0.0.21) is installed\n", first.Stdout);
        Assert.Equal(["run m1 token-1"], Calls(home));
        Assert.Equal("m1\n", home.Read(".portsip-infra/installed/media-server-only@10.0.0.21"));
        Assert.Equal("v1\n", home.Read(".portsip-infra/versions/media-server-only@10.0.0.21"));

        var again = home.Run(install, "token-2\n", shell);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("Media Server m1 (10.0.0.21) is already installed; nothing to do\n", again.Stdout);
        Assert.Single(Calls(home));

        var renamed = home.Run(RemoteScript.Install("Media Server m2 (10.0.0.21)", "media-server-only@10.0.0.21", "m2", Guide("run m2"), Guide("rm m2")), null, shell);
        Assert.Equal(0, renamed.ExitCode);
        Assert.Equal(["run m1 token-1", "run m2 none"], Calls(home));
    }

    [Fact]
    public void A_failing_guide_line_fails_the_step_and_records_nothing()
    {
        using var home = new ScratchHome();
        var result = home.Run(RemoteScript.Install("IM service (10.0.0.25)", "im", "10.0.0.25", "echo im.sh failed >&2; exit 3", Guide("rm"), "v1"));
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("im.sh failed", result.Stdout);
        Assert.Contains("IM service (10.0.0.25): the guide command failed (exit 3)", result.Stderr);
        Assert.False(File.Exists(home.File(".portsip-infra/installed/im")));
        Assert.False(File.Exists(home.File(".portsip-infra/versions/im")));
    }

    [Fact]
    public void Values_with_quotes_and_shell_code_reach_the_guide_line_as_text()
    {
        using var home = new ScratchHome();
        var nasty = "it's $(touch pwned) `touch pwned2` \"q\" ; rm -rf x";
        var result = home.Run(RemoteScript.Install(nasty, nasty, nasty, Guide(nasty), Guide(nasty)));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([nasty + " none"], Calls(home));
        Assert.Equal($"{nasty} is installed\n", result.Stdout);
        Assert.False(File.Exists(home.File("pwned")));
        Assert.False(File.Exists(home.File("pwned2")));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void Upgrade_runs_only_for_a_new_version(string shell)
    {
        using var home = new ScratchHome();
        home.Write(".portsip-infra/versions/im", "v1\n");
        var same = home.Run(RemoteScript.Upgrade("the IM service", "im", "v1", Guide("upgrade")), null, shell);
        Assert.Equal(0, same.ExitCode);
        Assert.Equal("the IM service is at v1 already; nothing to do\n", same.Stdout);
        Assert.Empty(Calls(home));
        var newer = home.Run(RemoteScript.Upgrade("the IM service", "im", "v2", Guide("upgrade")), "tok\n", shell);
        Assert.True(newer.ExitCode == 0, newer.ToString());
        Assert.Equal("Upgrading the IM service to v2\n", newer.Stdout);
        Assert.Equal(["upgrade tok"], Calls(home));
        Assert.Equal("v2\n", home.Read(".portsip-infra/versions/im"));
    }

    [Fact]
    public void Remove_runs_the_guide_line_and_forgets_the_records_of_its_key_only()
    {
        using var home = new ScratchHome();
        home.Write(".portsip-infra/installed/sbc@10.0.0.11", "10.0.0.11\n");
        home.Write(".portsip-infra/versions/sbc@10.0.0.11", "portsip/sbc:11\n");
        home.Write(".portsip-infra/installed/sbc@10.0.0.12", "10.0.0.12\n");
        var result = home.Run(RemoteScript.Remove("SBC server sbc1 (10.0.0.11)", "sbc@10.0.0.11", "10.0.0.11", Guide("rm -a 10.0.0.11")));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("SBC server sbc1 (10.0.0.11) is removed\n", result.Stdout);
        Assert.Equal(["rm -a 10.0.0.11 none"], Calls(home));
        Assert.False(File.Exists(home.File(".portsip-infra/installed/sbc@10.0.0.11")));
        Assert.False(File.Exists(home.File(".portsip-infra/versions/sbc@10.0.0.11")));
        Assert.True(File.Exists(home.File(".portsip-infra/installed/sbc@10.0.0.12")));
    }

    [Fact]
    public void Remove_leaves_another_server_recorded_at_the_address_and_says_so()
    {
        using var home = new ScratchHome();
        home.Write(".portsip-infra/installed/media-server-only@10.0.0.21", "media-server-1b\n");
        var result = home.Run(RemoteScript.Remove("Media Server media-server-1 (10.0.0.21)", "media-server-only@10.0.0.21", "media-server-1",
            Guide("rm -s media-server-only -a 10.0.0.21")));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("not removed: pbx01 records media-server-1b installed under media-server-only@10.0.0.21, not media-server-1", result.Stdout);
        Assert.Empty(Calls(home));
        Assert.Equal("media-server-1b\n", home.Read(".portsip-infra/installed/media-server-only@10.0.0.21"));
    }

    [Fact]
    public void Untrust_keeps_pbx01s_key_on_an_address_where_another_server_is_recorded()
    {
        using var home = new ScratchHome();
        home.Write(".portsip-infra/installed/media-server-only@10.0.0.21", "media-server-1b\n");
        var result = home.Run(HostPreparation.Untrust("pbx", "10.0.0.21"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("pbx@10.0.0.21 keeps pbx01's key: pbx01 records media-server-1b (media-server-only@10.0.0.21) installed there", result.Stdout);
    }

    [Fact]
    public void The_PBX_check_fails_without_the_HA_install_and_records_the_version_with_it()
    {
        using var home = new ScratchHome();
        var vars = home.File("guide/res/vars.yml");
        var script = RemoteScript.CheckPbxAndRecordVersion(vars, "The PBX HA cluster", "pbx", "portsip/pbx:22");
        var missing = home.Run(script);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"pbx01 has no finished PBX HA install: {vars} is missing.", missing.Stderr);
        Assert.False(File.Exists(home.File(".portsip-infra/versions/pbx")));
        home.Write("guide/res/vars.yml", "vip: 10.0.0.130\n");
        var present = home.Run(script);
        Assert.True(present.ExitCode == 0, present.ToString());
        Assert.Equal("The PBX HA cluster runs portsip/pbx:22\n", present.Stdout);
        Assert.Equal("portsip/pbx:22\n", home.Read(".portsip-infra/versions/pbx"));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_helper_folder_is_the_users_only()
    {
        using var home = new ScratchHome();
        var result = home.Run(RemoteScript.HelperFolder());
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(home.File(".portsip-infra")));
    }

    [Fact]
    public void Every_script_file_is_embedded_and_keeps_set_eu()
    {
        var folder = Path.Combine(StackFile.RepositoryRoot, "infra", "Scripts", "remote");
        var files = Directory.GetFiles(folder, "*.sh").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, RemoteFiles.Embedded());
        foreach (var file in files)
        {
            var text = RemoteFiles.Text(file);
            Assert.Equal(File.ReadAllText(Path.Combine(folder, file)).ReplaceLineEndings("\n"), text);
            // The server-side probe collects facts and must go on past a failing command (its header says so); the owner
            // check is put in front of every command and leaves the shell's options to the command after it.
            Assert.Contains(file switch { "preflight-probe.sh" => "\nset -u\n", "owner-check.sh" => "\n: \"${site_id:?}\" \"${site_stack:?}\"\n", _ => "\nset -eu\n" }, text);
        }
    }

    [Fact]
    public void The_header_quotes_every_value_and_nothing_else()
    {
        Assert.Equal("a='x'\nb='it'\"'\"'s $(id)'\nc=''\n", Shell.Header(("a", "x"), ("b", "it's $(id)"), ("c", "")));
        Assert.Throws<ArgumentException>(() => Shell.Header(("A", "x")));
        Assert.Throws<ArgumentException>(() => Shell.Header(("a;b", "x")));
        Assert.Throws<ArgumentException>(() => Shell.Header(("", "x")));
        var values = ScriptText.Parse(Shell.Header(("x", "a'b\nc'"), ("y", "'")) + "body\n");
        Assert.Equal(("a'b\nc'", "'", "body\n"), (values["x"], values["y"], values.Body));
    }
}
