namespace PortsipInfra.Tests;

/// <summary>
/// One test per rule a PortSIP operator would expect of the stack config (README "What bad input gets"), each
/// with good and bad values, on the validator itself (no Pulumi): the boundaries are where a rule breaks.
/// </summary>
public class ConfigRulesTests
{
    private static readonly StackConfig Base = new() { Pbx01 = "192.168.1.131", VirtualIp = "192.168.1.130" };

    private static IReadOnlyList<string> Errors(StackConfig config) =>
        [.. SiteValidator.Validate(config).Errors.Select(e => e.ToString())];

    private static string Only(StackConfig config) => Assert.Single(Errors(config));

    private static void Valid(StackConfig config) => Assert.Empty(Errors(config));

    // IPv4 syntax

    [Theory]
    [InlineData("1.0.0.1")]
    [InlineData("192.168.1.21")]
    [InlineData("10.255.255.254")]
    [InlineData("223.255.255.255")]
    [InlineData("126.1.1.1")]
    [InlineData("128.0.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("169.255.1.1")]
    [InlineData("168.254.1.1")]
    public void Rule_IPv4_host_addresses_are_accepted(string ip) => Assert.Null(Ipv4.Problem(ip));

    [Theory]
    [InlineData("192.168.1.256", "is not an IPv4 address (expected four numbers 0-255")]
    [InlineData("192.168.1", "is not an IPv4 address")]
    [InlineData("192.168.1.2.3", "is not an IPv4 address")]
    [InlineData("192.168.01.2", "is not an IPv4 address")]
    [InlineData("192.168..2", "is not an IPv4 address")]
    [InlineData("192.168.1.1000", "is not an IPv4 address")]
    [InlineData("192.168.1.-1", "is not an IPv4 address")]
    [InlineData("192.168.1.2 ", "is not an IPv4 address")]
    [InlineData("192.168.1.2\n", "is not an IPv4 address")]
    [InlineData("192.168.1.٢", "is not an IPv4 address")]
    [InlineData("::1", "is not an IPv4 address")]
    [InlineData("0.0.0.0", "is not a host address")]
    [InlineData("0.1.2.3", "is not a host address")]
    [InlineData("255.255.255.255", "is not a host address")]
    [InlineData("127.0.0.1", "is a loopback address (127.0.0.0/8)")]
    [InlineData("127.255.0.1", "is a loopback address")]
    [InlineData("169.254.0.1", "is a link-local address (169.254.0.0/16")]
    [InlineData("224.0.0.5", "is a multicast or reserved address")]
    [InlineData("240.0.0.1", "is a multicast or reserved address")]
    public void Rule_IPv4_other_addresses_are_refused(string ip, string problem) => Assert.StartsWith(problem, Ipv4.Problem(ip));

    [Theory]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.1")]
    [InlineData("172.15.255.1")]
    [InlineData("172.32.0.1")]
    [InlineData("192.167.1.1")]
    [InlineData("192.169.1.1")]
    [InlineData("100.63.255.1")]
    [InlineData("100.128.0.1")]
    [InlineData("104.18.36.110")]
    public void Rule_public_IPs_outside_the_private_ranges_are_accepted(string ip) => Assert.Null(Ipv4.PublicProblem(ip));

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.0/8")]
    [InlineData("172.16.0.1", "172.16.0.0/12")]
    [InlineData("172.31.255.1", "172.16.0.0/12")]
    [InlineData("192.168.0.1", "192.168.0.0/16")]
    [InlineData("100.64.0.1", "100.64.0.0/10, carrier-grade NAT")]
    [InlineData("100.127.255.1", "100.64.0.0/10, carrier-grade NAT")]
    public void Rule_public_IPs_in_a_private_range_are_refused(string ip, string range) =>
        Assert.Equal($"is a private address ({range}), not a public one; give the static public IP that Internet users reach", Ipv4.PublicProblem(ip));

    [Fact]
    public void Rule_pbx01_and_the_virtual_IP_are_required_addresses()
    {
        Assert.Equal(["pbx01: is missing", "virtualIp: is missing"], Errors(new StackConfig()));
        Assert.Equal("pbx01: '192.168.1.300' is not an IPv4 address (expected four numbers 0-255 separated by dots, like 192.168.1.21)",
            Only(Base with { Pbx01 = "192.168.1.300" }));
        Assert.StartsWith("virtualIp: '192.168.1.131' is pbx01's own address", Only(Base with { VirtualIp = "192.168.1.131" }));
    }

    [Fact]
    public void Rule_the_PBX_public_IP_is_public_and_not_pbx01()
    {
        Valid(Base with { PublicIp = "104.18.36.119" });
        Assert.StartsWith("publicIp: '192.168.1.5' is a private address", Only(Base with { PublicIp = "192.168.1.5" }));
        Assert.Equal("publicIp: '104.18.36.119' is pbx01's own address; publicIp is the static public IP routed to the virtual IP",
            Only(Base with { Pbx01 = "104.18.36.119", PublicIp = "104.18.36.119" }));
    }

    // Servers: names, addresses, one role per address

    [Theory]
    [InlineData("a", true)]
    [InlineData("9", true)]
    [InlineData("media-server-1", true)]
    [InlineData("Media_Server.2", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)] // 64
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)] // 65
    [InlineData("", false)]
    [InlineData("-media", false)]
    [InlineData(".media", false)]
    [InlineData("_media", false)]
    [InlineData("media server", false)]
    [InlineData("média", false)]
    [InlineData("media\n", false)]
    [InlineData("media;reboot", false)]
    public void Rule_server_names(string name, bool valid) => Assert.Equal(valid, NamingRules.IsServerName(name));

