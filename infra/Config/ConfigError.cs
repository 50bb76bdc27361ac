namespace PortsipInfra;

/// <summary>One problem with the stack config: the key (with its path inside a structured value) and what is wrong.</summary>
public sealed record ConfigError(string Key, string Message)
{
    public override string ToString() => $"{Key}: {Message}";
}

/// <summary>
/// Thrown when the stack config cannot describe a site. Its message lists every problem found, each naming the
/// config key and the offending value, so the operator can fix them all in one go.
/// </summary>
public sealed class ConfigurationException(string projectName, IReadOnlyList<ConfigError> errors)
    : Exception(Format(projectName, errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;

    private static string Format(string projectName, IReadOnlyList<ConfigError> errors) =>
        $"The stack config has {errors.Count} problem{(errors.Count == 1 ? "" : "s")}; nothing was deployed:\n"
        + string.Join("\n", errors.Select(e => $"  - {projectName}:{e}"));
}
