using System.Diagnostics;

namespace PortsipInfra.Tests.Support;

public sealed record ShellResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs a program of this machine (bash, node, shellcheck) for the tests of the repository's scripts.</summary>
public static class ScriptRun
{
    public static readonly bool IsCi =
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static ShellResult Run(string program, IEnumerable<string> args, string workingDirectory,
        string? stdin = null, IReadOnlyDictionary<string, string?>? env = null, int timeoutSeconds = 120)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in env ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin ?? "");
        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        return new ShellResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The full path of a command on the PATH, or null.</summary>
    public static string? Which(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);

    /// <summary>Skips the test when a tool is missing, fails it instead when CI=true (CI installs them all).</summary>
    public static string RequireTool(string command, string why)
    {
        var path = Which(command);
        if (path is null)
        {
            Assert.False(IsCi, $"CI=true but {command} is missing ({why})");
            Skip.If(true, $"{command} is not installed ({why})");
        }
        return path!;
    }
}
