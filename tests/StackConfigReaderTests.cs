namespace PortsipInfra.Tests;

/// <summary>Reading the raw stack config (the project's keys and their text, as PULUMI_CONFIG holds them), without Pulumi.</summary>
public class StackConfigReaderTests
{
    private static StackConfig Read(params (string Key, string Value)[] values) =>
        StackConfigReader.Read(values.ToDictionary(v => v.Key, v => v.Value));

    private static string[] Errors(params (string Key, string Value)[] values) => [.. Read(values).ReadErrors.Select(e => e.ToString())];

    [Fact]
    public void Plain_keys_are_read_as_written()
    {
        var c = Read(("pbx01", "192.168.1.131"), ("virtualIp", "192.168.1.130"), ("publicIp", "104.18.36.119"), ("guideFolder", "/opt/g"),
            ("pbxImage", "portsip/pbx:22.4"), ("certificateManager", "true"), ("sshUser", "ops"), ("sshPort", "2222"),
            ("pbx01HostKey", Keys.Ed25519), ("bastionHost", "jump"), ("bastionPort", "2200"), ("bastionUser", "j"),
            ("bastionHostKey", "k"), ("deployKey", "True"), ("portalApiUrl", "https://x/api"), ("portalInsecureTls", "false"),
            ("portalUser", "root"), ("disableDefaultServers", "FALSE"), ("onlineTimeoutSeconds", "-60"));
        Assert.Empty(c.ReadErrors);
        Assert.Equal(new StackConfig
        {
            Pbx01 = "192.168.1.131", VirtualIp = "192.168.1.130", PublicIp = "104.18.36.119", GuideFolder = "/opt/g",
            PbxImage = "portsip/pbx:22.4", CertificateManager = true, SshUser = "ops", SshPort = 2222, Pbx01HostKey = Keys.Ed25519,
            BastionHost = "jump", BastionPort = 2200, BastionUser = "j", BastionHostKey = "k", DeployKey = true,
            PortalApiUrl = "https://x/api", PortalInsecureTls = false, PortalUser = "root", DisableDefaultServers = false,
            OnlineTimeoutSeconds = -60, ReadErrors = c.ReadErrors,
        }, c);
    }

    [Fact]
    public void Nothing_set_reads_as_nothing()
    {
        var c = Read();
        Assert.Equal(new StackConfig { ReadErrors = c.ReadErrors }, c);
        Assert.Empty(c.ReadErrors);
    }

    [Theory]
    [InlineData("sshPort", "22.0", "sshPort: '22.0' is not a whole number; give a TCP port from 1 to 65535")]
    [InlineData("bastionPort", "", "bastionPort: '' is not a whole number; give a TCP port from 1 to 65535")]
    [InlineData("onlineTimeoutSeconds", "15m", "onlineTimeoutSeconds: '15m' is not a whole number; give a number of seconds from 10 to 86400")]
    [InlineData("onlineTimeoutSeconds", "99999999999", "onlineTimeoutSeconds: '99999999999' is not a whole number; give a number of seconds from 10 to 86400")]
    [InlineData("deployKey", "yes", "deployKey: 'yes' is not true or false")]
    [InlineData("portalInsecureTls", "1", "portalInsecureTls: '1' is not true or false")]
    [InlineData("pbxImage", "", "pbxImage: is empty; give a value, or remove the key to use the default 'portsip/pbx:22'")]
    [InlineData("guideFolder", "", "guideFolder: is empty; give a value, or remove the key to use the default '/opt/portsip-pbx-ha-guide'")]
    [InlineData("pbx01", "", "pbx01: is empty")]
    [InlineData("virtualIp", "", "virtualIp: is empty")]
    [InlineData("pbx01", " 192.168.1.131", "pbx01: ' 192.168.1.131' has spaces or a line break at its start or end; remove them (a YAML block scalar `|` adds a line break at the end: use `|-` or a plain value)")]
    [InlineData("sshUser", "pbx\n", "sshUser: 'pbx\\n' has spaces or a line break at its start or end")]
    [InlineData("publicIp", "\t", "publicIp: '\\t' has spaces or a line break")]
    public void Plain_values_of_the_wrong_form_are_errors(string key, string value, string error)
    {
        var c = Read((key, value));
        Assert.StartsWith(error, Assert.Single(c.ReadErrors).ToString());
        Assert.Equal(new StackConfig { ReadErrors = c.ReadErrors }, c); // the bad value is not passed on
    }

