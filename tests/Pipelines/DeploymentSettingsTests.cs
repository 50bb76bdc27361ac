using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Pipelines;

/// <summary>
/// Pulumi.&lt;stack&gt;.deploy.yaml (Pulumi Deployments settings) of every stack, checked against the JSON Schema of
/// the fields the project uses (schemas/pulumi-deployment-settings.schema.json, JsonSchema.Net), and the ESC
/// environment examples that supply each stack's secrets.
/// </summary>
public sealed class DeploymentSettingsTests
{
    private static readonly string Root = StackFile.RepositoryRoot;

    private static readonly string[] StackNames = Directory.GetFiles(Root, "Pulumi.*.yaml")
        .Select(f => Path.GetFileName(f)!)
        .Where(f => !f.EndsWith(".deploy.yaml", StringComparison.Ordinal))
        .Select(f => f["Pulumi.".Length..^".yaml".Length])
        .Order()
        .ToArray();

    public static TheoryData<string> Stacks() => new(StackNames);

    private static readonly JsonSchema Schema =
        JsonSchema.FromFile(Path.Combine(Root, "schemas", "pulumi-deployment-settings.schema.json"));

    private static EvaluationResults Validate(JsonNode? document) =>
        Schema.Evaluate(JsonSerializer.SerializeToElement(document), new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static string Problems(EvaluationResults results) => string.Join("\n", (results.Details ?? [])
        .Where(d => d.Errors is { Count: > 0 })
        .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    private static JsonNode DeployFile(string stack) =>
        YamlToJson.Load(Path.Combine(Root, $"Pulumi.{stack}.deploy.yaml"))!;

    [Fact]
    public void There_are_the_dev_and_prod_stacks() => Assert.Equal(["dev", "prod"], StackNames);

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Each_stack_s_deploy_file_follows_the_Deployments_settings_schema(string stack)
    {
        var results = Validate(DeployFile(stack));

        Assert.True(results.IsValid, Problems(results));
    }

    [Theory]
    [InlineData("agentPoolID", "agentPoolId")]
    [InlineData("preRunCommands", "preRunCommand")]
    [InlineData("repoURL", "repoUrl")]
    public void A_misspelt_field_is_refused_by_the_schema(string field, string misspelt)
    {
        var text = File.ReadAllText(Path.Combine(Root, "Pulumi.prod.deploy.yaml")).Replace($"{field}:", $"{misspelt}:");
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(text));

        var results = Validate(YamlToJson.Convert(stream.Documents[0].RootNode));

        Assert.False(results.IsValid);
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Each_stack_runs_on_a_customer_managed_pool_with_the_NET_steps_and_its_own_ESC_environment(string stack)
    {
        var settings = DeployFile(stack)["settings"]!;
        var preRun = settings["operationContext"]!["preRunCommands"]!.AsArray().Select(c => (string)c!).ToArray();

        Assert.False(string.IsNullOrWhiteSpace((string?)settings["agentPoolID"]));
        Assert.Contains(preRun, c => c.StartsWith("dotnet --list-sdks | grep -q '^10\\.'", StringComparison.Ordinal));
        Assert.Contains("dotnet restore PortsipInfra.csproj", preRun);
        Assert.Contains(
            $"grep -q '^environment:' Pulumi.{stack}.yaml || pulumi config env add portsip-infra/{stack} --stack {stack} --yes",
            preRun);
        Assert.Equal(".", (string?)settings["sourceContext"]!["git"]!["repoDir"]);
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void The_stack_file_shows_where_it_imports_its_ESC_environment(string stack)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, $"Pulumi.{stack}.yaml"));
        var at = Array.IndexOf(lines, "# environment:");

        Assert.True(at >= 0, $"Pulumi.{stack}.yaml has no '# environment:' line");
        Assert.Equal($"#   - portsip-infra/{stack}", lines[at + 1]);
        // Commented: a live import would stop infra/preview.sh, whose state is a local folder.
        Assert.DoesNotContain(lines, l => l.StartsWith("environment:", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void The_ESC_example_hands_every_secret_the_site_needs_to_the_stack_as_a_secret(string stack)
    {
        var env = YamlToJson.Load(Path.Combine(Root, "esc", $"portsip-{stack}.yaml"))!["values"]!;
        var pulumiConfig = env["pulumiConfig"]!.AsObject();
        var needed = new List<string> { SiteSecrets.SshPrivateKeyKey, SiteSecrets.PortalPasswordKey, SiteSecrets.ServerPasswordKey };
        if (StackFile.Load(stack).ContainsKey("portsip-infra:dataFlow"))
        {
            needed.Add(SiteSecrets.DataFlowTokenKey);
        }

        Assert.Equal(needed.Select(k => $"portsip-infra:{k}").Order(), pulumiConfig.Select(kv => kv.Key).Order());
        foreach (var key in needed)
        {
            Assert.Equal($"${{portsip.{key}}}", (string?)pulumiConfig[$"portsip-infra:{key}"]);
            Assert.NotNull(env["portsip"]![key]!["fn::secret"]);
        }
    }
}
