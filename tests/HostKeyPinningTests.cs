using System.Collections.Immutable;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// `pulumi up` connects to pbx01 (and a bastion) only with a pinned host key, unless the stack opts in with
/// <c>trustPbx01OnFirstUse: true</c>; a preview works without it and says what to set.
/// </summary>
public class HostKeyPinningTests
{
    private const string BastionKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBastionHostKeyForTestsOnly00000000000000000";

    [Fact]
    public async Task Up_without_pbx01s_host_key_is_refused_naming_the_key_and_how_to_set_it()
    {
        var (message, declared) = await PulumiRun.Failure(Sites.ProdWithout("pbx01HostKey"), isPreview: false);
        Assert.Equal(0, declared);
        Assert.Contains("Host keys missing for this site:\n  - portsip-infra:pbx01HostKey: without it the SSH connection to pbx01 (192.168.1.131) accepts any host key", message);
        Assert.Contains("`ops keyscan --stack test --write`", message);
        Assert.Contains("pulumi config set pbx01HostKey \"$(ssh-keyscan -t ed25519 192.168.1.131 | cut -d' ' -f2-)\" --stack test", message);
        Assert.Contains("trustPbx01OnFirstUse: true", message);
        Assert.Contains("Nothing was deployed.", message);
        Assert.DoesNotContain("bastionHostKey", message);
    }

    [Fact]
    public async Task A_preview_without_it_shows_the_plan_and_the_warning_says_what_to_set()
    {
        var run = await PulumiRun.Stack(Sites.ProdWithout("pbx01HostKey"), isPreview: true);
        Assert.Contains(run.Declared, r => r.Name == "media-server-1-install");
        var site = SiteValidator.Validate(new StackConfig { Pbx01 = "192.168.1.131", VirtualIp = "192.168.1.130", SshPort = 2222 }).Topology!;
        var warning = BeforeUp.Message("Host keys missing for this site", Pbx01HostKeys.Missing(site, "prod"), "portsip-infra", isPreview: true)!;
        Assert.Contains("portsip-infra:pbx01HostKey: without it", warning);
        Assert.Contains("ssh-keyscan -t ed25519 -p 2222 192.168.1.131", warning);
        Assert.Contains("`pulumi up` will stop here", warning);
    }

    [Fact]
    public async Task A_stack_that_opts_in_may_run_up_unpinned()
    {
        var config = Sites.ProdWithout("pbx01HostKey");
        config[Sites.P + "trustPbx01OnFirstUse"] = "true";
        var run = await PulumiRun.Stack(config, isPreview: false);
        Assert.All(run.Commands, c => Assert.False(((ImmutableDictionary<string, object>)c.Inputs["connection"]).ContainsKey("hostKey")));
    }

    [Fact]
    public async Task The_lab_stack_opts_in_and_prod_does_not()
    {
        Assert.Equal("true", StackFile.Load("dev")[Sites.P + "trustPbx01OnFirstUse"]);
        var dev = StackFile.Load("dev").WithSecrets();
        Assert.False(dev.ContainsKey(Sites.P + "pbx01HostKey"));
        Assert.NotEmpty((await PulumiRun.Stack(dev, isPreview: false)).Commands);

        var prod = StackFile.Load("prod");
        Assert.False(prod.ContainsKey(Sites.P + "trustPbx01OnFirstUse"));
        Assert.False(prod.ContainsKey(Sites.P + "pbx01HostKey"));
    }

    [Fact]
    public async Task With_a_bastion_up_also_needs_the_bastions_host_key()
    {
        var config = Sites.ProdWith("bastionHost", "jump.example.net");
        var (message, declared) = await PulumiRun.Failure(config, isPreview: false);
        Assert.Equal(0, declared);
        Assert.Contains("  - portsip-infra:bastionHostKey: without it the SSH connection to the bastion jump.example.net accepts any host key", message);
        Assert.Contains("pulumi config set bastionHostKey \"$(ssh-keyscan -t ed25519 jump.example.net | cut -d' ' -f2-)\"", message);
        Assert.DoesNotContain("pbx01HostKey:", message);

        config[Sites.P + "bastionHostKey"] = BastionKey;
        Assert.NotEmpty((await PulumiRun.Stack(config, isPreview: false)).Commands);

        var optedIn = Sites.ProdWith("bastionHost", "jump.example.net");
        optedIn.Remove(Sites.P + "pbx01HostKey");
        optedIn[Sites.P + "trustPbx01OnFirstUse"] = "true";
        Assert.NotEmpty((await PulumiRun.Stack(optedIn, isPreview: false)).Commands);
    }

    [Fact]
    public async Task A_wrong_type_for_the_opt_in_is_a_config_error()
    {
        var (message, _) = await PulumiRun.Failure(Sites.ProdWith("trustPbx01OnFirstUse", "yes"));
        Assert.Contains("portsip-infra:trustPbx01OnFirstUse: 'yes' is not true or false", message);
    }
}