    [Theory]
    [InlineData("publicIp")]
    [InlineData("pbx01HostKey")]
    [InlineData("bastionHost")]
    [InlineData("bastionUser")]
    [InlineData("bastionHostKey")]
    public void An_empty_optional_text_key_is_not_set(string key)
    {
        var c = Read((key, ""));
        Assert.Empty(c.ReadErrors);
        Assert.Equal(new StackConfig { ReadErrors = c.ReadErrors }, c);
    }

    [Theory]
    [InlineData("mediaServers", "")]
    [InlineData("queueServers", "  ")]
    [InlineData("meetingServers", "null")]
    [InlineData("ivrServers", "~")]
    [InlineData("im", "")]
    [InlineData("sbc", "null")]
    [InlineData("dataFlow", "~")]
    [InlineData("preflightWarnOnly", "")]
    public void An_empty_structured_key_means_none(string key, string value)
    {
        var c = Read((key, value));
        Assert.Empty(c.ReadErrors);
        Assert.Equal(new StackConfig { ReadErrors = c.ReadErrors }, c);
    }

    [Fact]
    public void Server_lists_are_read_field_by_field()
    {
        var c = Read(
            ("mediaServers", """[{"name":"m1","privateIp":"192.168.1.21","publicIp":"104.101.137.60","internetFacing":true,"maxSessions":"300","exceedRecommendedMaxSessions":"true","recordsCalls":false,"hostKey":"k"}]"""),
            ("queueServers", """[{"name":2024,"privateIp":"192.168.1.22","hostKey":null}]"""),
            ("meetingServers", """[{"name":"t","privateIp":"192.168.1.23"}]"""),
            ("ivrServers", """[{"name":"i","privateIp":"192.168.1.24","hostKey":"h"}]"""),
            ("preflightWarnOnly", """["clock",null,"disk"]"""));
        Assert.Empty(c.ReadErrors);
        Assert.Equal(new MediaServerConfig
        {
            Name = "m1", PrivateIp = "192.168.1.21", PublicIp = "104.101.137.60", InternetFacing = true, MaxSessions = 300,
            ExceedRecommendedMaxSessions = true, RecordsCalls = false, HostKey = "k",
        }, Assert.Single(c.MediaServers!));
        Assert.Equal(new ServerConfig { Name = "2024", PrivateIp = "192.168.1.22" }, Assert.Single(c.QueueServers!));
        var nulls = Read(("mediaServers", """[{"name":null,"maxSessions":null,"internetFacing":null,"recordsCalls":null}]"""));
        Assert.Empty(nulls.ReadErrors);
        Assert.Equal(new MediaServerConfig(), Assert.Single(nulls.MediaServers!));
        Assert.Equal(new ServerConfig { Name = "t", PrivateIp = "192.168.1.23" }, Assert.Single(c.MeetingServers!));
        Assert.Equal(new ServerConfig { Name = "i", PrivateIp = "192.168.1.24", HostKey = "h" }, Assert.Single(c.IvrServers!));
        Assert.Equal(new string?[] { "clock", null, "disk" }, c.PreflightWarnOnly!.AsEnumerable());
    }

