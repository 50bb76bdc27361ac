using Pulumi;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>Which secrets a site needs, and what the operator is told to run for each one missing.</summary>
public class SiteSecretsTests
{
    private static readonly Output<string> Set = Output.CreateSecret("x");

    private static SiteTopology Site(StackConfig config) =>
        SiteValidator.Validate(config with { Pbx01 = "192.168.1.131", VirtualIp = "192.168.1.130" }).Topology!;

    private static readonly SiteTopology Bare = Site(new StackConfig { DisableDefaultServers = false });

    private static string[] Missing(SiteSecrets secrets, SiteTopology site, bool agent = false) =>
        [.. secrets.Missing(site, agent).Select(m => $"{m.Key}|{m.Why}|{m.HowTo}")];

    [Fact]
    public void A_bare_site_needs_only_a_way_to_log_in()
    {
        var none = new SiteSecrets(null, null, null, null);
        Assert.Equal(["sshPrivateKey|nothing can log in to pbx01 (no key, and no SSH agent: SSH_AUTH_SOCK is empty)|cat ~/.ssh/id_ed25519 | pulumi config set --secret sshPrivateKey"],
            Missing(none, Bare));
        Assert.Empty(Missing(none, Bare, agent: true));
        Assert.Empty(Missing(none, Site(new StackConfig { DisableDefaultServers = false, DeployKey = true })));
        Assert.Empty(Missing(new SiteSecrets(Set, null, null, null), Bare));
    }

    [Fact]
    public void Portal_steps_need_the_portal_password()
    {
        var keyOnly = new SiteSecrets(Set, null, null, null);
        var expected = "portalPassword|the Web Portal steps log in to the PortSIP REST API as 'ops' (portalUser)|pulumi config set --secret portalPassword (it prompts for the value)";
        var withQueue = new StackConfig { PortalUser = "ops", QueueServers = [new ServerConfig { Name = "queue-server-1", PrivateIp = "192.168.1.22" }] };
        Assert.Contains(expected, Missing(keyOnly, Site(withQueue)));
        Assert.DoesNotContain(Missing(keyOnly with { PortalPassword = Set }, Site(withQueue)), m => m.StartsWith("portalPassword|"));
        // With nothing to do in the portal (no server, no service), no password is asked for.
        Assert.DoesNotContain(Missing(keyOnly, Site(new StackConfig { PortalUser = "ops" })), m => m.StartsWith("portalPassword|"));
    }

    [Theory]
    [InlineData("/run/user/1000/ssh-agent.sock", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public async Task Up_without_a_key_goes_on_only_with_an_SSH_agent(string? agentSocket, bool runs)
    {
        var config = Sites.Prod();
        config.Remove(Sites.P + "sshPrivateKey");
        var before = Environment.GetEnvironmentVariable("SSH_AUTH_SOCK");
        Environment.SetEnvironmentVariable("SSH_AUTH_SOCK", agentSocket);
        try
        {
            if (runs)
            {
                Assert.Contains((await PulumiRun.Stack(config)).Declared, r => r.Name == "media-server-1-install");
            }
            else
            {
                var (message, declared) = await PulumiRun.Failure(config, isPreview: false);
                Assert.Equal(0, declared);
                Assert.StartsWith("Secrets missing for this site:\n  - portsip-infra:sshPrivateKey: nothing can log in to pbx01", message);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("SSH_AUTH_SOCK", before);
        }
    }

    [Fact]
    public async Task Up_lists_each_missing_secret_on_its_own_line()
    {
        var config = Sites.Prod();
        config.Remove(Sites.P + "portalPassword");
        config.Remove(Sites.P + "dataFlowToken");
        var (message, _) = await PulumiRun.Failure(config, isPreview: false);
        Assert.Contains("(it prompts for the value)\n  - portsip-infra:dataFlowToken: ", message);
        Assert.EndsWith("Set it with: pulumi config set --secret dataFlowToken\nNothing was deployed.", message);
    }

    [Fact]
    public void Data_Flow_needs_its_token()
    {
        var site = Site(new StackConfig { DisableDefaultServers = false, DataFlow = new DataFlowConfig { PrivateIp = "192.168.1.26", DataPath = "/d" } });
        var secrets = new SiteSecrets(Set, Set, Set, null);
        Assert.Equal(["dataFlowToken|dataflow.sh needs the token made in the Web Portal (Servers > Data Flow > Generate Token); the REST API has no call for it|pulumi config set --secret dataFlowToken"],
            Missing(secrets, site));
        Assert.Empty(Missing(secrets with { DataFlowToken = Set }, site));
    }
}
