using System.Collections.Immutable;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>With <c>deployKey: true</c> the stack logs in to pbx01 with its own key, authorized there by the first run.</summary>
public class DeployKeyTests
{
    private static string? KeyOf(DeclaredResource command) =>
        ((ImmutableDictionary<string, object>)command.Inputs["connection"]).GetValueOrDefault("privateKey") as string;

    [Fact]
    public async Task The_first_run_authorizes_the_deploy_key_with_the_operators_key_and_everything_else_uses_it()
    {
        var run = await PulumiRun.Stack(Sites.ProdWith("deployKey", "true"));
        var authorize = run.Named("deploy-key-authorize");
        Assert.Equal(PulumiRun.FakePrivateKey, KeyOf(authorize));
        Assert.Equal($"restrict {PulumiRun.FakeDeployPublicKey} portsip-infra-deploy-key\n", authorize.Input("stdin"));
        Assert.Equal("ED25519", run.Named("deploy-key-key").Input("algorithm"));
        // The owner step comes first of all, before the deploy key is authorized: it logs in as the authorization does.
        Assert.Equal(PulumiRun.FakePrivateKey, KeyOf(run.Named("site-owner")));
        var others = run.Commands.Where(c => c.Name is not ("deploy-key-authorize" or "site-owner")).ToList();
        Assert.Equal(76, others.Count);
        Assert.All(others, c => Assert.Equal(PulumiRun.FakeDeployPrivateKey, KeyOf(c)));
        Assert.Equal($"{PulumiRun.FakeDeployPublicKey} portsip-infra-deploy-key", await PulumiRun.OutputValue(run.Stack.DeployPublicKey));
    }

    [Fact]
    public async Task Later_runs_need_no_personal_key()
    {
        var config = Sites.ProdWith("deployKey", "true");
        config.Remove(Sites.P + "sshPrivateKey");
        var run = await PulumiRun.Stack(config, isPreview: false);
        Assert.Equal(PulumiRun.FakeDeployPrivateKey, KeyOf(run.Named("deploy-key-authorize")));
    }

    [Fact]
    public async Task The_cluster_is_touched_only_after_pbx01_accepts_the_deploy_key()
    {
        var options = await OptionsRecorder.Record(Sites.ProdWith("deployKey", "true"));
        Assert.Equal(["deploy-key-authorize"], options["pbx-ha-upgrade"].DependsOn);
        Assert.True(options["deploy-key-key"].AdditionalSecretOutputs.Contains("privateKeyOpenssh"));
        var run = await PulumiRun.Stack(Sites.ProdWith("deployKey", "true"));
        Assert.True(ScriptText.Parse(run.Named("deploy-key-authorize").Input("create")!).IsFiles("key-file.sh", "deploy-key-authorize.sh"));
        Assert.True(ScriptText.Parse(run.Named("deploy-key-authorize").Input("delete")!).IsFiles("key-file.sh", "deploy-key-revoke.sh"));
    }

    [Fact]
    public async Task The_key_line_is_restricted_to_the_pipeline_runners_addresses()
    {
        var config = Sites.ProdWith("deployKey", "true");
        config[Sites.P + "deployKeyFrom"] = """["10.0.0.5", "10.0.0.6", "10.20.0.0/16"]""";
        var run = await PulumiRun.Stack(config);
        var authorize = run.Named("deploy-key-authorize");
        var line = $"restrict,from=\"10.0.0.5,10.0.0.6,10.20.0.0/16\" {PulumiRun.FakeDeployPublicKey} portsip-infra-deploy-key";
        Assert.Equal(line + "\n", authorize.Input("stdin"));
        // Another line replaces the step: the new line is added, then the old step's delete takes off exactly its own.
        Assert.Equal([line], ((ImmutableArray<object>)authorize.Inputs["triggers"]).Select(t => t as string));
        var options = await OptionsRecorder.Record(config);
        Assert.Contains("triggers", options["deploy-key-authorize"].ReplaceOnChanges);
        Assert.False(options["deploy-key-authorize"].DeleteBeforeReplace);
        // The stack output stays the bare public key, for anyone who authorizes it by hand.
        Assert.Equal($"{PulumiRun.FakeDeployPublicKey} portsip-infra-deploy-key", await PulumiRun.OutputValue(run.Stack.DeployPublicKey));
    }

    [Theory]
    [InlineData("""["10.0.0.5"]""", "restrict,from=\"10.0.0.5\" ssh-ed25519 AAAA k")]
    [InlineData("[]", "restrict ssh-ed25519 AAAA k")]
    public void The_line_is_the_OpenSSH_options_then_the_key(string from, string expected)
    {
        var sources = System.Text.Json.JsonSerializer.Deserialize<string[]>(from)!;
        Assert.Equal(expected, PortsipInfra.Components.DeployKey.AuthorizedKeysLine("ssh-ed25519 AAAA k", sources));
    }

    [Theory]
    [InlineData("""["10.0.0.300"]""", "portsip-infra:deployKeyFrom[0]: '10.0.0.300' is not an IPv4 address")]
    [InlineData("""["10.0.0.5", "runner.example.net"]""", "portsip-infra:deployKeyFrom[1]: 'runner.example.net' is not an IPv4 address")]
    [InlineData("""["10.0.0.5/24"]""", "portsip-infra:deployKeyFrom[0]: '10.0.0.5/24' has host bits set after the /24: the network is 10.0.0.0/24")]
    [InlineData("""["10.0.0.0/33"]""", "portsip-infra:deployKeyFrom[0]: '10.0.0.0/33' has no valid prefix length (8 to 32 after the /)")]
    [InlineData("""["10.0.0.0/"]""", "portsip-infra:deployKeyFrom[0]: '10.0.0.0/' has no valid prefix length")]
    [InlineData("""["10.0.0.5\",command=\"sh"]""", "portsip-infra:deployKeyFrom[0]: '10.0.0.5\",command=\"sh' is not an IPv4 address")]
    [InlineData("""[""]""", "portsip-infra:deployKeyFrom[0]: '' is empty")]
    [InlineData("\"10.0.0.5\"", "portsip-infra:deployKeyFrom: ")]
    public async Task Bad_runner_addresses_are_refused_with_key_and_value(string from, string expected)
    {
        var config = Sites.ProdWith("deployKey", "true");
        config[Sites.P + "deployKeyFrom"] = from;
        var (message, declared) = await PulumiRun.Failure(config);
        Assert.Equal(0, declared);
        Assert.Contains(expected, message);
    }

    [Fact]
    public async Task Runner_addresses_without_a_deploy_key_are_refused()
    {
        var (message, _) = await PulumiRun.Failure(Sites.ProdWith("deployKeyFrom", """["10.0.0.5"]"""));
        Assert.Contains("portsip-infra:deployKeyFrom: is set, but deployKey is not true", message);
    }
}