    [Fact]
    public void IM_SBC_and_Data_Flow_are_read_field_by_field()
    {
        var c = Read(
            ("im", """{"privateIp":"192.168.1.25","publicIp":"104.18.36.110","storagePath":"/data/im","protect":false,"tokenRotation":2,"hostKey":"k"}"""),
            ("sbc", """{"image":"portsip/sbc:11","certificateManager":true,"servers":[{"name":"s","privateIp":"192.168.1.11","publicIp":"72.247.113.11","hostKey":"h"}]}"""),
            ("dataFlow", """{"privateIp":"192.168.1.26","publicIp":"104.18.36.126","dataPath":"/d","clickhouseImage":"c:1","pbxImage":"p:2","tokenRotation":-1,"hostKey":"k"}"""));
        Assert.Empty(c.ReadErrors);
        Assert.Equal(new ImConfig { PrivateIp = "192.168.1.25", PublicIp = "104.18.36.110", StoragePath = "/data/im", Protect = false, TokenRotation = 2, HostKey = "k" }, c.Im);
        Assert.Equal("portsip/sbc:11", c.Sbc!.Image);
        Assert.True(c.Sbc.CertificateManager);
        Assert.Equal(new SbcServerConfig { Name = "s", PrivateIp = "192.168.1.11", PublicIp = "72.247.113.11", HostKey = "h" }, Assert.Single(c.Sbc.Servers!));
        Assert.Equal(new DataFlowConfig
        {
            PrivateIp = "192.168.1.26", PublicIp = "104.18.36.126", DataPath = "/d", ClickHouseImage = "c:1", PbxImage = "p:2", TokenRotation = -1, HostKey = "k",
        }, c.DataFlow);
        var noServers = Read(("sbc", """{"image":"i","servers":null}"""));
        Assert.Null(noServers.Sbc!.Servers);
        Assert.Empty(noServers.ReadErrors);
        Assert.Null(Read(("sbc", """{"image":"i"}""")).Sbc!.Servers);
    }

