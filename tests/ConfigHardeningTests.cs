using System.Text.Json.Nodes;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// The config mistakes of issue #9, through the whole program under the mocked engine: each is listed with its
/// full key path and the offending value, all at once, without a stack trace, and before any resource exists
/// (the mocks saw no NewResourceAsync call). The right configs it used to refuse now run.
/// </summary>
public class ConfigHardeningTests
{
    private static async Task<string> Rejected(Dictionary<string, string> config)
    {
        var (message, declared) = await PulumiRun.Failure(config);
        Assert.Equal(0, declared);
        Assert.Contains("nothing was deployed", message);
        Assert.DoesNotContain("   at ", message);
        Assert.DoesNotContain("Exception", message);
        return message;
    }

    /// <summary>The prod site with one field of a structured key replaced (path like "mediaServers[0].name").</summary>
    private static Dictionary<string, string> ProdWithField(string key, string field, string value, int? index = null)
    {
        var config = Sites.Prod();
        var root = JsonNode.Parse(config.GetValueOrDefault(Sites.P + key, index is null ? "{}" : "[{}]"))!;
        var target = index is { } i ? root[i]! : root;
        target[field] = value;
        config[Sites.P + key] = root.ToJsonString();
        return config;
    }

    [Theory]
    [InlineData("opt/portsip-pbx-ha-guide")]
    [InlineData("/opt/$(reboot)")]
    [InlineData("/opt/../etc")]
    public async Task An_invalid_guide_folder_is_listed_not_a_crash(string folder)
    {
        var config = Sites.ProdWith("guideFolder", folder);
        config[Sites.P + "pbx01"] = "192.168.1.300"; // and a second problem, listed with it
        var message = await Rejected(config);
        Assert.Contains($"portsip-infra:guideFolder: '{folder}' is not an absolute path", message);
        Assert.Contains("portsip-infra:pbx01: '192.168.1.300'", message);
    }

    public static TheoryData<string, int?, string, string> StructuredTextFields => new()
    {
        { "mediaServers", 0, "name", "media-server-1" },
        { "mediaServers", 0, "privateIp", "192.168.1.21" },
        { "mediaServers", 0, "publicIp", "104.101.137.60" },
        { "mediaServers", 0, "hostKey", Keys.Ed25519 },
        { "queueServers", 0, "name", "queue-server-1" },
        { "queueServers", 0, "privateIp", "192.168.1.22" },
        { "meetingServers", 0, "hostKey", Keys.Ed25519 },
        { "ivrServers", 0, "name", "ivr-server-1" },
        { "im", null, "privateIp", "192.168.1.25" },
        { "im", null, "publicIp", "104.18.36.110" },
        { "im", null, "storagePath", "/data/im" },
        { "im", null, "hostKey", Keys.Ed25519 },
        { "sbc", null, "image", "portsip/sbc:11" },
        { "dataFlow", null, "privateIp", "192.168.1.26" },
        { "dataFlow", null, "publicIp", "104.18.36.126" },
        { "dataFlow", null, "dataPath", "/var/lib/portsip" },
        { "dataFlow", null, "clickhouseImage", "portsip/clickhouse:26.3" },
        { "dataFlow", null, "pbxImage", "portsip/pbx:22" },
        { "dataFlow", null, "hostKey", Keys.Ed25519 },
    };

    [Theory]
    [MemberData(nameof(StructuredTextFields))]
    public async Task A_structured_value_ending_in_a_line_break_is_refused(string key, int? index, string field, string good)
    {
        Assert.NotNull((await PulumiRun.Stack(ProdWithField(key, field, good, index))).Stack);
        var message = await Rejected(ProdWithField(key, field, good + "\n", index));
        var path = $"portsip-infra:{key}{(index is null ? "" : $"[{index}]")}.{field}";
        Assert.Contains($"{path}: '{good}\\n' has spaces or a line break at its start or end", message);
    }

    [Theory]
    [InlineData("name", "sbc1")]
    [InlineData("privateIp", "192.168.1.11")]
    [InlineData("publicIp", "72.247.113.11")]
    [InlineData("hostKey", Keys.Ed25519)]
    public async Task An_SBC_server_value_ending_in_a_line_break_is_refused(string field, string good)
    {
        var config = Sites.Prod();
        var sbc = JsonNode.Parse(config[Sites.P + "sbc"])!;
        sbc["servers"]![0]![field] = good + "\n";
        config[Sites.P + "sbc"] = sbc.ToJsonString();
        var message = await Rejected(config);
        Assert.Contains($"portsip-infra:sbc.servers[0].{field}: '{good}\\n' has spaces or a line break", message);
    }

