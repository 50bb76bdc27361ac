using System.Text.Json;
using Pulumi;
using Pulumi.Testing;
using Pulumi.Utilities;
using PortsipInfra.Components;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// The guides' Web Portal steps, done through the REST API helper on pbx01, in the guides' order: register,
/// install, wait until Online; whitelist before the IM and Data Flow installs; a role's built-in server disabled
/// once its extended servers are Online.
/// </summary>
public class WebPortalStepsTests
{
    private static Task<IReadOnlyDictionary<string, DeclaredOptions>> Prod() => OptionsRecorder.Record(Sites.Prod());

    private static bool After(IReadOnlyDictionary<string, DeclaredOptions> options, string name, string first) =>
        options[name].DependsOn.Any(d => d == first || After(options, d, first));

    [Theory]
    [InlineData("media")]
    [InlineData("queue")]
    [InlineData("meeting")]
    [InlineData("ivr")]
    public async Task Each_server_is_registered_then_installed_then_awaited_until_online(string role)
    {
        var options = await Prod();
        var server = $"{role}-server-1";
        Assert.True(After(options, $"{server}-install", $"{server}-register"));
        Assert.True(After(options, $"{server}-online", $"{server}-install"));
        Assert.True(After(options, $"{server}-register", "web-portal-helper"));
        Assert.True(After(options, $"{role}-default-server", $"{server}-online"), "the built-in server stays until its replacement is Online");
        Assert.False(After(options, $"{server}-register", $"{role}-default-server"));
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
        Assert.Equal(33, portalSteps.Count); // 4 state steps (drain before a stop, enable after a start), 9 claims (4 servers, IM, 3 SBC, Data Flow), 4 default servers, 4 registrations, 4 installs (their status), 4 waits, 2 whitelists, 2 tokens
        foreach (var step in portalSteps)
        {
            var stdin = JsonDocument.Parse(step.Input("stdin")!).RootElement;
            Assert.Equal(["api_url", "username", "password"], stdin.EnumerateObject().Select(p => p.Name));
            Assert.Equal("https://192.168.1.130:8887/api", stdin.GetProperty("api_url").GetString()); // the virtual IP
            Assert.Equal("admin", stdin.GetProperty("username").GetString());
            Assert.Equal(PulumiRun.FakePortalPassword, stdin.GetProperty("password").GetString());
            Assert.True(options[step.Name].StdinIsSecret, step.Name);
        }
    }

    [Fact]
    public async Task The_site_chooses_the_API_address_the_pinned_certificate_and_the_admin_user()
    {
        var config = Sites.ProdWith("portalApiUrl", "https://pbx.example.net:8887/api");
        config[Sites.P + "portalCertificateSha256"] = string.Join(':', Enumerable.Repeat("AB", 32));
        config[Sites.P + "portalUser"] = "sysadmin";
        var run = await PulumiRun.Stack(config);
        var stdin = JsonDocument.Parse(run.Named("media-server-1-register").Input("stdin")!).RootElement;
        Assert.Equal("https://pbx.example.net:8887/api", stdin.GetProperty("api_url").GetString());
        Assert.Equal(string.Concat(Enumerable.Repeat("ab", 32)), stdin.GetProperty("certificate_sha256").GetString());
        Assert.Equal("sysadmin", stdin.GetProperty("username").GetString());
    }

    [Fact]
    public async Task A_media_server_is_registered_with_its_public_IP_and_max_sessions()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        Assert.Equal("""python3 "$HOME/.portsip-infra/portsip_api.py" register --kind media --name media-server-1 --private-ip 192.168.1.21 --public-ip 104.101.137.60 --max-sessions 5000 --enabled true""",
            run.Named("media-server-1-register").Input("create"));
        Assert.Equal("""python3 "$HOME/.portsip-infra/portsip_api.py" unregister --kind media --name media-server-1 --private-ip 192.168.1.21""",
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

    private static readonly string[] DefaultServerSteps = ["ivr-default-server", "media-default-server", "meeting-default-server", "queue-default-server"];

    private static string[] DefaultServerStepsOf(RunResult run) =>
        [.. run.Commands.Select(c => c.Name).Where(n => DefaultServerSteps.Contains(n)).Order()];

    [Theory]
    [InlineData("media")]
    [InlineData("queue")]
    [InlineData("meeting")]
    [InlineData("ivr")]
    public async Task A_roles_built_in_server_is_disabled_after_its_servers_are_online_and_enabled_again_when_the_step_goes(string role)
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        var step = run.Named($"{role}-default-server");
        Assert.Equal($"python3 \"$HOME/.portsip-infra/portsip_api.py\" set-defaults-enabled --kind {role} --enabled false", step.Input("create"));
        Assert.Equal($"python3 \"$HOME/.portsip-infra/portsip_api.py\" set-defaults-enabled --kind {role} --enabled true", step.Input("delete"));
        var options = (await Prod())[$"{role}-default-server"];
        // Removed resources are deleted in reverse dependency order: this one (built-in enabled) before the servers it waits for.
        Assert.Equal(new[] { "pbx-ha-upgrade", $"{role}-server-1-online", "web-portal-helper" }.Order(), options.DependsOn);
        Assert.True(options.DeleteBeforeReplace);
        Assert.True(options.StdinIsSecret);
    }

