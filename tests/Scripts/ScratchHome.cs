using System.Diagnostics;
using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Scripts;

/// <summary>
/// A scratch folder that stands in for the SSH user's home on pbx01 or on a server, to run the scripts of
/// infra/Scripts/remote/ directly with sh (or bash), as a Remote.Command would run them, without Pulumi or SSH.
/// </summary>
public sealed class ScratchHome : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("portsip-scripts-").FullName;

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public string Read(string relative) => System.IO.File.ReadAllText(File(relative));

    public void Write(string relative, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(File(relative))!);
        System.IO.File.WriteAllText(File(relative), text);
    }

    /// <summary>Runs <paramref name="script"/> with <c>shell -c</c>, HOME set to this folder, stdin piped.</summary>
    public SshResult Run(string script, string? stdin = null, string shell = "/bin/sh", IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(shell)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.Environment["HOME"] = Path;
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            p.StandardInput.Write(stdin ?? "");
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // The script did not read its stdin.
        }
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{shell} -c ... did not finish");
        }
        p.WaitForExit();
        return new SshResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
