using System.Text.Json;

namespace PortsipInfra;

/// <summary>
/// Which keys the stack config sets. Pulumi's <c>Config</c> only answers for a key it is asked about, so an unknown
/// key would go unnoticed; the keys themselves come from the environment variable PULUMI_CONFIG, a JSON object of
/// "project:key" to text that the Pulumi language host hands to the program and that the SDK's own config reads
/// (Deployment's config, "project:config:key" read as "project:key"). PULUMI_CONFIG_SECRET_KEYS lists the secret ones.
/// </summary>
public static class PulumiConfigEnvironment
{
    public const string ConfigVariable = "PULUMI_CONFIG";
    public const string SecretKeysVariable = "PULUMI_CONFIG_SECRET_KEYS";

    /// <summary>The keys of <paramref name="project"/>'s namespace, without the "project:" prefix.</summary>
    public static IReadOnlySet<string> KeysOf(string project) =>
        InProject(project, Parse<Dictionary<string, JsonElement>>(ConfigVariable)?.Keys.ToArray() ?? []);

    public static IReadOnlySet<string> SecretKeysOf(string project) =>
        InProject(project, Parse<string[]>(SecretKeysVariable) ?? []);

    /// <summary>"portsip-infra:sshPort" and "portsip-infra:config:sshPort" are both sshPort; other namespaces are left out.</summary>
    public static IReadOnlySet<string> InProject(string project, IEnumerable<string> fullKeys)
    {
        var prefix = project + ":";
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var full in fullKeys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var key = full[prefix.Length..];
            keys.Add(key.StartsWith("config:", StringComparison.Ordinal) ? key["config:".Length..] : key);
        }
        return keys;
    }

    private static T? Parse<T>(string variable) where T : class
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (text is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(text);
        }
        catch (JsonException)
        {
            return null; // the SDK reports a malformed PULUMI_CONFIG itself
        }
    }
}
