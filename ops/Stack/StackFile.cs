using YamlDotNet.RepresentationModel;

namespace PortsipInfra.Ops.Stack;

/// <summary>
/// One stack file (Pulumi.&lt;stack&gt;.yaml), its text as it is on disk, and the site it describes, checked by the
/// program's own <see cref="SiteValidator"/>.
/// </summary>
public sealed record StackFile(string Path, string Project, string Text, SiteTopology Site)
{
    public const string DefaultProject = "portsip-infra";

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>
    /// <paramref name="stack"/> is a stack name (prod: Pulumi.prod.yaml beside the Pulumi.yaml found from
    /// <paramref name="workingDirectory"/> upwards) or the path of a stack file.
    /// </summary>
    public static StackFile Load(string stack, string workingDirectory)
    {
        var path = Locate(stack, workingDirectory);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OpsError($"cannot read {path}: {e.Message}");
        }
        var project = ProjectName(System.IO.Path.GetDirectoryName(path)!);
        return FromText(path, project, text);
    }

    public static StackFile FromText(string path, string project, string text)
    {
        var name = System.IO.Path.GetFileName(path);
        var config = StackYaml.ConfigNode(StackYaml.Parse(text, name), name);
        var result = SiteValidator.Validate(StackConfigReader.Read(StackYaml.Values(config, project)));
        if (!result.IsValid)
        {
            var n = result.Errors.Count;
            throw new OpsError($"{name} has {n} problem{(n == 1 ? "" : "s")}:\n"
                + string.Join("\n", result.Errors.Select(e => $"  - {project}:{e}")));
        }
        return new StackFile(path, project, text, result.Topology!);
    }

    private static string Locate(string stack, string workingDirectory)
    {
        if (stack.EndsWith(".yaml", StringComparison.Ordinal) || stack.Contains('/'))
        {
            var file = System.IO.Path.GetFullPath(stack, workingDirectory);
            return File.Exists(file) ? file : throw new OpsError($"stack file {file} not found");
        }
        for (var dir = new DirectoryInfo(workingDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Pulumi.yaml")))
            {
                var file = System.IO.Path.Combine(dir.FullName, $"Pulumi.{stack}.yaml");
                return File.Exists(file) ? file : throw new OpsError($"stack '{stack}': {file} not found");
            }
        }
        throw new OpsError($"no Pulumi.yaml in {workingDirectory} or above: run from the project folder, or give the stack file's path to --stack");
    }

    /// <summary>The project's name (the prefix of every key) from Pulumi.yaml, when there is one beside the stack file.</summary>
    private static string ProjectName(string directory)
    {
        var project = System.IO.Path.Combine(directory, "Pulumi.yaml");
        if (!File.Exists(project))
        {
            return DefaultProject;
        }
        var yaml = StackYaml.Parse(File.ReadAllText(project), "Pulumi.yaml");
        return yaml.Documents.Count > 0 && yaml.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("name"), out var name) && name is YamlScalarNode { Value: { } value }
            ? value
            : DefaultProject;
    }
}
