using System.Text.Json;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// The guides' Web Portal steps, done through the REST API helper on pbx01, in the guides' order: register,
/// install, wait until Online; whitelist before the IM and Data Flow installs; the default servers disabled first.
/// </summary>
public class WebPortalStepsTests
{
    private static Task<IReadOnlyDictionary<string, DeclaredOptions>> Prod() => OptionsRecorder.Record(Sites.Prod());

    private static bool After(IReadOnlyDictionary<string, DeclaredOptions> options, string name, string first) =>
        options[name].DependsOn.Any(d => d == first || After(options, d, first));

    [Theory]
    [InlineData("media-server-1")]
    [InlineData("queue-server-1")]
    [InlineData("meeting-server-1")]
    [InlineData("ivr-server-1")]
    public async Task Each_server_is_registered_then_installed_then_awaited_until_online(string server)
    {
        var options = await Prod();
        Assert.True(After(options, $"{server}-install", $"{server}-register"));
        Assert.True(After(options, $"{server}-online", $"{server}-install"));
        Assert.True(After(options, $"{server}-register", "web-portal-default-servers"), "defaults are disabled before the first server");
        Assert.True(After(options, $"{server}-register", "web-portal-helper"));
    }

    [Theory]
    [InlineData("im-install", "im-whitelist")]
    [InlineData("im-install", "im-token")]
    [InlineData("dataflow-install", "dataflow-whitelist")]
    [InlineData("im-whitelist", "web-portal-helper")]
    [InlineData("sbc-token", "web-portal-helper")]
    public async Task The_IM_and_Data_Flow_installs_wait_for_their_portal_steps(string step, string before)
    {
        Assert.True(After(await Prod(), step, before));
    }

    [Fact]
    public async Task Every_portal_step_gets_the_admin_login_on_stdin_as_a_secret()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        var options = await Prod();
        var portalSteps = run.Commands.Where(c => c.Input("create")?.Contains("portsip_api.py") == true).ToList();
        Assert.Equal(13, portalSteps.Count); // defaults, 4 registrations, 4 waits, 2 whitelists, 2 tokens
        foreach (var step in portalSteps)
        {
            var stdin = JsonDocument.Parse(step.Input("stdin")!).RootElement;
            Assert.Equal("https://127.0.0.1:8887/api", stdin.GetProperty("api_url").GetString());
            Assert.False(stdin.GetProperty("insecure_tls").GetBoolean());
            Assert.Equal("admin", stdin.GetProperty("username").GetString());
            Assert.Equal(PulumiRun.FakePortalPassword, stdin.GetProperty("password").GetString());
            Assert.True(options[step.Name].StdinIsSecret, step.Name);
        }
    }

    [Fact]
    public async Task The_site_chooses_the_API_address_its_certificate_policy_and_the_admin_user()
    {
        var config = Sites.ProdWith("portalApiUrl", "https://pbx.example.net:8887/api");
        config[Sites.P + "portalInsecureTls"] = "true";
        config[Sites.P + "portalUser"] = "sysadmin";
        var run = await PulumiRun.Stack(config);
        var stdin = JsonDocument.Parse(run.Named("media-server-1-register").Input("stdin")!).RootElement;
        Assert.Equal("https://pbx.example.net:8887/api", stdin.GetProperty("api_url").GetString());
        Assert.True(stdin.GetProperty("insecure_tls").GetBoolean());
        Assert.Equal("sysadmin", stdin.GetProperty("username").GetString());
    }

    [Fact]
    public async Task A_media_server_is_registered_with_its_public_IP_and_max_sessions()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        Assert.Equal("""python3 "$HOME/.portsip-infra/portsip_api.py" register --kind media --name media-server-1 --private-ip 192.168.1.21 --public-ip 104.101.137.60 --max-sessions 5000 --enabled true""",
            run.Named("media-server-1-register").Input("create"));
        Assert.Equal("""python3 "$HOME/.portsip-infra/portsip_api.py" unregister --kind media --name media-server-1""",
            run.Named("media-server-1-register").Input("delete"));
        Assert.Equal("""python3 "$HOME/.portsip-infra/portsip_api.py" wait-online --kind ivr --name ivr-server-1 --timeout 900 --interval 5""",
            run.Named("ivr-server-1-online").Input("create"));
    }

    [Fact]
    public async Task The_IM_token_reaches_im_sh_on_stdin_and_stays_secret()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        var options = await Prod();
        Assert.Equal("""python3 "$HOME/.portsip-infra/portsip_api.py" im-token --regenerate""", run.Named("im-token").Input("create"));
        Assert.Equal(PulumiRun.FakeToken("im-token") + "\n", run.Named("im-install").Input("stdin"));
        Assert.True(options["im-install"].StdinIsSecret);
        Assert.Contains("stdout", options["im-token"].AdditionalSecretOutputs);
        Assert.Equal("none", run.Named("im-token").Input("logging"));
    }

    [Fact]
    public async Task The_Data_Flow_token_from_the_stack_secrets_reaches_dataflow_sh_on_stdin()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        Assert.Equal(PulumiRun.FakeDataFlowToken + "\n", run.Named("dataflow-install").Input("stdin"));
        Assert.True((await Prod())["dataflow-install"].StdinIsSecret);
    }

    [Fact]
    public async Task The_SBC_token_is_a_secret_stack_output()
    {
        var stack = (await PulumiRun.Stack(Sites.Prod())).Stack;
        Assert.True(await Pulumi.Output.IsSecretAsync(stack.SbcToken));
        Assert.Equal(PulumiRun.FakeToken("sbc-token"), await PulumiRun.OutputValue(stack.SbcToken));
    }

    [Fact]
    public async Task The_IM_and_Data_Flow_IPs_are_whitelisted_and_removed_with_them()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        Assert.Equal("""python3 "$HOME/.portsip-infra/portsip_api.py" whitelist-add --ip 192.168.1.25 --description 'PortSIP IM service (portsip-infra)'""",
            run.Named("im-whitelist").Input("create"));
        Assert.Equal("""python3 "$HOME/.portsip-infra/portsip_api.py" whitelist-remove --ip 192.168.1.26""", run.Named("dataflow-whitelist").Input("delete"));
    }

    [Fact]
    public async Task The_default_servers_are_disabled_and_given_back_on_destroy()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        Assert.Equal("""python3 "$HOME/.portsip-infra/portsip_api.py" set-defaults-enabled --enabled false""", run.Named("web-portal-default-servers").Input("create"));
        Assert.Equal("""python3 "$HOME/.portsip-infra/portsip_api.py" set-defaults-enabled --enabled true""", run.Named("web-portal-default-servers").Input("delete"));
    }

    [Fact]
    public async Task A_site_that_keeps_its_default_servers_declares_no_such_step()
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("disableDefaultServers", "false"));
        Assert.DoesNotContain(run.Commands, c => c.Name == "web-portal-default-servers");
        Assert.Contains(run.Commands, c => c.Name == "media-server-1-register");
    }

    [Fact]
    public async Task The_helper_is_uploaded_to_the_SSH_users_home_on_pbx01()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        var upload = run.Named("web-portal-helper");
        Assert.Equal("/home/pbx/.portsip-infra/portsip_api.py", upload.Input("remotePath"));
        Assert.True((await Prod())["web-portal-helper"].ConnectionKeyIsSecret);
    }
}
