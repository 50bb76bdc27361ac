using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// Each mistake an operator can make in the stack config ends the run before any resource is declared (so no
/// remote command can run), with a message that names the config key and the offending value.
/// </summary>
public class BadInputTests
{
    private static async Task<string> Rejected(Dictionary<string, string> config)
    {
        var (message, declared) = await PulumiRun.Failure(config);
        Assert.Equal(0, declared);
        Assert.Contains("nothing was deployed", message);
        Assert.DoesNotContain("   at ", message); // no stack trace
        return message;
    }

    [Fact]
    public async Task A_malformed_IPv4_address_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("queueServers", """[{"name":"queue-server-1","privateIp":"192.168.1.300"}]"""));
        Assert.Contains("portsip-infra:queueServers[0].privateIp: '192.168.1.300' is not an IPv4 address", message);
    }

    [Fact]
    public async Task A_malformed_pbx01_address_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("pbx01", "192.168.1"));
        Assert.Contains("portsip-infra:pbx01: '192.168.1' is not an IPv4 address", message);
    }

    [Fact]
    public async Task Two_servers_with_the_same_name_are_refused()
    {
        var message = await Rejected(Sites.ProdWith("ivrServers", """[{"name":"queue-server-1","privateIp":"192.168.1.24"}]"""));
        Assert.Contains("portsip-infra:ivrServers[0].name: 'queue-server-1' is already used by queueServers[0]", message);
    }

    [Fact]
    public async Task Two_servers_with_the_same_IP_are_refused()
    {
        var message = await Rejected(Sites.ProdWith("mediaServers",
            """[{"name":"media-server-1","privateIp":"192.168.1.21","publicIp":"104.101.137.60"},{"name":"media-server-2","privateIp":"192.168.1.21","publicIp":"104.101.137.61"}]"""));
        Assert.Contains("portsip-infra:mediaServers[1].privateIp: '192.168.1.21' is already used by media-server-1 (mediaServers[0].privateIp)", message);
    }

    [Fact]
    public async Task One_IP_in_two_roles_is_refused()
    {
        // The IM service on the queue server's host: one role per server.
        var message = await Rejected(Sites.ProdWith("im", """{"privateIp":"192.168.1.22","publicIp":"104.18.36.110"}"""));
        Assert.Contains("portsip-infra:im.privateIp: '192.168.1.22' is already used by queue-server-1 (queueServers[0].privateIp)", message);
    }

    [Fact]
    public async Task A_server_on_the_virtual_IP_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("meetingServers", """[{"name":"meeting-server-1","privateIp":"192.168.1.130"}]"""));
        Assert.Contains("portsip-infra:meetingServers[0].privateIp: '192.168.1.130' is already used by the PBX virtual IP (virtualIp)", message);
    }

    [Fact]
    public async Task A_server_on_pbx01s_address_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("dataFlow", """{"privateIp":"192.168.1.131","dataPath":"/var/lib/portsip"}"""));
        Assert.Contains("portsip-infra:dataFlow.privateIp: '192.168.1.131' is already used by pbx01 (pbx01)", message);
    }

    [Fact]
    public async Task The_virtual_IP_must_differ_from_pbx01()
    {
        var message = await Rejected(Sites.ProdWith("virtualIp", "192.168.1.131"));
        Assert.Contains("portsip-infra:virtualIp: '192.168.1.131' is pbx01's own address", message);
    }

    [Theory]
    [InlineData("media server 1")]
    [InlineData("x;rm -rf /")]
    [InlineData("$(reboot)")]
    [InlineData("-n")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 65 characters
    public async Task A_name_the_portal_or_a_shell_would_not_take_is_refused(string name)
    {
        var message = await Rejected(Sites.ProdWith("queueServers",
            $$"""[{"name":{{System.Text.Json.JsonSerializer.Serialize(name)}},"privateIp":"192.168.1.22"}]"""));
        Assert.Contains($"portsip-infra:queueServers[0].name: '{name}' is not a valid server name (1-64 characters", message);
    }

    [Fact]
    public async Task A_64_character_name_is_accepted()
    {
        var name = new string('a', 64);
        var run = await PulumiRun.Stack(Sites.ProdWith("queueServers", $$"""[{"name":"{{name}}","privateIp":"192.168.1.22"}]"""));
        Assert.Contains(run.Declared, r => r.Name == name);
    }

    [Theory]
    [InlineData(0, "0 is not a positive number of call sessions")]
    [InlineData(5001, "5001 is above the guide's recommended 5,000 call sessions per media server")]
    public async Task Media_max_sessions_outside_1_to_5000_are_refused(int sessions, string expected)
    {
        var message = await Rejected(Sites.ProdWith("mediaServers",
            $$"""[{"name":"media-server-1","privateIp":"192.168.1.21","publicIp":"104.101.137.60","maxSessions":{{sessions}}}]"""));
        Assert.Contains($"portsip-infra:mediaServers[0].maxSessions: {expected}", message);
    }

    [Fact]
    public async Task More_than_5000_sessions_are_accepted_when_the_operator_says_so()
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("mediaServers",
            """[{"name":"media-server-1","privateIp":"192.168.1.21","publicIp":"104.101.137.60","maxSessions":8000,"exceedRecommendedMaxSessions":true}]"""));
        Assert.Contains(run.Declared, r => r.Name == "media-server-1");
    }

    [Fact]
    public async Task The_IM_service_needs_its_public_IP()
    {
        var message = await Rejected(Sites.ProdWith("im", """{"privateIp":"192.168.1.25"}"""));
        Assert.Contains("portsip-infra:im.publicIp: is missing: im.sh run needs the IM server's static public IP (-A)", message);
    }

    [Fact]
    public async Task An_internet_facing_media_server_needs_its_public_IP()
    {
        var message = await Rejected(Sites.ProdWith("mediaServers", """[{"name":"media-server-1","privateIp":"192.168.1.21"}]"""));
        Assert.Contains("portsip-infra:mediaServers[0].publicIp: is missing: a media server that serves Internet users needs its static public IP", message);
    }

    [Fact]
    public async Task A_LAN_only_media_server_needs_no_public_IP()
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("mediaServers",
            """[{"name":"media-server-1","privateIp":"192.168.1.21","internetFacing":false}]"""));
        Assert.Contains(run.Declared, r => r.Name == "media-server-1");
    }

    [Fact]
    public async Task The_SBC_cluster_needs_an_image()
    {
        var message = await Rejected(Sites.ProdWith("sbc", """{"servers":[{"privateIp":"192.168.1.11","publicIp":"72.247.113.11"}]}"""));
        Assert.Contains("portsip-infra:sbc.image: is missing: sbc.sh needs the SBC image to deploy, such as portsip/sbc:11", message);
    }

    [Fact]
    public async Task The_Data_Flow_service_needs_its_data_path()
    {
        var message = await Rejected(Sites.ProdWith("dataFlow", """{"privateIp":"192.168.1.26"}"""));
        Assert.Contains("portsip-infra:dataFlow.dataPath: is missing: dataflow.sh run needs the path for Data Flow and ClickHouse data (-p)", message);
    }

    [Fact]
    public async Task A_number_given_as_text_is_a_wrong_type()
    {
        var message = await Rejected(Sites.ProdWith("mediaServers",
            """[{"name":"media-server-1","privateIp":"192.168.1.21","publicIp":"104.101.137.60","maxSessions":"lots"}]"""));
        Assert.Contains("portsip-infra:mediaServers[0].maxSessions: 'lots' is not a whole number; give a number of call sessions from 1 to 5,000", message);
        Assert.DoesNotContain("media-server-1", message); // the one bad value, not the key's whole JSON
    }

    [Fact]
    public async Task A_list_given_as_a_single_value_is_a_wrong_type()
    {
        var message = await Rejected(Sites.ProdWith("queueServers", """{"name":"queue-server-1","privateIp":"192.168.1.22"}"""));
        Assert.Contains("portsip-infra:queueServers: {\"name\":\"queue-server-1\",\"privateIp\":\"192.168.1.22\"} is not a list; expected a list of queue servers", message);
    }

    [Fact]
    public async Task A_misspelt_field_is_reported_not_ignored()
    {
        var message = await Rejected(Sites.ProdWith("queueServers", """[{"name":"queue-server-1","privateIP":"192.168.1.22"}]"""));
        Assert.Contains("portsip-infra:queueServers[0].privateIP: is not a field of a queue server (value '192.168.1.22'); the fields are name, privateIp, hostKey, renamedFrom, state, restart, drainTimeoutSeconds; did you mean privateIp?", message);
    }

    [Fact]
    public async Task A_plain_key_of_the_wrong_type_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("sshPort", "twenty-two"));
        Assert.Contains("portsip-infra:sshPort: 'twenty-two' is not a whole number; give a TCP port from 1 to 65535", message);
    }

    [Fact]
    public async Task Every_problem_is_listed_at_once()
    {
        var config = Sites.ProdWith("pbx01", "pbx01.example");
        config[Sites.P + "sbc"] = """{"servers":[{"privateIp":"192.168.1.11"}]}""";
        var message = await Rejected(config);
        Assert.Contains("has 2 problems", message);
        Assert.Contains("portsip-infra:pbx01: 'pbx01.example'", message);
        Assert.Contains("portsip-infra:sbc.image: is missing", message);
    }

    [Fact]
    public async Task A_shell_metacharacter_in_a_path_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("im", """{"privateIp":"192.168.1.25","publicIp":"104.18.36.110","storagePath":"/data/im; reboot"}"""));
        Assert.Contains("portsip-infra:im.storagePath: '/data/im; reboot' is not an absolute path", message);
    }

    [Fact]
    public async Task A_malformed_image_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("pbxImage", "portsip/pbx:22 && reboot"));
        Assert.Contains("portsip-infra:pbxImage: 'portsip/pbx:22 && reboot' is not a Docker image", message);
    }

    [Fact]
    public async Task An_unknown_preflight_check_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("preflightWarnOnly", """["disk","ram"]"""));
        Assert.Contains("portsip-infra:preflightWarnOnly[1]: 'ram' is not a preflight check; the checks are os, disk, postgresql, clock, static-ip, dns-dhcp, sudo", message);
    }

    [Fact]
    public async Task A_malformed_API_address_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("portalApiUrl", "127.0.0.1:8887/api"));
        Assert.Contains("portsip-infra:portalApiUrl: '127.0.0.1:8887/api' is not an http(s) URL", message);
    }

    [Fact]
    public async Task A_malformed_host_key_of_a_server_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("queueServers", """[{"name":"queue-server-1","privateIp":"192.168.1.22","hostKey":"AAAAC3Nz"}]"""));
        Assert.Contains("portsip-infra:queueServers[0].hostKey: 'AAAAC3Nz' is not an OpenSSH public key line", message);
        Assert.Contains("it must be the key type (ssh-ed25519, ", message);
    }

    [Fact]
    public async Task A_negative_token_rotation_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("im", """{"privateIp":"192.168.1.25","publicIp":"104.18.36.110","tokenRotation":-1}"""));
        Assert.Contains("portsip-infra:im.tokenRotation: -1 is not a count of token rotations, 0 or more", message);
    }

    [Fact]
    public async Task Up_without_an_SSH_key_or_agent_says_which_secret_to_set()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SSH_AUTH_SOCK")))
        {
            return; // an agent is a valid way to log in; covered by the preview test below otherwise
        }
        var config = Sites.Prod();
        config.Remove(Sites.P + "sshPrivateKey");
        var (message, declared) = await PulumiRun.Failure(config, isPreview: false);
        Assert.Equal(0, declared);
        Assert.Contains("Secrets missing for this site:\n  - portsip-infra:sshPrivateKey: nothing can log in to pbx01", message);
        Assert.Contains("cat ~/.ssh/id_ed25519 | pulumi config set --secret sshPrivateKey", message);
        Assert.Contains("Nothing was deployed.", message);
    }

    [Fact]
    public async Task Up_without_the_portal_password_or_the_Data_Flow_token_names_both()
    {
        var config = Sites.Prod();
        config.Remove(Sites.P + "portalPassword");
        config.Remove(Sites.P + "dataFlowToken");
        var (message, declared) = await PulumiRun.Failure(config, isPreview: false);
        Assert.Equal(0, declared);
        Assert.Contains("  - portsip-infra:portalPassword: the Web Portal steps log in to the PortSIP REST API as 'admin' (portalUser). Set it with: pulumi config set --secret portalPassword", message);
        Assert.Contains("  - portsip-infra:dataFlowToken: dataflow.sh needs the token made in the Web Portal", message);
        Assert.DoesNotContain("sshPrivateKey", message);
    }

    [Fact]
    public async Task Up_without_the_server_password_stops_before_anything_and_says_how_to_set_it()
    {
        var (message, declared) = await PulumiRun.Failure(Sites.ProdWithout("serverPassword"), isPreview: false);
        Assert.Equal(0, declared);
        Assert.Contains("Secrets missing for this site:\n  - portsip-infra:serverPassword: pbx01 authorizes its key on the site's 9 server(s) with the password of 'pbx' there", message);
        Assert.Contains("Set it with: pulumi config set --secret serverPassword (it prompts for the value)", message);
        Assert.Contains("Nothing was deployed.", message);
        Assert.DoesNotContain("portalPassword", message);
    }

    [Fact]
    public async Task A_preview_without_the_server_password_warns_and_shows_the_plan()
    {
        var config = Sites.ProdWithout("serverPassword");
        var run = await PulumiRun.Stack(config, isPreview: true);
        Assert.Contains(run.Declared, r => r.Name == "media-server-1-trust");
    }

    [Fact]
    public async Task A_site_with_no_server_to_trust_needs_no_server_password()
    {
        var config = Sites.Minimal();
        config.Remove(Sites.P + "serverPassword");
        var run = await PulumiRun.Stack(config, isPreview: false);
        Assert.DoesNotContain(run.Commands, c => c.Name.EndsWith("-trust"));
    }

    [Fact]
    public async Task A_preview_without_an_SSH_key_still_shows_the_plan()
    {
        var config = Sites.Prod();
        config.Remove(Sites.P + "sshPrivateKey");
        var run = await PulumiRun.Stack(config, isPreview: true);
        Assert.Contains(run.Declared, r => r.Name == "media-server-1-install");
    }
}
