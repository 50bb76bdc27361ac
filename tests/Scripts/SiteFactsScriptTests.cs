using PortsipInfra.Tests.Support;
using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Scripts;

/// <summary>
/// site-facts.sh: the PBX's update.sh and the roles' <c>extend.sh upgrade</c> decided from what the site runs
/// (res/vars.yml's pbx_image) when pbx01's records are missing or stale, run in a scratch home with a scratch
/// guide folder whose scripts only record their calls.
/// </summary>
public class SiteFactsScriptTests
{
    public static TheoryData<string> Shells => ["/bin/sh", "/bin/bash"];

    private static PbxClusterSettings Pbx(string guide, string image, bool certificateManager = false) =>
        new("10.0.0.131", "10.0.0.130", null, guide, image, certificateManager, new SshSettings("pbx", 22, null, null));

    /// <summary>A guide folder whose update.sh and extend.sh append their arguments to ~/calls; update.sh rewrites pbx_image.</summary>
    private static string Guide(ScratchHome home, string varsImage)
    {
        home.Write("guide/res/vars.yml", $"vip: 10.0.0.130\npbx_image: {varsImage}\npbx_datapath_disk: /dev/sdb\n");
        home.Write("guide/update.sh", "echo \"update.sh $*\" >> \"$HOME/calls\"; sed -i \"s|^pbx_image:.*|pbx_image: $1|\" res/vars.yml\n");
        home.Write("guide/extend.sh", "echo \"extend.sh $*\" >> \"$HOME/calls\"\n");
        return home.File("guide");
    }

    private static string[] Calls(ScratchHome home) =>
        File.Exists(home.File("calls")) ? File.ReadAllLines(home.File("calls")) : [];

