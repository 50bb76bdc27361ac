using PortsipInfra.Tests.OverSsh;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Scripts;

/// <summary>
/// Every shell script of the repository passes shellcheck (settings: .shellcheckrc; a warning is waived only by a
/// directive with a comment saying why). Without shellcheck the test is skipped, with CI=true it fails.
/// </summary>
public class ShellcheckTests
{
    private static string Root => StackFile.RepositoryRoot;

    /// <summary>infra/Scripts/remote/*.sh, infra/preview.sh, tests/hosts/**/*.sh and .ci/run, relative to the root.</summary>
    public static IReadOnlyList<string> ShellScripts() =>
        Directory.EnumerateFiles(Root, "*.sh", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or "node_modules" || part.StartsWith('.')))
            .Append(".ci/run")
            .Order(StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string> Files() => [.. ShellScripts()];

    private static string? Shellcheck() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(d => Path.Combine(d, "shellcheck")).FirstOrDefault(File.Exists);

    [Fact]
    public void The_scripts_checked_include_every_kind()
    {
        var files = ShellScripts();
        Assert.Contains("infra/Scripts/remote/install.sh", files);
        Assert.Contains("infra/preview.sh", files);
        Assert.Contains("tests/hosts/start-hosts.sh", files);
        Assert.Contains("tests/hosts/guide/extend.sh", files);
        Assert.Contains(".ci/run", files);
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Shellcheck_passes(string file)
    {
        var shellcheck = Shellcheck();
        if (shellcheck is null)
        {
            Assert.False(SimulatedHosts.IsCi, "CI=true but shellcheck is missing: apt-get install -y shellcheck (.ci/run does)");
            Skip.If(true, "shellcheck is not installed (apt-get install -y shellcheck)");
        }
        var result = SimulatedHosts.Run(shellcheck!, ["--format=gcc", Path.Combine(Root, file)], null, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"shellcheck {file}:\n{result.Stdout}{result.Stderr}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_script_says_which_shell_it_is_written_for(string file)
    {
        var text = File.ReadAllText(Path.Combine(Root, file));
        Assert.True(text.StartsWith("#!/bin/sh\n") || text.StartsWith("#!/bin/bash\n") || text.StartsWith("#!/usr/bin/env bash\n")
            || text.Contains("# shellcheck shell=sh\n") || text.Contains("# shellcheck shell=bash\n"), $"{file}: no shebang or shell directive");
    }
}
