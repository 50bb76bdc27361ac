using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Pipelines;

/// <summary>
/// infra/preview.sh on a fresh workstation: with no Pulumi CLI it installs the pinned one into .pulumi-cli/ after
/// checking its SHA-256, and it names the .NET SDK that is missing. Each test runs a copy of the script in a folder
/// of its own, with a PATH of chosen tools only; the download reads a fake tarball made here (file://), since no
/// test may reach the Internet, and the fake "pulumi" records how it was called.
/// </summary>
public sealed class PreviewScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(StackFile.RepositoryRoot, "infra", "preview.sh");

    // What the script itself needs (coreutils, tar, curl); dotnet is added per test.
    private static readonly string[] Tools =
        ["bash", "env", "dirname", "mkdir", "tar", "gzip", "sha256sum", "curl", "cp", "mv", "rm", "grep", "uname",
         "cat", "mktemp", "cut", "paste", "sh", "chmod"];

    private readonly string _root = Directory.CreateTempSubdirectory("preview-sh-").FullName;

    private string Workstation => Path.Combine(_root, "project");
    private string ToolsDir => Path.Combine(_root, "tools");
    private string CallsLog => Path.Combine(_root, "pulumi-calls.log");
    private string InstalledCli => Path.Combine(Workstation, ".pulumi-cli", $"v{PinnedVersion}", "pulumi");

    public PreviewScriptTests()
    {
        Directory.CreateDirectory(Path.Combine(Workstation, "infra"));
        File.Copy(Script, Path.Combine(Workstation, "infra", "preview.sh"));
        File.WriteAllText(Path.Combine(Workstation, "Pulumi.dev.yaml"), "config:\n  portsip-infra:pbx01: 10.10.0.11\n");
        Directory.CreateDirectory(ToolsDir);
        foreach (var tool in Tools)
        {
            var path = ScriptRun.Which(tool) ?? throw new InvalidOperationException($"{tool} is not on this machine");
            File.CreateSymbolicLink(Path.Combine(ToolsDir, tool), path);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static string PinnedVersion =>
        Regex.Match(File.ReadAllText(Script), @"^pulumi_cli_version=(\S+)$", RegexOptions.Multiline).Groups[1].Value;

    private static string Platform =>
        (RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "darwin" : "linux") + "-" +
        (RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64");

    /// <summary>A tarball laid out as Pulumi's (pulumi/pulumi, ...) whose pulumi logs its arguments; its SHA-256.</summary>
    private string MakeFakeTarball()
    {
        var content = Path.Combine(_root, "fake", "pulumi");
        Directory.CreateDirectory(content);
        var fake = Path.Combine(content, "pulumi");
        File.WriteAllText(fake, $"#!/bin/sh\necho \"$*\" >> '{CallsLog}'\n");
        MakeExecutable(fake);
        File.WriteAllText(Path.Combine(content, "pulumi-language-dotnet"), "not used");
        var tarball = Path.Combine(_root, "mirror", $"pulumi-v{PinnedVersion}-{Platform}.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(tarball)!);
        var tar = ScriptRun.Run("tar", ["-czf", tarball, "-C", Path.Combine(_root, "fake"), "pulumi"], _root);
        Assert.True(tar.ExitCode == 0, tar.ToString());
        return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(tarball)));
    }

    /// <summary>The copy's pinned checksums replaced with <paramref name="sha256"/>, as a maintainer bumping the pin does.</summary>
    private void PinChecksum(string sha256)
    {
        var copy = Path.Combine(Workstation, "infra", "preview.sh");
        var text = File.ReadAllText(copy);
        var pins = new Regex(@"(\) echo )[0-9a-f]{64}( ;;)");
        Assert.Equal(4, pins.Matches(text).Count);
        File.WriteAllText(copy, pins.Replace(text, "${1}" + sha256 + "${2}"));
    }

    private void AddTool(string name, string script)
    {
        var path = Path.Combine(ToolsDir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        MakeExecutable(path);
    }

    private void MakeExecutable(string path)
    {
        var chmod = ScriptRun.Run("chmod", ["755", path], _root);
        Assert.True(chmod.ExitCode == 0, chmod.ToString());
    }

    private void AddRealDotnet() => File.CreateSymbolicLink(Path.Combine(ToolsDir, "dotnet"),
        ScriptRun.Which("dotnet") ?? throw new InvalidOperationException("dotnet is not on the PATH"));

    private ShellResult RunPreview(string stack = "dev") =>
        ScriptRun.Run(Path.Combine(ToolsDir, "bash"), [Path.Combine(Workstation, "infra", "preview.sh"), stack], Workstation,
            env: new Dictionary<string, string?>
            {
                ["PATH"] = ToolsDir,
                ["PULUMI_CLI_BASE_URL"] = "file://" + Path.Combine(_root, "mirror"),
                ["PULUMI_BACKEND_URL"] = null,
                ["PULUMI_CONFIG_PASSPHRASE"] = null,
                ["PULUMI_CONFIG_PASSPHRASE_FILE"] = null,
                ["HOME"] = _root,
            });

    private string[] PulumiCalls => File.Exists(CallsLog) ? File.ReadAllLines(CallsLog) : [];

    [Fact]
    public void Without_a_Pulumi_CLI_it_installs_the_pinned_one_into_the_project_and_previews_with_it()
    {
        PinChecksum(MakeFakeTarball());
        AddRealDotnet();

        var run = RunPreview();

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(InstalledCli), run.ToString());
        Assert.Contains($"installing Pulumi CLI {PinnedVersion} into .pulumi-cli/", run.Stderr);
        Assert.Contains("checksum verified", run.Stderr);
        Assert.Contains("preview --stack dev --diff", PulumiCalls);
        // Nothing is left of the download beside the installed CLI.
        Assert.Equal([$"v{PinnedVersion}"], Directory.GetFileSystemEntries(Path.Combine(Workstation, ".pulumi-cli"))
            .Select(p => Path.GetFileName(p)!).ToArray());
    }

    [Fact]
    public void A_CLI_installed_before_is_used_again_without_a_new_download()
    {
        PinChecksum(MakeFakeTarball());
        AddRealDotnet();
        Assert.Equal(0, RunPreview().ExitCode);
        Directory.Delete(Path.Combine(_root, "mirror"), recursive: true);

        var again = RunPreview();

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("installing", again.Stderr);
        Assert.Equal(2, PulumiCalls.Count(c => c == "preview --stack dev --diff"));
    }

    [Fact]
    public void A_tarball_whose_checksum_is_not_the_pinned_one_is_refused_and_nothing_is_installed()
    {
        var actual = MakeFakeTarball(); // the script keeps its real pins: the fake cannot match them
        AddRealDotnet();

        var run = RunPreview();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"its SHA-256 is {actual}, not the pinned", run.Stderr);
        Assert.Contains("Nothing was installed", run.Stderr);
        Assert.False(Directory.Exists(Path.GetDirectoryName(InstalledCli)), "the refused CLI was installed");
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Workstation, ".pulumi-cli")));
        Assert.Empty(PulumiCalls);
    }

    [Fact]
    public void A_failed_download_says_how_to_go_on_and_installs_nothing()
    {
        AddRealDotnet(); // and no tarball in the mirror

        var run = RunPreview();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Could not download file://", run.Stderr);
        Assert.Contains("Set PULUMI_CLI_BASE_URL to a mirror", run.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Workstation, ".pulumi-cli")));
        Assert.Empty(PulumiCalls);
    }

    [Fact]
    public void Without_dotnet_it_names_the_missing_NET_10_SDK_and_how_to_get_it_and_runs_nothing()
    {
        AddTool("pulumi", $"echo \"$*\" >> '{CallsLog}'");

        var run = RunPreview();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The .NET 10 SDK is missing: there is no dotnet command", run.Stderr);
        Assert.Contains("https://dotnet.microsoft.com/download/dotnet/10.0", run.Stderr);
        Assert.Contains("dotnet-install.sh --channel 10.0", run.Stderr);
        Assert.Empty(PulumiCalls);
    }

    [Fact]
    public void With_only_other_NET_SDKs_it_says_which_ones_it_found()
    {
        AddTool("pulumi", $"echo \"$*\" >> '{CallsLog}'");
        AddTool("dotnet", "[ \"$1\" = --list-sdks ] && printf '8.0.404 [/usr/share/dotnet/sdk]\\n9.0.101 [/usr/share/dotnet/sdk]\\n'");

        var run = RunPreview();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The .NET 10 SDK is missing: dotnet has only 8.0.404 9.0.101", run.Stderr);
        Assert.Empty(PulumiCalls);
    }

    [Fact]
    public void A_stack_file_importing_ESC_environments_is_not_previewed_against_the_local_state()
    {
        AddTool("pulumi", $"echo \"$*\" >> '{CallsLog}'");
        AddRealDotnet();
        File.AppendAllText(Path.Combine(Workstation, "Pulumi.dev.yaml"), "environment:\n  - portsip-infra/dev\n");

        var run = RunPreview();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("imports Pulumi ESC environments", run.Stderr);
        Assert.Contains("PULUMI_BACKEND_URL=https://api.pulumi.com infra/preview.sh dev", run.Stderr);
        Assert.Empty(PulumiCalls);
    }

    [Fact]
    public void The_pins_are_one_version_and_four_SHA_256_sums()
    {
        var text = File.ReadAllText(Script);
        Assert.Matches(@"^\d+\.\d+\.\d+$", PinnedVersion);
        var sums = Regex.Matches(text, @"(linux-x64|linux-arm64|darwin-x64|darwin-arm64)\) echo ([0-9a-f]{64}) ;;");
        Assert.Equal(["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"], sums.Select(m => m.Groups[1].Value));
        Assert.Equal(4, sums.Select(m => m.Groups[2].Value).Distinct().Count());
    }

    [SkippableTheory]
    [InlineData("infra/preview.sh")]
    [InlineData(".github/scripts/changed-sites.sh")]
    [InlineData(".ci/run")]
    public void The_scripts_pass_shellcheck(string script)
    {
        var shellcheck = ScriptRun.RequireTool("shellcheck", "lints the project's shell scripts");

        var run = ScriptRun.Run(shellcheck, [script], StackFile.RepositoryRoot);

        Assert.True(run.ExitCode == 0, run.ToString());
    }
}