    private static void Ok(SshResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    [Theory]
    [MemberData(nameof(Shells))]
    public void With_no_record_and_vars_yml_at_the_wanted_image_update_sh_does_not_run(string shell)
    {
        using var home = new ScratchHome();
        var guide = Guide(home, "portsip/pbx:22");
        var result = home.Run(ServerScripts.PbxCluster(Pbx(guide, "portsip/pbx:22")).Update, null, shell);
        Ok(result);
        Assert.Equal("the PBX HA cluster: the site already runs portsip/pbx:22; nothing to do\n", result.Stdout);
        Assert.Empty(Calls(home));
        Assert.Equal("portsip/pbx:22\n", home.Read(".portsip-infra/versions/pbx"));
    }

    [Fact]
    public void A_stale_record_does_not_run_update_sh_when_vars_yml_says_the_wanted_image()
    {
        using var home = new ScratchHome();
        var guide = Guide(home, "'portsip/pbx:22.1'   # upgraded by hand");
        home.Write(".portsip-infra/versions/pbx", "portsip/pbx:22\n");
        var result = home.Run(ServerScripts.PbxCluster(Pbx(guide, "portsip/pbx:22.1")).Update);
        Ok(result);
        Assert.Empty(Calls(home));
        Assert.Equal("portsip/pbx:22.1\n", home.Read(".portsip-infra/versions/pbx"));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void A_new_image_runs_update_sh_once_and_keeps_the_image_it_replaced(string shell)
    {
        using var home = new ScratchHome();
        var guide = Guide(home, "portsip/pbx:22");
        var update = ServerScripts.PbxCluster(Pbx(guide, "portsip/pbx:23")).Update;
        Ok(home.Run(update, null, shell));
        Assert.Equal(["update.sh portsip/pbx:23"], Calls(home));
        Assert.Equal("portsip/pbx:22\n", home.Read(".portsip-infra/versions/pbx.before"));
        Assert.Contains("pbx_image: portsip/pbx:23\n", home.Read("guide/res/vars.yml"));
        // Run again with the records wiped (another SSH user, pbx01 rebuilt): vars.yml answers.
        Directory.Delete(home.File(".portsip-infra"), recursive: true);
        Ok(home.Run(update, null, shell));
        Assert.Single(Calls(home));
    }

    [Fact]
    public void The_Certificate_Manager_is_taken_as_it_is_on_adoption_and_turned_on_only_against_a_record()
    {
        using var home = new ScratchHome();
        var guide = Guide(home, "portsip/pbx:22");
        var withCm = ServerScripts.PbxCluster(Pbx(guide, "portsip/pbx:22", certificateManager: true)).Update;
        // No record: nothing on pbx01 tells whether the Certificate Manager is installed; the stack's setting is taken.
        Ok(home.Run(withCm));
        Assert.Empty(Calls(home));
        Assert.Equal("portsip/pbx:22 with Certificate Manager\n", home.Read(".portsip-infra/versions/pbx"));
        // Recorded without it: turning it on runs update.sh -c with the same image, as the guide says.
        home.Write(".portsip-infra/versions/pbx", "portsip/pbx:22\n");
        Ok(home.Run(withCm));
        Assert.Equal(["update.sh portsip/pbx:22 -c"], Calls(home));
    }

    [Fact]
    public void A_missing_vars_yml_or_pbx_image_never_counts_as_the_wanted_image()
    {
        using var home = new ScratchHome();
        var guide = Guide(home, "portsip/pbx:22");
        home.Write("guide/res/vars.yml", "vip: 10.0.0.130\n");
        Ok(home.Run(ServerScripts.PbxCluster(Pbx(guide, "portsip/pbx:22")).Update));
        Assert.Equal(["update.sh portsip/pbx:22"], Calls(home));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void A_role_without_a_record_is_adopted_at_the_clusters_image(string shell)
    {
        using var home = new ScratchHome();
        var guide = Guide(home, "portsip/pbx:22");
        var result = home.Run(ServerScripts.RoleUpgrade(guide, ServerRole.Media, "portsip/pbx:22").Update, null, shell);
        Ok(result);
        Assert.Equal("the Media Servers: the site already runs portsip/pbx:22; nothing to do\n", result.Stdout);
        Assert.Empty(Calls(home));
        Assert.Equal("portsip/pbx:22\n", home.Read(".portsip-infra/versions/extend-media"));
    }

    [Fact]
    public void A_role_recorded_at_another_image_is_upgraded_even_when_vars_yml_is_already_new()
    {
        using var home = new ScratchHome();
        var guide = Guide(home, "portsip/pbx:23");
        home.Write(".portsip-infra/versions/extend-queue", "portsip/pbx:22\n");
        Ok(home.Run(ServerScripts.RoleUpgrade(guide, ServerRole.Queue, "portsip/pbx:23").Update));
        Assert.Equal(["extend.sh upgrade -s queue-server-only"], Calls(home));
        Assert.Equal("portsip/pbx:23\n", home.Read(".portsip-infra/versions/extend-queue"));
    }

    [Fact]
    public void After_a_real_update_sh_a_role_without_a_record_is_upgraded()
    {
        using var home = new ScratchHome();
        var guide = Guide(home, "portsip/pbx:22");
        Ok(home.Run(ServerScripts.PbxCluster(Pbx(guide, "portsip/pbx:23")).Update));
        Ok(home.Run(ServerScripts.RoleUpgrade(guide, ServerRole.Ivr, "portsip/pbx:23").Update));
        Assert.Equal(["update.sh portsip/pbx:23", "extend.sh upgrade -s ivr-server-only"], Calls(home));
    }

    private static string Install(string portalAnswer, bool adoptOnly = false) => RemoteScript.Install(
        "Queue Server q1 (10.0.0.22)", "queue-server-only@10.0.0.22", "q1", "echo run >> \"$HOME/calls\"",
        "echo rm >> \"$HOME/calls\"", portalStatus: portalAnswer == "" ? "" : $"cat > \"$HOME/status-stdin\"; echo {portalAnswer}", adoptOnly: adoptOnly);

    [Theory]
    [MemberData(nameof(Shells))]
    public void A_server_the_portal_shows_online_under_its_name_and_ip_is_adopted_not_installed(string shell)
    {
        using var home = new ScratchHome();
        var result = home.Run(Install("online"), "{\"api_url\": \"x\"}\n", shell);
        Ok(result);
        Assert.Equal("Queue Server q1 (10.0.0.22) is ONLINE in the Web Portal under this name and IP: taken as installed, nothing run\n", result.Stdout);
        Assert.Empty(Calls(home));
        Assert.Equal("q1\n", home.Read(".portsip-infra/installed/queue-server-only@10.0.0.22"));
        Assert.Equal("{\"api_url\": \"x\"}\n", home.Read("status-stdin")); // the helper's connection reached it
    }

    [Theory]
    [InlineData("absent")]
    [InlineData("not-online")]
    [InlineData("other-ip")]
    public void A_server_the_portal_does_not_show_online_is_installed(string answer)
    {
        using var home = new ScratchHome();
        Ok(home.Run(Install(answer), "{}\n"));
        Assert.Equal(["run"], Calls(home));
    }

    [Fact]
    public void A_failing_portal_status_fails_the_step_before_the_guide_line()
    {
        using var home = new ScratchHome();
        var script = RemoteScript.Install("q1", "k", "q1", "echo run >> \"$HOME/calls\"", "echo rm >> \"$HOME/calls\"", portalStatus: "echo refused >&2; exit 1");
        var result = home.Run(script, "{}\n");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("refused", result.Stderr);
        Assert.Empty(Calls(home));
    }

    [Theory]
    [InlineData("")]
    [InlineData("absent")]
    public void An_update_of_an_install_step_never_installs(string answer)
    {
        using var home = new ScratchHome();
        var result = home.Run(Install(answer, adoptOnly: true), "{}\n");
        Ok(result);
        Assert.Empty(Calls(home));
        Assert.Contains("only the connection or the guide folder changed, so it is not installed again", result.Stderr);
        Assert.False(File.Exists(home.File(".portsip-infra/installed/queue-server-only@10.0.0.22")));
    }

    [Fact]
    public void The_extended_servers_update_adopts_only_and_its_create_asks_the_portal()
    {
        var server = new ExtendedServerSettings(ServerRole.Queue, "q1", "10.0.0.22");
        var steps = ServerScripts.ExtendedServer("/opt/g", server, adoptFromPortal: true);
        var create = ScriptText.Parse(steps.Create);
        var update = ScriptText.Parse(steps.Update);
        Assert.Equal(PortalCommands.Status(ServerRole.Queue, "q1", "10.0.0.22"), create["portal_status"]);
        Assert.Equal("", create["adopt_only"]);
        Assert.Equal("yes", update["adopt_only"]);
        Assert.Equal("", ScriptText.Parse(ServerScripts.ExtendedServer("/opt/g", server).Create)["portal_status"]);
    }

    [Fact]
    public void An_im_sbc_or_data_flow_upgrade_with_no_record_takes_the_version_as_it_is_and_with_another_record_runs()
    {
        using var home = new ScratchHome();
        var guide = Guide(home, "portsip/pbx:22");
        var im = ServerScripts.Im(guide, new ImSettings("10.0.0.25", "104.18.36.110", null, true), "portsip/pbx:22").Update;
        Ok(home.Run(im));
        Assert.Empty(Calls(home));
        Assert.Equal("portsip/pbx:22 (token rotation 0)\n", home.Read(".portsip-infra/versions/im"));
        home.Write(".portsip-infra/versions/im", "portsip/pbx:21 (token rotation 0)\n");
        home.Write("guide/im.sh", "echo \"im.sh $*\" >> \"$HOME/calls\"\n");
        Ok(home.Run(im));
        Assert.Equal(["im.sh upgrade"], Calls(home));
    }
}