    [Fact]
    public void Rule_a_server_needs_a_name_and_a_private_IP()
    {
        Assert.Equal(["queueServers[0].name: is missing: use the server's name as registered in the Web Portal", "queueServers[0].privateIp: is missing"],
            Errors(Base with { QueueServers = [new ServerConfig()] }));
        Assert.Equal("ivrServers[0].name: 'ivr 1' is not a valid server name (1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit)",
            Only(Base with { IvrServers = [new ServerConfig { Name = "ivr 1", PrivateIp = "192.168.1.24" }] }));
        Valid(Base with { MeetingServers = [new ServerConfig { Name = "meeting-1", PrivateIp = "192.168.1.23" }] });
    }

    [Fact]
    public void Rule_server_names_are_unique_across_roles()
    {
        Assert.Equal("meetingServers[0].name: 'x1' is already used by queueServers[0]; every server needs a unique name", Only(Base with
        {
            QueueServers = [new ServerConfig { Name = "x1", PrivateIp = "192.168.1.22" }],
            MeetingServers = [new ServerConfig { Name = "x1", PrivateIp = "192.168.1.23" }],
        }));
    }

    [Fact]
    public void Rule_each_address_has_one_role()
    {
        Assert.Equal("ivrServers[0].privateIp: '192.168.1.131' is already used by pbx01 (pbx01); each server has one role and its own IP",
            Only(Base with { IvrServers = [new ServerConfig { Name = "i1", PrivateIp = "192.168.1.131" }] }));
        Assert.Equal("sbc.servers[0].privateIp: '192.168.1.25' is already used by the IM service (im.privateIp); each server has one role and its own IP", Only(Base with
        {
            Im = new ImConfig { PrivateIp = "192.168.1.25", PublicIp = "104.18.36.110" },
            Sbc = new SbcConfig { Image = "portsip/sbc:11", Servers = [new SbcServerConfig { PrivateIp = "192.168.1.25" }] },
        }));
        Assert.Equal("queueServers[0].privateIp: '192.168.1.130' is already used by the PBX virtual IP (virtualIp); each server has one role and its own IP",
            Only(Base with { QueueServers = [new ServerConfig { Name = "q1", PrivateIp = "192.168.1.130" }] }));
        Assert.Equal("im.privateIp: '192.168.1.22' is already used by q1 (queueServers[0].privateIp); each server has one role and its own IP", Only(Base with
        {
            QueueServers = [new ServerConfig { Name = "q1", PrivateIp = "192.168.1.22" }],
            Im = new ImConfig { PrivateIp = "192.168.1.22", PublicIp = "104.18.36.110" },
        }));
        Assert.Equal("dataFlow.publicIp: '104.18.36.110' is already used by an SBC server (sbc.servers[0].privateIp); each server has one role and its own IP", Only(Base with
        {
            Sbc = new SbcConfig { Image = "portsip/sbc:11", Servers = [new SbcServerConfig { PrivateIp = "104.18.36.110" }] },
            DataFlow = new DataFlowConfig { PublicIp = "104.18.36.110", DataPath = "/var/lib/portsip" },
        }));
        Assert.Equal("dataFlow.privateIp: '192.168.1.26' is already used by edge (sbc.servers[0].privateIp); each server has one role and its own IP", Only(Base with
        {
            DataFlow = new DataFlowConfig { PrivateIp = "192.168.1.26", PublicIp = "104.18.36.110", DataPath = "/var/lib/portsip" },
            Sbc = new SbcConfig { Image = "portsip/sbc:11", Servers = [new SbcServerConfig { Name = "edge", PrivateIp = "192.168.1.26" }] },
        }));
    }

    // Media servers: public IP, sessions

    private static StackConfig Media(params MediaServerConfig[] servers) => Base with { MediaServers = servers };

    private static MediaServerConfig M(int i = 1, string? publicIp = null, int? sessions = null, bool? exceed = null, bool? internet = null) => new()
    {
        Name = $"media-{i}", PrivateIp = $"192.168.1.{20 + i}", PublicIp = publicIp ?? $"104.101.137.{60 + i}",
        MaxSessions = sessions, ExceedRecommendedMaxSessions = exceed, InternetFacing = internet,
    };

    [Fact]
    public void Rule_an_internet_facing_media_server_has_its_own_public_IP()
    {
        Valid(Media(M(1), M(2)));
        Valid(Media(M(1) with { PublicIp = null, InternetFacing = false }));
        Assert.StartsWith("mediaServers[0].publicIp: is missing: a media server that serves Internet users needs its static public IP",
            Only(Media(M(1) with { PublicIp = null })));
        Assert.StartsWith("mediaServers[0].publicIp: is missing", Only(Media(M(1) with { PublicIp = null, InternetFacing = true })));
        Assert.Equal("mediaServers[1].publicIp: '104.101.137.60' is already the public IP of mediaServers[0].publicIp; every media server needs its own static public IP",
            Only(Media(M(1, "104.101.137.60"), M(2, "104.101.137.60"))));
        Assert.StartsWith("mediaServers[0].publicIp: '172.16.5.5' is a private address", Only(Media(M(1, "172.16.5.5"))));
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(1, null, null)]
    [InlineData(5000, null, null)]
    [InlineData(5001, true, null)]
    [InlineData(0, null, "mediaServers[0].maxSessions: 0 is not a positive number of call sessions")]
    [InlineData(-5, true, "mediaServers[0].maxSessions: -5 is not a positive number of call sessions")]
    [InlineData(5001, null, "mediaServers[0].maxSessions: 5001 is above the guide's recommended 5,000 call sessions per media server; add more media servers, or set exceedRecommendedMaxSessions: true to accept it")]
    [InlineData(5001, false, "mediaServers[0].maxSessions: 5001 is above the guide's recommended 5,000")]
    public void Rule_media_sessions_are_1_to_5000_unless_the_operator_says_more(int? sessions, bool? exceed, string? error)
    {
        var errors = Errors(Media(M(1, sessions: sessions, exceed: exceed)));
        if (error is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.StartsWith(error, Assert.Single(errors));
        }
    }