    [Theory]
    [InlineData("mediaServers", "not yaml", "mediaServers: 'not yaml' is not a list of media servers")]
    [InlineData("queueServers", "{\"name\":\"q\"}", "queueServers: {\"name\":\"q\"} is not a list; expected a list of queue servers (YAML: one '- ' line per entry)")]
    [InlineData("meetingServers", "5", "meetingServers: 5 is not a list; expected a list of meeting servers")]
    [InlineData("ivrServers", "\"x\"", "ivrServers: 'x' is not a list; expected a list of IVR servers")]
    [InlineData("preflightWarnOnly", "clock", "preflightWarnOnly: 'clock' is not a list of preflight check names, like [clock, disk]")]
    [InlineData("preflightWarnOnly", "[[\"clock\"]]", "preflightWarnOnly[0]: [\"clock\"] is not text; expected a preflight check name")]
    [InlineData("preflightWarnOnly", "[true]", "preflightWarnOnly[0]: true is not text; expected a preflight check name")]
    [InlineData("im", "causes", "im: 'causes' is not an object (YAML: one 'field: value' line per field)")]
    [InlineData("im", "[]", "im: [] is not the IM service: an object with privateIp, publicIp, storagePath, protect, tokenRotation, hostKey, state, restart")]
    [InlineData("sbc", "7", "sbc: 7 is not the SBC cluster: an object with image, certificateManager, servers")]
    [InlineData("dataFlow", "\"df\"", "dataFlow: 'df' is not the Data Flow service: an object with privateIp, publicIp, dataPath, clickhouseImage, pbxImage, tokenRotation, hostKey, state, restart")]
    [InlineData("sbc", "{\"servers\":{}}", "sbc.servers: {} is not a list; expected a list of SBC servers")]
    [InlineData("sbc", "{\"servers\":[null]}", "sbc.servers[0]: is empty; expected an SBC server: an object with name, privateIp, publicIp, hostKey, state, restart")]
    [InlineData("sbc", "{\"servers\":[\"sbc1\"]}", "sbc.servers[0]: 'sbc1' is not an SBC server: an object with name, privateIp, publicIp, hostKey, state, restart")]
    [InlineData("queueServers", "[null]", "queueServers[0]: is empty; expected a queue server: an object with name, privateIp, hostKey, renamedFrom, state, restart, drainTimeoutSeconds")]
    [InlineData("meetingServers", "[1]", "meetingServers[0]: 1 is not a meeting server: an object with name, privateIp, hostKey, renamedFrom, state, restart, drainTimeoutSeconds")]
    [InlineData("ivrServers", "[[]]", "ivrServers[0]: [] is not an IVR server: an object with name, privateIp, hostKey, renamedFrom, state, restart, drainTimeoutSeconds")]
    [InlineData("mediaServers", "[{\"maxSessions\":12.5}]", "mediaServers[0].maxSessions: 12.5 is not a whole number; give a number of call sessions from 1 to 5,000 (more with exceedRecommendedMaxSessions: true)")]
    [InlineData("mediaServers", "[{\"maxSessions\":3000000000}]", "mediaServers[0].maxSessions: 3000000000 is not a whole number")]
    [InlineData("mediaServers", "[{\"maxSessions\":\"5k\"}]", "mediaServers[0].maxSessions: '5k' is not a whole number")]
    [InlineData("mediaServers", "[{\"maxSessions\":true}]", "mediaServers[0].maxSessions: true is not a whole number")]
    [InlineData("mediaServers", "[{\"internetFacing\":\"no\"}]", "mediaServers[0].internetFacing: 'no' is not true or false")]
    [InlineData("mediaServers", "[{\"recordsCalls\":1}]", "mediaServers[0].recordsCalls: 1 is not true or false")]
    [InlineData("mediaServers", "[{\"name\":{\"first\":\"m\"}}]", "mediaServers[0].name: {\"first\":\"m\"} is not text; expected text")]
    [InlineData("mediaServers", "[{\"name\":false}]", "mediaServers[0].name: false is not text")]
    [InlineData("im", "{\"tokenRotation\":\"next\"}", "im.tokenRotation: 'next' is not a whole number; give a count of token rotations, 0 or more")]
    [InlineData("dataFlow", "{\"tokenRotation\":1.5}", "dataFlow.tokenRotation: 1.5 is not a whole number; give a count of token rotations, 0 or more")]
    [InlineData("im", "{\"protect\":\"maybe\"}", "im.protect: 'maybe' is not true or false")]
    [InlineData("sbc", "{\"certificateManager\":[]}", "sbc.certificateManager: [] is not true or false")]
    [InlineData("im", "{\"storagePath\":\"/data/im\\n\"}", "im.storagePath: '/data/im\\n' has spaces or a line break at its start or end")]
    [InlineData("im", "{\"publicIP\":\"1.2.3.4\"}", "im.publicIP: is not a field of the IM service (value '1.2.3.4'); the fields are privateIp, publicIp, storagePath, protect, tokenRotation, hostKey, state, restart; did you mean publicIp?")]
    [InlineData("sbc", "{\"colour\":\"red\"}", "sbc.colour: is not a field of the SBC cluster (value 'red'); the fields are image, certificateManager, servers")]
    [InlineData("mediaServers", "[{\"maxSession\":10}]", "mediaServers[0].maxSession: is not a field of a media server (value 10); the fields are name, privateIp, publicIp, internetFacing, maxSessions, exceedRecommendedMaxSessions, recordsCalls, hostKey, renamedFrom, state, restart, drainTimeoutSeconds; did you mean maxSessions?")]
    public void Structured_values_of_the_wrong_form_are_errors_naming_the_path_and_the_one_value(string key, string json, string error) =>
        Assert.StartsWith(error, Assert.Single(Errors((key, json))));

    [Fact]
    public void A_value_with_a_line_break_is_not_passed_on()
    {
        var c = Read(("im", "{\"privateIp\":\"192.168.1.25\",\"storagePath\":\"/data/im\\n\"}"));
        Assert.Equal(new ImConfig { PrivateIp = "192.168.1.25" }, c.Im);
        Assert.Single(c.ReadErrors);
    }

