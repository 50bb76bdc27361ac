namespace PortsipInfra.Tests;

/// <summary>The small rules the validator is made of.</summary>
public class ValidationRulesTests
{
    [Theory]
    [InlineData("192.168.1.21")]
    [InlineData("10.0.0.1")]
    [InlineData("104.101.137.60")]
    public void Unicast_addresses_are_accepted(string ip) => Assert.Null(Ipv4.Problem(ip));

    [Theory]
    [InlineData("192.168.1.256", "is not an IPv4 address")]
    [InlineData("192.168.1", "is not an IPv4 address")]
    [InlineData("192.168.01.2", "is not an IPv4 address")]
    [InlineData("192.168.1.2 ", "is not an IPv4 address")]
    [InlineData("::1", "is not an IPv4 address")]
    [InlineData("0.0.0.0", "is not a host address")]
    [InlineData("127.0.0.1", "is a loopback address")]
    [InlineData("224.0.0.5", "multicast")]
    public void Other_addresses_are_refused(string ip, string problem) => Assert.Contains(problem, Ipv4.Problem(ip));

    [Theory]
    [InlineData("media-server-1", true)]
    [InlineData("Media_Server.2", true)]
    [InlineData("-media", false)]
    [InlineData("media server", false)]
    [InlineData("média", false)]
    public void Server_names(string name, bool valid) => Assert.Equal(valid, NamingRules.IsServerName(name));

    [Theory]
    [InlineData("portsip/pbx:22", true)]
    [InlineData("portsip/clickhouse:26.3", true)]
    [InlineData("registry.example.com/portsip/sbc:11", true)]
    [InlineData("PortSIP/pbx:22", false)]
    [InlineData("portsip/pbx:22;id", false)]
    public void Images(string image, bool valid) => Assert.Equal(valid, NamingRules.IsImage(image));

    [Theory]
    [InlineData("/var/lib/portsip", true)]
    [InlineData("/data/im", true)]
    [InlineData("data/im", false)]
    [InlineData("/data/../etc", false)]
    [InlineData("/data/im dir", false)]
    public void Paths(string path, bool valid) => Assert.Equal(valid, NamingRules.IsAbsolutePath(path));

    [Fact]
    public void A_valid_site_gives_defaults_from_the_guide()
    {
        var result = SiteValidator.Validate(new StackConfig { Pbx01 = "192.168.1.131", VirtualIp = "192.168.1.130" });
        Assert.True(result.IsValid);
        var pbx = result.Topology!.Pbx;
        Assert.Equal("/opt/portsip-pbx-ha-guide", pbx.GuideFolder);
        Assert.Equal("pbx", pbx.Ssh.User);
        Assert.Equal(22, pbx.Ssh.Port);
        Assert.Equal("portsip/pbx:22", pbx.Image);
    }

    [Fact]
    public void A_media_server_gets_the_APIs_default_of_2000_sessions()
    {
        var result = SiteValidator.Validate(new StackConfig
        {
            Pbx01 = "192.168.1.131",
            VirtualIp = "192.168.1.130",
            MediaServers = [new MediaServerConfig { Name = "m1", PrivateIp = "192.168.1.21", PublicIp = "104.101.137.60" }],
        });
        Assert.Equal(2000, result.Topology!.ExtendedServers.Single().MaxSessions);
    }
}
