using PortsipInfra.Ops;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Ops;

/// <summary>What one run of the ops program gave: exit status, stdout, stderr.</summary>
public sealed record OpsResult(int Exit, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {Exit}\n--- stdout:\n{Stdout}--- stderr:\n{Stderr}";
}

/// <summary>
/// A project folder of its own (Pulumi.yaml and one stack file) in which the ops program runs in-process, with an
/// environment of the test's choosing (HOME is the folder, so no personal key or known_hosts is ever used).
/// </summary>
public sealed class OpsProject : IDisposable
{
    public OpsProject(string stackText, string stack = "sim")
    {
        Dir = Directory.CreateTempSubdirectory("ops-test-").FullName;
        File.Copy(Path.Combine(StackFile.RepositoryRoot, "Pulumi.yaml"), Path.Combine(Dir, "Pulumi.yaml"));
        StackPath = Path.Combine(Dir, $"Pulumi.{stack}.yaml");
        File.WriteAllText(StackPath, stackText);
    }

    public string Dir { get; }

    public string StackPath { get; }

    public string StackText
    {
        get => File.ReadAllText(StackPath);
        set => File.WriteAllText(StackPath, value);
    }

    public Dictionary<string, string> Environment { get; } = new();

    public OpsResult Run(params string[] args)
    {
        var env = new Dictionary<string, string>(Environment) { ["HOME"] = Dir };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = OpsProgram.Run(args, stdout, stderr, name => env.GetValueOrDefault(name), Dir);
        return new OpsResult(exit, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