    [Fact]
    public void Rule_media_server_settings_reach_the_model()
    {
        var server = SiteValidator.Validate(Media(M(1, sessions: 300) with { RecordsCalls = true, HostKey = Keys.Ed25519 })).Topology!.ExtendedServers.Single();
        Assert.Equal(new ExtendedServerSettings(ServerRole.Media, "media-1", "192.168.1.21", "104.101.137.61", 300, true, Keys.Ed25519), server);
        Assert.Equal(new ExtendedServerSettings(ServerRole.Media, "media-1", "192.168.1.21", "104.101.137.61", SiteValidator.DefaultMaxSessions),
            SiteValidator.Validate(Media(M(1))).Topology!.ExtendedServers.Single());
        Assert.StartsWith("mediaServers[0].name: 'media 1' is not a valid server name", Only(Media(M(1) with { Name = "media 1" })));
    }

    // IM, SBC, Data Flow

    [Fact]
    public void Rule_the_IM_service_has_a_private_and_a_public_IP()
    {
        var im = new ImConfig { PrivateIp = "192.168.1.25", PublicIp = "104.18.36.110" };
        Assert.Equal(new ImSettings("192.168.1.25", "104.18.36.110", null, true), SiteValidator.Validate(Base with { Im = im }).Topology!.Im);
        Assert.Equal(new ImSettings("192.168.1.25", "104.18.36.110", "/data/im", false, 2, Keys.Ed25519),
            SiteValidator.Validate(Base with { Im = im with { StoragePath = "/data/im", Protect = false, TokenRotation = 2, HostKey = Keys.Ed25519 } }).Topology!.Im);
        Assert.Equal("im.publicIp: is missing: im.sh run needs the IM server's static public IP (-A)", Only(Base with { Im = im with { PublicIp = null } }));
        Assert.Equal("im.privateIp: is missing", Only(Base with { Im = im with { PrivateIp = null } }));
        Assert.StartsWith("im.publicIp: '10.0.0.25' is a private address", Only(Base with { Im = im with { PublicIp = "10.0.0.25" } }));
        Assert.StartsWith("im.storagePath: 'data/im' is not an absolute path", Only(Base with { Im = im with { StoragePath = "data/im" } }));
    }

    [Fact]
    public void Rule_the_SBC_cluster_has_an_image_and_servers_with_their_own_IPs()
    {
        var server = new SbcServerConfig { PrivateIp = "192.168.1.11", PublicIp = "72.247.113.11" };
        var sbc = new SbcConfig { Image = "portsip/sbc:11", Servers = [server] };
        Assert.Equal(new SbcServerSettings("sbc-192-168-1-11", "192.168.1.11", "72.247.113.11"),
            SiteValidator.Validate(Base with { Sbc = sbc }).Topology!.Sbc!.Servers.Single());
        Assert.True(SiteValidator.Validate(Base with { Sbc = sbc with { CertificateManager = true } }).Topology!.Sbc!.CertificateManager);
        Assert.False(SiteValidator.Validate(Base with { Sbc = sbc }).Topology!.Sbc!.CertificateManager);
        Assert.Equal("sbc.servers[0].privateIp: is missing", Only(Base with { Sbc = sbc with { Servers = [new SbcServerConfig { PublicIp = "72.247.113.11" }] } }));
        Assert.Equal("sbc.image: is missing: sbc.sh needs the SBC image to deploy, such as portsip/sbc:11", Only(Base with { Sbc = sbc with { Image = null } }));
        Assert.StartsWith("sbc.image: 'portsip/sbc:11 -c' is not a Docker image", Only(Base with { Sbc = sbc with { Image = "portsip/sbc:11 -c" } }));
        Assert.StartsWith("sbc.servers: is empty: list at least one SBC server", Only(Base with { Sbc = sbc with { Servers = [] } }));
        Assert.StartsWith("sbc.servers: is empty", Only(Base with { Sbc = sbc with { Servers = null } }));
        Assert.Equal("sbc.servers[1].publicIp: '72.247.113.11' is already the public IP of sbc.servers[0].publicIp; every SBC server needs its own public IP",
            Only(Base with { Sbc = sbc with { Servers = [server, server with { PrivateIp = "192.168.1.12" }] } }));
        Assert.Equal("sbc.servers[1].name: 'edge' is already used by another SBC server",
            Only(Base with { Sbc = sbc with { Servers = [server with { Name = "edge" }, new SbcServerConfig { Name = "edge", PrivateIp = "192.168.1.12" }] } }));
        Assert.StartsWith("sbc.servers[0].name: 'edge 1' is not a valid server name", Only(Base with { Sbc = sbc with { Servers = [server with { Name = "edge 1" }] } }));
        Assert.StartsWith("sbc.servers[0].publicIp: '192.168.9.9' is a private address", Only(Base with { Sbc = sbc with { Servers = [server with { PublicIp = "192.168.9.9" }] } }));
    }