    [Fact]
    public void An_unknown_field_ends_without_a_guess_when_nothing_is_close()
    {
        Assert.Equal("sbc.colour: is not a field of the SBC cluster (value 'red'); the fields are image, certificateManager, servers",
            Assert.Single(Errors(("sbc", """{"colour":"red"}"""))));
    }

    [Fact]
    public void A_bad_entry_does_not_drop_the_others()
    {
        var c = Read(("queueServers", """[{"name":"a","privateIp":"192.168.1.22"},7,{"name":"b","privateIp":["x"]},{"name":"c","privateIp":"192.168.1.23"}]"""));
        Assert.Equal(["queueServers[1]: 7 is not a queue server: an object with name, privateIp, hostKey, renamedFrom, state, restart, drainTimeoutSeconds", "queueServers[2].privateIp: [\"x\"] is not text; expected text"],
            c.ReadErrors.Select(e => e.ToString()));
        Assert.Equal(new string?[] { "a", null, "b", "c" }, c.QueueServers!.Select(s => s?.Name));
        Assert.Null(c.QueueServers![2]!.PrivateIp);
    }

    [Fact]
    public void A_long_value_is_cut_to_one_line_of_120_characters()
    {
        var error = Assert.Single(Errors(("im", "[" + string.Join(",\n", Enumerable.Repeat("1", 100)) + "]")));
        Assert.Equal("im: [1, 1, 1,", error[..13]);
        Assert.Contains("1,... is not the IM service", error);
        Assert.Equal(Show.MaxLength, error.IndexOf(" is not", StringComparison.Ordinal) - "im: ".Length);
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("a\nb\r\tc\u0001", "'a\\nb\\r\\tc\\u0001'")]
    [InlineData("", "''")]
    public void Values_are_shown_quoted_with_invisible_characters_made_visible(string value, string shown) => Assert.Equal(shown, Show.Text(value));

    [Fact]
    public void Values_are_cut_at_120_characters()
    {
        Assert.Equal("'" + new string('x', 120) + "'", Show.Text(new string('x', 120)));
        Assert.Equal("'" + new string('x', 117) + "...'", Show.Text(new string('x', 121)));
    }

    [Theory]
    [InlineData("mediaservers", "[]", "mediaservers: is not a key of this program (value '[]'), so it would be ignored; did you mean mediaServers?")]
    [InlineData("SSHPORT", "2222", "SSHPORT: is not a key of this program (value '2222'), so it would be ignored; did you mean sshPort?")]
    [InlineData("virtualIP", "1.2.3.4", "virtualIP: is not a key of this program (value '1.2.3.4'), so it would be ignored; did you mean virtualIp?")]
    [InlineData("pbxImg", "x", "pbxImg: is not a key of this program (value 'x'), so it would be ignored; did you mean pbxImage?")]
    [InlineData("mediaServer", "[]", "mediaServer: is not a key of this program (value '[]'), so it would be ignored; did you mean mediaServers?")]
    [InlineData("recordingServers", "[]", "recordingServers: is not a key of this program (value '[]'), so it would be ignored; the server lists are mediaServers, queueServers, meetingServers, ivrServers")]
    [InlineData("ServersX", "1", "ServersX: is not a key of this program (value '1'), so it would be ignored; the keys are listed in Pulumi.yaml and README.md")]
    [InlineData("medServers", "1", "medServers: is not a key of this program (value '1'), so it would be ignored; did you mean mediaServers?")]
    [InlineData("xyzServers", "1", "xyzServers: is not a key of this program (value '1'), so it would be ignored; the server lists are mediaServers, queueServers, meetingServers, ivrServers")]
    [InlineData("zzzz", "1", "zzzz: is not a key of this program (value '1'), so it would be ignored; the keys are listed in Pulumi.yaml and README.md")]
    public void Unknown_keys_are_errors_with_the_closest_known_key(string key, string value, string error) =>
        Assert.Equal(error, Assert.Single(Errors((key, value))));

