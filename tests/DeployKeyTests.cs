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
        Assert.Equal($"{PulumiRun.FakeDeployPublicKey} portsip-infra-deploy-key\n", authorize.Input("stdin"));
        Assert.Equal("ED25519", run.Named("deploy-key-key").Input("algorithm"));
        var others = run.Commands.Where(c => c.Name != "deploy-key-authorize").ToList();
        Assert.Equal(46, others.Count);
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
}