    [Fact]
    public void Rule_the_Data_Flow_service_has_a_data_path_and_a_private_or_a_public_IP()
    {
        var df = new DataFlowConfig { PrivateIp = "192.168.1.26", DataPath = "/var/lib/portsip" };
        Assert.Equal(new DataFlowSettings("192.168.1.26", null, "/var/lib/portsip", null, "portsip/pbx:22"),
            SiteValidator.Validate(Base with { DataFlow = df }).Topology!.DataFlow);
        var publicOnly = SiteValidator.Validate(Base with { DataFlow = df with { PrivateIp = null, PublicIp = "104.18.36.126" } }).Topology!.DataFlow!;
        Assert.Equal(new DataFlowSettings(null, "104.18.36.126", "/var/lib/portsip", null, "portsip/pbx:22"), publicOnly);
        Assert.Equal("104.18.36.126", publicOnly.Address);
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash dataflow.sh run -p /var/lib/portsip -A 104.18.36.126 -i portsip/pbx:22",
            GuideCommands.DataFlowRun("/opt/portsip-pbx-ha-guide", publicOnly));
        Assert.Equal(new DataFlowSettings("192.168.1.26", "104.18.36.126", "/data/df", "portsip/clickhouse:26.3", "portsip/pbx:22.1", 3, Keys.Ed25519),
            SiteValidator.Validate(Base with
            {
                DataFlow = df with { PublicIp = "104.18.36.126", DataPath = "/data/df", ClickHouseImage = "portsip/clickhouse:26.3", PbxImage = "portsip/pbx:22.1", TokenRotation = 3, HostKey = Keys.Ed25519 },
            }).Topology!.DataFlow);
        Assert.Equal("dataFlow.privateIp: is missing (or, without a static private IP, set publicIp alone)", Only(Base with { DataFlow = df with { PrivateIp = null } }));
        Assert.StartsWith("dataFlow.dataPath: is missing: dataflow.sh run needs the path", Only(Base with { DataFlow = df with { DataPath = null } }));
        Assert.StartsWith("dataFlow.dataPath: '/var/$(id)' is not an absolute path", Only(Base with { DataFlow = df with { DataPath = "/var/$(id)" } }));
        Assert.StartsWith("dataFlow.clickhouseImage: 'ClickHouse' is not a Docker image", Only(Base with { DataFlow = df with { ClickHouseImage = "ClickHouse" } }));
        Assert.StartsWith("dataFlow.pbxImage: 'pbx 22' is not a Docker image", Only(Base with { DataFlow = df with { PbxImage = "pbx 22" } }));
        Assert.StartsWith("dataFlow.publicIp: '10.0.0.26' is a private address", Only(Base with { DataFlow = df with { PublicIp = "10.0.0.26" } }));
        Assert.StartsWith("dataFlow.tokenRotation: -1 is not a count of token rotations, 0 or more", Only(Base with { DataFlow = df with { TokenRotation = -1 } }));
        Assert.Null(SiteValidator.Validate(Base with { DataFlow = df with { TokenRotation = -1 } }).Topology);
    }

    // Paths, images, users, hosts

    [Theory]
    [InlineData("/", true)]
    [InlineData("/var/lib/portsip", true)]
    [InlineData("/data/im_2.d-x/", true)]
    [InlineData("data/im", false)]
    [InlineData("", false)]
    [InlineData("/data/../etc", false)]
    [InlineData("/..", false)]
    [InlineData("/data/im dir", false)]
    [InlineData("/data/$(reboot)", false)]
    [InlineData("/data/im\n", false)]
    [InlineData("~/im", false)]
    public void Rule_paths_are_absolute_and_plain(string path, bool valid) => Assert.Equal(valid, NamingRules.IsAbsolutePath(path));

    [Fact]
    public void Rule_paths_are_at_most_255_characters() =>
        Assert.Equal([true, false], new[] { 255, 256 }.Select(n => NamingRules.IsAbsolutePath("/" + new string('a', n - 1))));

    [Fact]
    public void Rule_the_guide_folder_is_a_path_and_loses_its_trailing_slash()
    {
        Assert.Equal("/opt/guide", SiteValidator.Validate(Base with { GuideFolder = "/opt/guide/" }).Topology!.Pbx.GuideFolder);
        Assert.Equal("/", SiteValidator.Validate(Base with { GuideFolder = "/" }).Topology!.Pbx.GuideFolder);
        Assert.StartsWith("guideFolder: 'opt/guide' is not an absolute path", Only(Base with { GuideFolder = "opt/guide" }));
        Assert.StartsWith("guideFolder: '/opt/$(reboot)' is not an absolute path", Only(Base with { GuideFolder = "/opt/$(reboot)" }));
    }

    [Theory]
    [InlineData("portsip/pbx:22", true)]
    [InlineData("portsip/pbx", true)]
    [InlineData("portsip/clickhouse:26.3", true)]
    [InlineData("pbx:22", true)]
    [InlineData("registry.example.com/portsip/sbc:11", true)]
    [InlineData("registry.corp.local:5000/portsip/pbx:22", true)]
    [InlineData("localhost:5000/portsip/pbx:22", true)]
    [InlineData("localhost/portsip/pbx", true)]
    [InlineData("registry:5000/portsip/pbx:22", true)]
    [InlineData("Registry.Corp.Local/portsip/pbx:22", true)]
    [InlineData("portsip/pbx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("portsip/pbx-ha_v2.x:22.4.1-rc_1", true)]
    [InlineData("PortSIP/pbx:22", false)]
    [InlineData("portsip/pbx:22;id", false)]
    [InlineData("portsip/pbx:22 ", false)]
    [InlineData("portsip/pbx:22\n", false)]
    [InlineData("portsip//pbx", false)]
    [InlineData("portsip/pbx:", false)]
    [InlineData("portsip/pbx:-22", false)]
    [InlineData("-portsip/pbx", false)]
    [InlineData("registry.corp.local:50000000/portsip/pbx", false)]
    [InlineData("registry.corp.local:/portsip/pbx", false)]
    [InlineData("portsip/pbx@sha256:0123", false)]
    [InlineData("", false)]
    public void Rule_images(string image, bool valid) => Assert.Equal(valid, NamingRules.IsImage(image));

    [Fact]
    public void Rule_images_are_at_most_255_characters() =>
        Assert.Equal([true, false], new[] { 255, 256 }.Select(n => NamingRules.IsImage("portsip/" + new string('a', n - 8))));

    [Fact]
    public void Rule_the_PBX_image_defaults_to_portsip_pbx_22_and_is_checked()
    {
        Assert.Equal("portsip/pbx:22", SiteValidator.Validate(Base).Topology!.Pbx.Image);
        Assert.Equal("portsip/pbx:22.4", SiteValidator.Validate(Base with { PbxImage = "portsip/pbx:22.4" }).Topology!.Pbx.Image);
        Assert.StartsWith("pbxImage: 'portsip/pbx:22 && reboot' is not a Docker image like portsip/pbx:22 or registry.example.com:5000/portsip/pbx:22",
            Only(Base with { PbxImage = "portsip/pbx:22 && reboot" }));
        Assert.Equal("portsip/pbx:22.4", SiteValidator.Validate(Base with { PbxImage = "portsip/pbx:22.4", DataFlow = new DataFlowConfig { PrivateIp = "192.168.1.26", DataPath = "/d" } })
            .Topology!.DataFlow!.PbxImage);
    }

    [Theory]
    [InlineData("pbx", true)]
    [InlineData("_svc", true)]
    [InlineData("ops-2_a", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdef", true)] // 32
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefg", false)] // 33
    [InlineData("Pbx", false)]
    [InlineData("1pbx", false)]
    [InlineData("-pbx", false)]
    [InlineData("pbx user", false)]
    [InlineData("pbx\n", false)]
    [InlineData("", false)]
    public void Rule_Linux_user_names(string user, bool valid) => Assert.Equal(valid, NamingRules.IsUser(user));

    [Fact]
    public void Rule_the_SSH_login_to_pbx01()
    {
        var ssh = SiteValidator.Validate(Base with { SshUser = "ops", SshPort = 2222, Pbx01HostKey = Keys.Ed25519, DeployKey = true }).Topology!.Pbx.Ssh;
        Assert.Equal(new SshSettings("ops", 2222, Keys.Ed25519, null, true), ssh);
        Assert.Equal(new SshSettings("pbx", 22, null, null, false), SiteValidator.Validate(Base).Topology!.Pbx.Ssh);
        Assert.StartsWith("sshUser: 'Ops' is not a Linux user name", Only(Base with { SshUser = "Ops" }));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(22, true)]
    [InlineData(65535, true)]
    [InlineData(0, false)]
    [InlineData(-22, false)]
    [InlineData(65536, false)]
    public void Rule_ports_are_1_to_65535(int port, bool valid)
    {
        Assert.Equal(valid ? [] : [$"sshPort: {port} is not a TCP port from 1 to 65535"], Errors(Base with { SshPort = port }));
        Assert.Equal(valid ? [] : [$"bastionPort: {port} is not a TCP port from 1 to 65535"], Errors(Base with { BastionHost = "jump", BastionPort = port }));
    }

    [Theory]
    [InlineData("jump", true)]
    [InlineData("bastion.example.com", true)]
    [InlineData("203.0.113.7", true)]
    [InlineData("a-b.c-d", true)]
    [InlineData("-jump", false)]
    [InlineData("jump-", false)]
    [InlineData("jump host", false)]
    [InlineData("jump..example", false)]
    [InlineData("jump\n", false)]
    [InlineData("user@jump", false)]
    public void Rule_bastion_hosts(string host, bool valid) => Assert.Equal(valid, NamingRules.IsHost(host));

    [Fact]
    public void Rule_bastion_hosts_are_at_most_253_characters() =>
        Assert.Equal([true, false], new[] { 253, 254 }.Select(n => NamingRules.IsHost(string.Join('.', Enumerable.Repeat("a", (n + 1) / 2)) + (n % 2 == 0 ? "b" : ""))));

    [Fact]
    public void Rule_the_bastion_settings_need_bastionHost()
    {
        Assert.Equal(new BastionSettings("jump", 2200, "ops", Keys.Ed25519),
            SiteValidator.Validate(Base with { BastionHost = "jump", BastionPort = 2200, BastionUser = "ops", BastionHostKey = Keys.Ed25519 }).Topology!.Pbx.Ssh.Bastion);
        Assert.Equal(new BastionSettings("jump", 22, "pbx", null), SiteValidator.Validate(Base with { BastionHost = "jump" }).Topology!.Pbx.Ssh.Bastion);
        Assert.StartsWith("bastionHost: 'jump host' is not an IPv4 address or a DNS host name", Only(Base with { BastionHost = "jump host" }));
        Assert.StartsWith("bastionUser: 'Ops' is not a Linux user name", Only(Base with { BastionHost = "jump", BastionUser = "Ops" }));
        Assert.Equal(["bastionUser: 'ops' is set but bastionHost is not, so it would be ignored; set bastionHost or remove bastionUser",
                "bastionPort: 2222 is set but bastionHost is not, so it would be ignored; set bastionHost or remove bastionPort",
                $"bastionHostKey: '{Keys.Ed25519}' is set but bastionHost is not, so it would be ignored; set bastionHost or remove bastionHostKey"],
            Errors(Base with { BastionUser = "ops", BastionPort = 2222, BastionHostKey = Keys.Ed25519 }));
        Valid(Base with { BastionPort = 22 });
    }

    // Host keys

    private static string KeyLine(string type, params byte[][] fields)
    {
        var blob = new List<byte>();
        foreach (var field in fields)
        {
            blob.AddRange(BitConverter.GetBytes(field.Length).Reverse());
            blob.AddRange(field);
        }
        return $"{type} {Convert.ToBase64String([.. blob])}";
    }

    private static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);

    private static byte[] Point(int length) => [4, .. new byte[length - 1]];

    public static TheoryData<string> GoodHostKeys()
    {
        // A 2048-bit modulus (made-up, fixed: theory data must be the same on every discovery), high bit set, so
        // an mpint with a leading zero; its base64 has '+' and '/' in it.
        byte[] modulus = [0, 0xC3, .. Enumerable.Range(1, 255).Select(i => (byte)(i * 37 + 11))];
        return new TheoryData<string>
        {
            Keys.Ed25519,
            KeyLine("ssh-ed25519", Ascii("ssh-ed25519"), new byte[32]),
            KeyLine("ssh-rsa", Ascii("ssh-rsa"), [1, 0, 1], modulus),
            KeyLine("rsa-sha2-256", Ascii("ssh-rsa"), [1, 0, 1], modulus),
            KeyLine("rsa-sha2-512", Ascii("ssh-rsa"), [1, 0, 1], [0x80, .. new byte[127]]),
            KeyLine("ssh-rsa", Ascii("ssh-rsa"), [3], new byte[2048]),
            KeyLine("ssh-rsa", Ascii("ssh-rsa"), [3], [0x80, .. new byte[2047]]),
            KeyLine("ecdsa-sha2-nistp256", Ascii("ecdsa-sha2-nistp256"), Ascii("nistp256"), Point(65)),
            KeyLine("ecdsa-sha2-nistp384", Ascii("ecdsa-sha2-nistp384"), Ascii("nistp384"), Point(97)),
            KeyLine("ecdsa-sha2-nistp521", Ascii("ecdsa-sha2-nistp521"), Ascii("nistp521"), Point(133)),
        };
    }

    [Theory]
    [MemberData(nameof(GoodHostKeys))]
    public void Rule_host_keys_of_each_type_are_accepted(string line) => Assert.Null(SshHostKey.Problem(line));

    [Fact]
    public void Rule_host_keys_use_the_whole_base64_alphabet()
    {
        var rsa = GoodHostKeys().Cast<object[]>().Select(row => (string)row[0]).Single(k => k.StartsWith("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDD"));
        Assert.Contains('+', rsa);
        Assert.Contains('/', rsa);
        Assert.Contains(GoodHostKeys().Cast<object[]>().Select(row => (string)row[0]), k => k.EndsWith('='));
    }

    public static TheoryData<string, string> BadHostKeys() => new()
    {
        { "AAAAC3NzaC1lZDI1NTE5AAAAIPbx01HostKeyForTestsOnly0000000000000000000", "it must be the key type (ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa, rsa-sha2-256, rsa-sha2-512), one space and the base64 key" },
        { "192.168.1.21 " + Keys.Ed25519, "it must be the key type" },
        { Keys.Ed25519 + " root@pbx01", "it must be the key type" },
        { Keys.Ed25519 + "\n", "its key is not valid base64" },
        { "ssh-ed25519  " + Keys.Ed25519[12..], "it must be the key type" },
        { "ssh-dss AAAAB3NzaC1kc3MAAACBAP", "it must be the key type" },
        { Keys.Ed25519Short, "its key is not valid base64 (cut short or changed in copying?)" },
        { "ssh-ed25519 AAAA';reboot;'", "its key is not valid base64" },
        { Keys.Ed25519Truncated, "an Ed25519 key is 32 bytes" },
        { Keys.Ed25519AsRsa, "the key is of type 'ssh-ed25519', not ssh-rsa" },
        { KeyLine("ssh-ed25519", Ascii("ssh-ed25519"), new byte[31]), "an Ed25519 key is 32 bytes" },
        { KeyLine("ssh-ed25519", Ascii("ssh-ed25519"), new byte[33]), "an Ed25519 key is 32 bytes" },
        { KeyLine("ssh-ed25519", Ascii("ssh-ed25519"), new byte[32], [1]), "the key has extra bytes after it" },
        { KeyLine("ssh-ed25519", Ascii("ssh-ed25519\n")), "the key is of type 'ssh-ed25519', not ssh-ed25519" },
        { "ssh-ed25519 AAAA", "its key is too short to be an SSH key" },
        { "ssh-ed25519 AAAAAAAA", "the key is of type '', not ssh-ed25519" },
        { "ssh-ed25519 AAAAAA==", "the key is of type '', not ssh-ed25519" },
        { KeyLine("ssh-ed25519", Ascii(new string('x', 50))), $"the key is of type '{new string('x', 40)}', not ssh-ed25519" },
        { "ssh-ed25519 AAAAZA==", "its key is too short to be an SSH key" },
        { "ssh-ed25519 " + Convert.ToBase64String([0, 0, 0, 20, 1]), "its key is too short to be an SSH key" },
        { KeyLine("ssh-rsa", Ascii("ssh-rsa"), [1, 0, 1]), "the RSA key is cut short" },
        { KeyLine("ssh-rsa", Ascii("ssh-rsa"), [], new byte[256]), "the RSA key is cut short" },
        { KeyLine("ssh-rsa", Ascii("ssh-rsa"), [1, 0, 1], [0, .. new byte[127]]), "an RSA key of 1016 bits is not plausible (1024-16384)" },
        { KeyLine("ssh-rsa", Ascii("ssh-rsa"), [1, 0, 1], [0x80, .. new byte[126]]), "an RSA key of 1016 bits is not plausible" },
        { KeyLine("ssh-rsa", Ascii("ssh-rsa"), [1, 0, 1], [0x80, .. new byte[2048]]), "an RSA key of 16392 bits is not plausible" },
        { KeyLine("rsa-sha2-256", Ascii("rsa-sha2-256"), [1, 0, 1], new byte[256]), "the key is of type 'rsa-sha2-256', not ssh-rsa" },
        { KeyLine("ecdsa-sha2-nistp256", Ascii("ecdsa-sha2-nistp256"), Ascii("nistp384"), Point(65)), "the key names the curve 'nistp384', not nistp256" },
        { KeyLine("ecdsa-sha2-nistp256", Ascii("ecdsa-sha2-nistp256")), "the key names the curve '', not nistp256" },
        { KeyLine("ecdsa-sha2-nistp256", Ascii("ecdsa-sha2-nistp256"), Ascii("nistp256"), Point(64)), "an ECDSA nistp256 key is an uncompressed point of 65 bytes" },
        { KeyLine("ecdsa-sha2-nistp384", Ascii("ecdsa-sha2-nistp384"), Ascii("nistp384"), Point(65)), "an ECDSA nistp384 key is an uncompressed point of 97 bytes" },
        { KeyLine("ecdsa-sha2-nistp256", Ascii("ecdsa-sha2-nistp256"), Ascii("nistp256"), new byte[65]), "an ECDSA nistp256 key is an uncompressed point of 65 bytes" },
        { KeyLine("ecdsa-sha2-nistp256", Ascii("ecdsa-sha2-nistp256"), Ascii("nistp256")), "an ECDSA nistp256 key is an uncompressed point" },
        { KeyLine("ecdsa-sha2-nistp521", Ascii("ecdsa-sha2-nistp521"), Ascii("nistp521"), Point(133), [0]), "the key has extra bytes after it" },
    };

    [Theory]
    [MemberData(nameof(BadHostKeys))]
    public void Rule_host_keys_cut_short_or_of_another_type_are_refused(string line, string problem) =>
        Assert.StartsWith(problem, SshHostKey.Problem(line));

    [Fact]
    public void The_renderers_host_key_check_allows_spaces_around_the_key()
    {
        Assert.True(NamingRules.IsHostKey("  " + Keys.Ed25519 + "\n"));
        Assert.False(NamingRules.IsHostKey(" " + Keys.Ed25519Truncated + " "));
        Assert.False(NamingRules.IsHostKey(Keys.Ed25519AsRsa));
    }

    [Fact]
    public void Rule_every_host_key_is_checked()
    {
        var bad = "ssh-ed25519 AAAA";
        Assert.Equal(
        [
            "pbx01HostKey: 'ssh-ed25519 AAAA' is not an OpenSSH public key line such as 'ssh-ed25519 AAAAC3Nz...' (as in ssh-keyscan's output, without the host name): its key is too short to be an SSH key",
            "bastionHostKey: 'ssh-ed25519 AAAA' is not an OpenSSH public key line such as 'ssh-ed25519 AAAAC3Nz...' (as in ssh-keyscan's output, without the host name): its key is too short to be an SSH key",
            "mediaServers[0].hostKey: 'ssh-ed25519 AAAA' is not an OpenSSH public key line such as 'ssh-ed25519 AAAAC3Nz...' (as in ssh-keyscan's output, without the host name): its key is too short to be an SSH key",
            "queueServers[0].hostKey: 'ssh-ed25519 AAAA' is not an OpenSSH public key line such as 'ssh-ed25519 AAAAC3Nz...' (as in ssh-keyscan's output, without the host name): its key is too short to be an SSH key",
            "im.hostKey: 'ssh-ed25519 AAAA' is not an OpenSSH public key line such as 'ssh-ed25519 AAAAC3Nz...' (as in ssh-keyscan's output, without the host name): its key is too short to be an SSH key",
            "sbc.servers[0].hostKey: 'ssh-ed25519 AAAA' is not an OpenSSH public key line such as 'ssh-ed25519 AAAAC3Nz...' (as in ssh-keyscan's output, without the host name): its key is too short to be an SSH key",
            "dataFlow.hostKey: 'ssh-ed25519 AAAA' is not an OpenSSH public key line such as 'ssh-ed25519 AAAAC3Nz...' (as in ssh-keyscan's output, without the host name): its key is too short to be an SSH key",
        ], Errors(Base with
        {
            Pbx01HostKey = bad,
            BastionHost = "jump",
            BastionHostKey = bad,
            MediaServers = [M(1) with { HostKey = bad }],
            QueueServers = [new ServerConfig { Name = "q", PrivateIp = "192.168.1.22", HostKey = bad }],
            Im = new ImConfig { PrivateIp = "192.168.1.25", PublicIp = "104.18.36.110", HostKey = bad },
            Sbc = new SbcConfig { Image = "portsip/sbc:11", Servers = [new SbcServerConfig { PrivateIp = "192.168.1.11", HostKey = bad }] },
            DataFlow = new DataFlowConfig { PrivateIp = "192.168.1.26", DataPath = "/d", HostKey = bad },
        }));
    }

    // Web Portal (REST API) settings

    [Theory]
    [InlineData("https://127.0.0.1:8887/api", null)]
    [InlineData("http://pbx.local:8887/api", "portalApiUrl: 'http://pbx.local:8887/api' is plain http: the admin password would cross the network in clear")]
    [InlineData("127.0.0.1:8887/api", "portalApiUrl: '127.0.0.1:8887/api' is not an http(s) URL like https://<virtualIp>:8887/api")]
    [InlineData("ftp://127.0.0.1/api", "portalApiUrl: 'ftp://127.0.0.1/api' is not an http(s) URL")]
    [InlineData("https://127.0.0.1:8887/a pi", "portalApiUrl: 'https://127.0.0.1:8887/a pi' is not an http(s) URL")]
    [InlineData("https://127.0.0.1:8887/api\u0007", "portalApiUrl: 'https://127.0.0.1:8887/api\\u0007' is not an http(s) URL")]
    [InlineData("https://admin:pw@127.0.0.1:8887/api?x=1", "portalApiUrl: 'https://***@127.0.0.1:8887/api?x=1' has a user name and password in it; give the user in portalUser and the password in the secret portalPassword")]
    [InlineData("https://admin@127.0.0.1/api", "portalApiUrl: 'https://***@127.0.0.1/api' has a user name and password in it")]
    public void Rule_the_portal_API_URL_is_http_without_credentials(string url, string? error)
    {
        var errors = Errors(Base with { PortalApiUrl = url });
        if (error is null)
        {
            Assert.Empty(errors);
            Assert.Equal(url, SiteValidator.Validate(Base with { PortalApiUrl = url }).Topology!.Portal.ApiUrl);
        }
        else
        {
            Assert.StartsWith(error, Assert.Single(errors));
            Assert.DoesNotContain("pw@", errors[0]);
        }
    }

    [Theory]
    [InlineData("admin", true)]
    [InlineData("a", true)]
    [InlineData("Ops Admin", false)]
    [InlineData("admin\t", false)]
    [InlineData("admin\u0001", false)]
    [InlineData("", false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)] // 64
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)] // 65
    public void Rule_the_portal_user_is_1_to_64_characters_without_spaces(string user, bool valid) =>
        Assert.Equal(valid ? [] : [$"portalUser: {Show.Text(user)} is not a Web Portal user name (1-64 characters, no spaces)"], Errors(Base with { PortalUser = user }));

    [Theory]
    [InlineData(10, true)]
    [InlineData(900, true)]
    [InlineData(86400, true)]
    [InlineData(9, false)]
    [InlineData(-60, false)]
    [InlineData(86401, false)]
    public void Rule_the_online_timeout_is_10_to_86400_seconds(int seconds, bool valid) =>
        Assert.Equal(valid ? [] : [$"onlineTimeoutSeconds: {seconds} is not a number of seconds from 10 to 86400"], Errors(Base with { OnlineTimeoutSeconds = seconds }));

    [Fact]
    public void Rule_portal_settings_reach_the_model()
    {
        Assert.Equal(PortalSettings.Default("192.168.1.130"), SiteValidator.Validate(Base).Topology!.Portal);
        Assert.Equal(new PortalSettings("http://10.0.0.1/api", "ops", false, 60, AllowHttp: true), SiteValidator.Validate(Base with
        {
            PortalApiUrl = "http://10.0.0.1/api", PortalAllowHttp = true, PortalUser = "ops", DisableDefaultServers = false, OnlineTimeoutSeconds = 60,
        }).Topology!.Portal);
        var pbx = SiteValidator.Validate(Base with { CertificateManager = true, PublicIp = "104.18.36.119" }).Topology!.Pbx;
        Assert.True(pbx.CertificateManager);
        Assert.Equal("104.18.36.119", pbx.PublicIp);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(7, true)]
    [InlineData(-1, false)]
    public void Rule_token_rotations_are_0_or_more(int rotations, bool valid)
    {
        var im = new ImConfig { PrivateIp = "192.168.1.25", PublicIp = "104.18.36.110", TokenRotation = rotations };
        Assert.Equal(valid ? [] : [$"im.tokenRotation: {rotations} is not a count of token rotations, 0 or more (raise it by one to rotate the token)"], Errors(Base with { Im = im }));
    }

    [Fact]
    public void Rule_preflight_checks_that_only_warn_are_known_checks()
    {
        Assert.Equal(["clock", "disk"], SiteValidator.Validate(Base with { PreflightWarnOnly = ["clock", "disk", "clock"] }).Topology!.HostPreparation.WarnOnly.Order());
        Assert.Equal(["preflightWarnOnly[1]: 'ram' is not a preflight check; the checks are os, disk, postgresql, clock, static-ip, dns-dhcp, sudo",
                "preflightWarnOnly[2]: an empty entry is not a preflight check; the checks are os, disk, postgresql, clock, static-ip, dns-dhcp, sudo"],
            Errors(Base with { PreflightWarnOnly = ["clock", "ram", null] }));
    }

    [Fact]
    public void Entries_the_reader_could_not_read_are_skipped()
    {
        Valid(Base with { MediaServers = [null], QueueServers = [null], MeetingServers = [null], IvrServers = [null] });
        Assert.Equal("sbc.servers: is empty: list at least one SBC server (privateIp, publicIp), or remove the sbc key",
            Only(Base with { Sbc = new SbcConfig { Image = "portsip/sbc:11", Servers = [] } }));
        Assert.Empty(SiteValidator.Validate(Base with { Sbc = new SbcConfig { Image = "portsip/sbc:11", Servers = [null] } }).Topology!.Sbc!.Servers);
    }

    [Fact]
    public void Rule_empty_lists_mean_no_servers()
    {
        var site = SiteValidator.Validate(Base with { MediaServers = [], QueueServers = [], MeetingServers = [], IvrServers = [], PreflightWarnOnly = [] }).Topology!;
        Assert.Empty(site.ExtendedServers);
        Assert.Null(site.Im);
        Assert.Null(site.Sbc);
        Assert.Null(site.DataFlow);
    }

    [Fact]
    public void Rule_one_problem_per_key_and_read_errors_first()
    {
        var result = SiteValidator.Validate(Base with
        {
            QueueServers = [new ServerConfig { Name = "q" }],
            ReadErrors = [new ConfigError("queueServers[0].privateIp", "[1] is not text; expected text")],
        });
        Assert.Equal(["queueServers[0].privateIp: [1] is not text; expected text"], result.Errors.Select(e => e.ToString()));
        Assert.False(result.IsValid);
        Assert.Null(result.Topology);
    }

    [Fact]
    public void The_exception_lists_every_problem_with_the_project_name()
    {
        var e = new ConfigurationException("portsip-infra", [new ConfigError("pbx01", "is missing"), new ConfigError("virtualIp", "is missing")]);
        Assert.Equal("The stack config has 2 problems; nothing was deployed:\n  - portsip-infra:pbx01: is missing\n  - portsip-infra:virtualIp: is missing", e.Message);
        Assert.Equal("The stack config has 1 problem; nothing was deployed:\n  - p:k: m", new ConfigurationException("p", [new ConfigError("k", "m")]).Message);
        Assert.Equal(2, e.Errors.Count);
    }
}