    [Theory]
    [InlineData("pbx01", "192.168.1.131")]
    [InlineData("pbxImage", "portsip/pbx:22")]
    [InlineData("guideFolder", "/opt/portsip-pbx-ha-guide")]
    [InlineData("sshUser", "pbx")]
    [InlineData("bastionHost", "bastion.example.com")]
    [InlineData("portalApiUrl", "https://127.0.0.1:8887/api")]
    public async Task A_plain_value_ending_in_a_line_break_is_refused(string key, string good)
    {
        var message = await Rejected(Sites.ProdWith(key, good + "\n"));
        Assert.Contains($"portsip-infra:{key}: '{good}\\n' has spaces or a line break", message);
    }

    [Fact]
    public async Task A_preflight_check_name_ending_in_a_line_break_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("preflightWarnOnly", """["clock\n"]"""));
        Assert.Contains("portsip-infra:preflightWarnOnly[0]: 'clock\\n' has spaces or a line break", message);
    }

    [Theory]
    [InlineData("mediaservers", "[]", "did you mean mediaServers?")]
    [InlineData("sshport", "2222", "did you mean sshPort?")]
    [InlineData("pbxImge", "portsip/pbx:22.1", "did you mean pbxImage?")]
    [InlineData("recordingServers", "[]", "the server lists are mediaServers, queueServers, meetingServers, ivrServers")]
    [InlineData("colour", "blue", "the keys are listed in Pulumi.yaml and README.md")]
    public async Task An_unknown_key_of_the_project_is_refused_with_the_closest_known_one(string key, string value, string hint)
    {
        var message = await Rejected(Sites.ProdWith(key, value));
        Assert.Contains($"portsip-infra:{key}: is not a key of this program (value '{value}'), so it would be ignored; {hint}", message);
    }

    [Fact]
    public async Task Keys_of_other_namespaces_and_the_config_form_are_not_unknown()
    {
        var config = Sites.Prod();
        config["tls:proxy"] = "{}";
        config["portsip-infra:config:onlineTimeoutSeconds"] = "600";
        var run = await PulumiRun.Stack(config);
        Assert.Contains(run.Declared, r => r.Name == "media-server-1-install");
    }

    [Fact]
    public async Task The_value_of_an_unknown_secret_key_is_not_shown()
    {
        var config = Sites.ProdWith("portalPasword", "FAKE-TYPO-SECRET-77");
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", """["portsip-infra:portalPasword"]""");
        try
        {
            var message = await Rejected(config);
            Assert.Contains("portsip-infra:portalPasword: is not a key of this program (value (a secret)), so it would be ignored; did you mean portalPassword?", message);
            Assert.DoesNotContain("FAKE-TYPO-SECRET-77", message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", null);
        }
    }

    [Theory]
    [InlineData("bastionPort", "2222", "2222")]
    [InlineData("bastionUser", "jump", "'jump'")]
    [InlineData("bastionHostKey", Keys.Ed25519, "'" + Keys.Ed25519 + "'")]
    public async Task A_bastion_setting_without_bastionHost_is_refused_by_name(string key, string value, string shown)
    {
        var message = await Rejected(Sites.ProdWith(key, value));
        Assert.Contains($"portsip-infra:{key}: {shown} is set but bastionHost is not, so it would be ignored; set bastionHost or remove {key}", message);
    }

    [Fact]
    public async Task The_default_bastionPort_without_a_bastion_is_fine()
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("bastionPort", "22"));
        Assert.Contains(run.Declared, r => r.Name == "media-server-1-install");
    }

    [Theory]
    [InlineData("pbxImage", "portsip/pbx:22")]
    [InlineData("guideFolder", "/opt/portsip-pbx-ha-guide")]
    [InlineData("sshUser", "pbx")]
    [InlineData("portalUser", "admin")]
    public async Task An_empty_value_is_refused_not_taken_for_the_default(string key, string fallback)
    {
        var message = await Rejected(Sites.ProdWith(key, ""));
        Assert.Contains($"portsip-infra:{key}: is empty; give a value, or remove the key to use the default '{fallback}'", message);
    }

    [Fact]
    public async Task A_read_error_in_one_entry_keeps_the_lists_other_problems()
    {
        var message = await Rejected(Sites.ProdWith("mediaServers", """
            [{"name":"media-server-1","privateIp":"192.168.1.21","publicIp":"104.101.137.60","maxSessions":"lots"},
             {"name":"media-server-2","privateIp":"192.168.1.21","publicIp":"104.101.137.61","recordsCalls":"often"},
             [1, 2],
             null]
            """));
        Assert.Contains("has 5 problems", message);
        Assert.Contains("portsip-infra:mediaServers[0].maxSessions: 'lots' is not a whole number", message);
        Assert.Contains("portsip-infra:mediaServers[1].recordsCalls: 'often' is not true or false", message);
        Assert.Contains("portsip-infra:mediaServers[1].privateIp: '192.168.1.21' is already used by media-server-1", message);
        Assert.Contains("portsip-infra:mediaServers[2]: [1, 2] is not a media server: an object with name, privateIp, publicIp,", message);
        Assert.Contains("portsip-infra:mediaServers[3]: is empty; expected a media server", message);
    }

    [Fact]
    public async Task The_PBX_public_IP_cannot_be_pbx01()
    {
        var config = Sites.ProdWith("pbx01", "104.18.36.119");
        var message = await Rejected(config);
        Assert.Contains("portsip-infra:publicIp: '104.18.36.119' is pbx01's own address", message);
    }

    [Theory]
    [InlineData("mediaServers", "[{\"name\":\"media-server-1\",\"privateIp\":\"192.168.1.21\",\"publicIp\":\"IP\"}]", "mediaServers[0].publicIp")]
    [InlineData("im", "{\"privateIp\":\"192.168.1.25\",\"publicIp\":\"IP\"}", "im.publicIp")]
    [InlineData("sbc", "{\"image\":\"portsip/sbc:11\",\"servers\":[{\"privateIp\":\"192.168.1.11\",\"publicIp\":\"IP\"}]}", "sbc.servers[0].publicIp")]
    [InlineData("dataFlow", "{\"privateIp\":\"192.168.1.26\",\"publicIp\":\"IP\",\"dataPath\":\"/var/lib/portsip\"}", "dataFlow.publicIp")]
    [InlineData("publicIp", "IP", "publicIp")]
    public async Task A_public_IP_in_a_private_range_is_refused(string key, string template, string path)
    {
        foreach (var (ip, range) in new[] { ("10.1.2.3", "10.0.0.0/8"), ("172.20.0.9", "172.16.0.0/12"), ("192.168.7.7", "192.168.0.0/16"), ("100.100.0.1", "100.64.0.0/10, carrier-grade NAT") })
        {
            var message = await Rejected(Sites.ProdWith(key, template.Replace("IP", ip)));
            Assert.Contains($"portsip-infra:{path}: '{ip}' is a private address ({range}", message);
        }
        foreach (var (ip, what) in new[] { ("169.254.1.1", "link-local"), ("127.0.0.2", "loopback") })
        {
            var message = await Rejected(Sites.ProdWith(key, template.Replace("IP", ip)));
            Assert.Contains($"portsip-infra:{path}: '{ip}' is a {what} address", message);
        }
    }

    [Fact]
    public async Task Two_media_servers_cannot_share_a_public_IP()
    {
        var message = await Rejected(Sites.ProdWith("mediaServers",
            """[{"name":"media-server-1","privateIp":"192.168.1.21","publicIp":"104.101.137.60"},{"name":"media-server-2","privateIp":"192.168.1.27","publicIp":"104.101.137.60"}]"""));
        Assert.Contains("portsip-infra:mediaServers[1].publicIp: '104.101.137.60' is already the public IP of mediaServers[0].publicIp", message);
    }

    [Fact]
    public async Task A_link_local_private_IP_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("queueServers", """[{"name":"queue-server-1","privateIp":"169.254.10.22"}]"""));
        Assert.Contains("portsip-infra:queueServers[0].privateIp: '169.254.10.22' is a link-local address (169.254.0.0/16", message);
    }

    [Theory]
    [InlineData(Keys.Ed25519Short, "its key is not valid base64")]
    [InlineData(Keys.Ed25519Truncated, "an Ed25519 key is 32 bytes")]
    [InlineData(Keys.Ed25519AsRsa, "the key is of type 'ssh-ed25519', not ssh-rsa")]
    public async Task A_host_key_cut_short_or_of_another_type_is_refused(string hostKey, string problem)
    {
        var message = await Rejected(Sites.ProdWith("pbx01HostKey", hostKey));
        Assert.Contains($"portsip-infra:pbx01HostKey: '{hostKey}' is not an OpenSSH public key line", message);
        Assert.Contains(problem, message);
    }

    [Fact]
    public async Task A_portal_URL_with_credentials_is_refused_without_showing_the_password()
    {
        var message = await Rejected(Sites.ProdWith("portalApiUrl", "https://admin:S3cret-77@127.0.0.1:8887/api"));
        Assert.Contains("portsip-infra:portalApiUrl: 'https://***@127.0.0.1:8887/api' has a user name and password in it", message);
        Assert.DoesNotContain("S3cret-77", message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task An_empty_server_list_left_after_deleting_the_last_server_means_none(string value)
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("meetingServers", value));
        Assert.DoesNotContain(run.Declared, r => r.Name.StartsWith("meeting-server-1"));
        Assert.Contains(run.Declared, r => r.Name == "queue-server-1-install");
    }

    [Fact]
    public async Task A_Data_Flow_service_with_only_a_public_IP_runs_with_A_alone()
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("dataFlow", """{"publicIp":"104.18.36.126","dataPath":"/var/lib/portsip"}"""));
        var install = run.Named("dataflow-install").Input("create")!;
        Assert.Contains("dataflow.sh run -p /var/lib/portsip -A 104.18.36.126 -i portsip/pbx:22", install);
        Assert.DoesNotContain(" -a ", install);
        Assert.Contains(run.Declared, r => r.Name == "dataflow-whitelist");
    }

    [Fact]
    public async Task A_Data_Flow_service_with_no_IP_at_all_is_refused()
    {
        var message = await Rejected(Sites.ProdWith("dataFlow", """{"dataPath":"/var/lib/portsip"}"""));
        Assert.Contains("portsip-infra:dataFlow.privateIp: is missing (or, without a static private IP, set publicIp alone)", message);
    }

    [Fact]
    public async Task An_image_from_a_private_registry_with_a_port_is_accepted()
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("pbxImage", "registry.corp.local:5000/portsip/pbx:22"));
        Assert.Equal("registry.corp.local:5000/portsip/pbx:22", await PulumiRun.OutputValue(run.Stack.PbxImage));
    }

    [Theory]
    [InlineData("im", "causes", "portsip-infra:im: 'causes' is not an object (YAML: one 'field: value' line per field)")]
    [InlineData("im", "[1]", "portsip-infra:im: [1] is not the IM service: an object with privateIp, publicIp, storagePath, protect, tokenRotation, hostKey, state, restart")]
    [InlineData("mediaServers", "media-server-1", "portsip-infra:mediaServers: 'media-server-1' is not a list of media servers")]
    [InlineData("onlineTimeoutSeconds", "-60", "portsip-infra:onlineTimeoutSeconds: -60 is not a number of seconds from 10 to 86400")]
    [InlineData("onlineTimeoutSeconds", "soon", "portsip-infra:onlineTimeoutSeconds: 'soon' is not a whole number; give a number of seconds from 10 to 86400")]
    [InlineData("deployKey", "yes", "portsip-infra:deployKey: 'yes' is not true or false")]
    [InlineData("sbc", """{"image":"portsip/sbc:11","servers":{"privateIp":"192.168.1.11"}}""", "portsip-infra:sbc.servers: {\"privateIp\":\"192.168.1.11\"} is not a list; expected a list of SBC servers")]
    [InlineData("dataFlow", """{"privateIp":"192.168.1.26","dataPath":"/var/lib/portsip","datapath":"/x"}""", "portsip-infra:dataFlow.datapath: is not a field of the Data Flow service (value '/x'); the fields are privateIp, publicIp, dataPath, clickhouseImage, pbxImage, tokenRotation, hostKey, state, restart; did you mean dataPath?")]
    [InlineData("queueServers", """[{"name":["q"],"privateIp":"192.168.1.22"}]""", "portsip-infra:queueServers[0].name: [\"q\"] is not text")]
    public async Task Messages_say_what_was_expected_in_an_operators_words(string key, string value, string expected)
    {
        var message = await Rejected(Sites.ProdWith(key, value));
        Assert.Contains(expected, message);
        Assert.DoesNotContain("PortsipInfra.", message);
        Assert.DoesNotContain("could not be mapped", message);
        Assert.DoesNotContain("invalid start of a value", message);
    }
}

/// <summary>SSH host keys for tests: well-formed, and broken in the ways a copy goes wrong.</summary>
public static class Keys
{
    /// <summary>A well-formed Ed25519 key line (type, then 51 bytes: "ssh-ed25519" and 32 key bytes).</summary>
    public const string Ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbx01HostKeyForTestsOnly0000000000000000000";

    /// <summary>Cut short in copying: the base64 no longer has a whole number of blocks.</summary>
    public const string Ed25519Short = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbx01HostKeyForTestsOnly000000000000000000";

    /// <summary>Cut at a base64 block boundary: decodes, but the key is shorter than it says.</summary>
    public const string Ed25519Truncated = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbx01HostKeyForTestsOnly000000000000000";

    /// <summary>An Ed25519 key pasted after the RSA type.</summary>
    public const string Ed25519AsRsa = "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIPbx01HostKeyForTestsOnly0000000000000000000";
}