    [Fact]
    public void Unknown_keys_are_listed_in_order_and_secret_values_hidden()
    {
        var c = StackConfigReader.Read(new Dictionary<string, string> { ["zeta"] = "1", ["alpha"] = "s3cr3t", ["sshPrivateKey"] = "k" }, new HashSet<string> { "alpha" });
        Assert.Equal(["alpha: is not a key of this program (value (a secret)), so it would be ignored; the keys are listed in Pulumi.yaml and README.md",
            "zeta: is not a key of this program (value '1'), so it would be ignored; the keys are listed in Pulumi.yaml and README.md"], c.ReadErrors.Select(e => e.ToString()));
    }

    [Fact]
    public void Every_known_key_is_known()
    {
        var all = ConfigKeys.All.ToList();
        Assert.Equal(41, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Empty(StackConfigReader.Read(all.Where(k => ConfigKeys.Secrets.Contains(k)).ToDictionary(k => k, _ => "x")).ReadErrors);
    }

    [Theory]
    [InlineData("sshport", "sshPort")]
    [InlineData("sshPrt", "sshPort")]
    [InlineData("qqqq", null)]
    [InlineData("ab", "im")]
    [InlineData("bastionHosts", "bastionHost")]
    [InlineData("portalUsr", "portalUser")]
    [InlineData("certificate", null)]
    public void The_closest_known_name(string unknown, string? closest) => Assert.Equal(closest, ConfigKeys.Closest(unknown, ConfigKeys.All));

    [Fact]
    public void The_closest_allows_two_letters_or_a_third_of_the_name()
    {
        Assert.Null(ConfigKeys.Closest("abcxyz", ["abcdef"]));
        Assert.Equal("abcdef", ConfigKeys.Closest("abcxef", ["abcdef"]));
        Assert.Equal("abcdefghi", ConfigKeys.Closest("abcxyzghi", ["abcdefghi"]));
        Assert.Null(ConfigKeys.Closest("abcxyzwhi", ["abcdefghi"]));
        Assert.Null(ConfigKeys.Closest("x", []));
        Assert.Equal("Ab", ConfigKeys.Closest("aB", ["Ab", "ab"]));
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("sshport", "sshPort", 1)]
    public void Distance_counts_letters_to_change(string a, string b, int distance) => Assert.Equal(distance, ConfigKeys.Distance(a, b));

    [Fact]
    public void The_project_keys_come_from_the_config_environment()
    {
        Assert.Equal(["a", "b", "c:d"], PulumiConfigEnvironment.InProject("p", ["p:a", "p:config:b", "q:x", "p:c:d", "pp:e", "P:f"]).Order());
        Environment.SetEnvironmentVariable(PulumiConfigEnvironment.ConfigVariable, """{"p:a":"1","p:config:b":"2","other:c":"3"}""");
        Environment.SetEnvironmentVariable(PulumiConfigEnvironment.SecretKeysVariable, """["p:b","other:c"]""");
        try
        {
            Assert.Equal(["a", "b"], PulumiConfigEnvironment.KeysOf("p").Order());
            Assert.Equal(["b"], PulumiConfigEnvironment.SecretKeysOf("p"));
            Environment.SetEnvironmentVariable(PulumiConfigEnvironment.ConfigVariable, "not json");
            Assert.Empty(PulumiConfigEnvironment.KeysOf("p"));
            Environment.SetEnvironmentVariable(PulumiConfigEnvironment.ConfigVariable, " ");
            Assert.Empty(PulumiConfigEnvironment.KeysOf("p"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(PulumiConfigEnvironment.ConfigVariable, null);
            Environment.SetEnvironmentVariable(PulumiConfigEnvironment.SecretKeysVariable, null);
        }
        Assert.Empty(PulumiConfigEnvironment.KeysOf("p"));
        Assert.Empty(PulumiConfigEnvironment.SecretKeysOf("p"));
    }
}