    [Fact]
    public async Task The_lab_site_keeps_the_built_in_Meeting_and_IVR_servers()
    {
        var run = await PulumiRun.Stack(StackFile.Load("dev").WithSecrets());
        Assert.Equal(["media-default-server", "queue-default-server"], DefaultServerStepsOf(run));
    }

    [Fact]
    public async Task A_site_with_only_IM_keeps_every_built_in_server()
    {
        var run = await PulumiRun.Stack(Sites.MinimalWith("im", """{"privateIp":"192.168.1.25","publicIp":"104.18.36.110"}"""));
        Assert.Empty(DefaultServerStepsOf(run));
        Assert.Contains(run.Commands, c => c.Name == "im-whitelist");
    }

    [Fact]
    public async Task A_site_with_no_portal_step_needs_no_portal_password()
    {
        var config = Sites.Minimal();
        config.Remove(Sites.P + "portalPassword");
        var run = await PulumiRun.Stack(config);
        Assert.Empty(DefaultServerStepsOf(run));
    }

    [Fact]
    public async Task A_second_server_of_a_role_is_waited_for_and_changes_nothing_in_the_roles_step()
    {
        var two = Sites.ProdWith("mediaServers",
            """[{"name":"media-server-1","privateIp":"192.168.1.21","publicIp":"104.101.137.60","maxSessions":5000},{"name":"media-server-2","privateIp":"192.168.1.31","internetFacing":false}]""");
        var one = await PulumiRun.Stack(Sites.Prod());
        var both = await PulumiRun.Stack(two);

        // Same inputs: adding (or removing) a server of a role that keeps servers is no step for its built-in server.
        Assert.Equal(one.Named("media-default-server").InputsText(), both.Named("media-default-server").InputsText());
        Assert.Equal(["media-server-1-online", "media-server-2-online", "pbx-ha-upgrade", "web-portal-helper"],
            (await OptionsRecorder.Record(two))["media-default-server"].DependsOn);
    }

    [Fact]
    public async Task The_roles_step_depends_by_input_on_each_servers_registration_and_install()
    {
        // Through this input dependency, replacing a server (new IP, old one removed first) deletes the role's step
        // first: the built-in server is enabled while the role's server is swapped.
        Resource[] dependencies = [];
        object? value = null;
        await PulumiRun.WithConfig(Sites.Prod(), () => Deployment.TestAsync(PulumiRun.Mocks(),
            new TestOptions { ProjectName = PulumiRun.Project, IsPreview = true }, async () =>
            {
                var config = new Config();
                var site = SiteValidator.Validate(StackConfigReader.Read(config, PulumiRun.Project)).Topology!;
                var component = new Site("site", site, SiteSecrets.Read(config, site, PulumiRun.Project, isPreview: true));
                var media = component.ExtendedServers.Where((_, i) => site.ExtendedServers[i].Role == ServerRole.Media).ToList();
                var triggers = DefaultServer.ReplacedWith(ServerRole.Media, media).ToOutput();
                dependencies = [.. await OutputUtilities.GetDependenciesAsync(triggers)];
                value = Assert.Single(await OutputUtilities.GetValueAsync(triggers));
            }));

        Assert.Equal("media", value);
        Assert.Equal(["media-server-1-install", "media-server-1-register"], dependencies.Select(r => r.GetResourceName()).Order());
    }

    [Fact]
    public async Task A_site_that_keeps_its_default_servers_declares_no_such_step()
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("disableDefaultServers", "false"));
        Assert.Empty(DefaultServerStepsOf(run));
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
