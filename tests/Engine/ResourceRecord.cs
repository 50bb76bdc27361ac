using System.Collections.Immutable;
using System.Text.Json;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// One resource as the Pulumi engine receives its registration, and keeps it in the state after a successful
/// step: URN, type, name, parent, inputs (plain, secrets unwrapped, as the mocks receive them), and what the SDK
/// sends with it (pulumi-dotnet <c>sdk/Pulumi/Deployment/Deployment_Prepare.cs</c>): <see cref="DependsOn"/>
/// (explicit <c>DependsOn</c>, a component standing for all its custom descendants,
/// <c>GetAllTransitivelyReferencedResources</c>) and <see cref="PropertyDependencies"/> (per input, the resources
/// whose outputs flowed into it; an explicit DependsOn never appears there), and its aliases (the URNs it had before).
/// </summary>
public sealed record ResourceRecord(
    string Urn,
    string Type,
    string Name,
    string? Parent,
    bool Custom,
    ImmutableDictionary<string, object> Inputs,
    ImmutableArray<string> DependsOn,
    ImmutableDictionary<string, ImmutableArray<string>> PropertyDependencies,
    bool DeleteBeforeReplace = false,
    ImmutableArray<string> ReplaceOnChanges = default,
    bool Protect = false,
    ImmutableArray<string> Aliases = default)
{
    /// <summary>The URNs this resource had before (its <c>Aliases</c>, resolved as the engine resolves a name-only alias).</summary>
    public ImmutableArray<string> AliasUrns => Aliases.IsDefault ? [] : Aliases;

    /// <summary>The SDK's <c>dependencies</c>: every resource in DependsOn plus every one behind an input.</summary>
    public IEnumerable<string> Dependencies =>
        DependsOn.Concat(PropertyDependencies.Values.SelectMany(v => v)).Distinct();

    public string? Input(string key) => Inputs.TryGetValue(key, out var value) ? value as string : null;

    public IReadOnlyDictionary<string, object>? Map(string key) =>
        Inputs.TryGetValue(key, out var value) ? value as IReadOnlyDictionary<string, object> : null;

    /// <summary>The inputs as canonical text, to tell whether two registrations differ in one input.</summary>
    public string InputText(string key) => Inputs.TryGetValue(key, out var value) ? Canonical(value) : "<unset>";

    public ImmutableArray<string> ReplaceKeys => ReplaceOnChanges.IsDefault ? [] : ReplaceOnChanges;

    public override string ToString() => $"{Name} ({Type})";

    private static string Canonical(object? value) => JsonSerializer.Serialize(Plain(value));

    // Mocks receive numbers as double, lists as ImmutableArray<object>, objects as ImmutableDictionary, assets as
    // asset objects. Neither the stand-in nor the real SDK shows a FileAsset's path publicly, so every asset reads
    // the same here (the program uploads one file, see StepExecutor).
    private static object? Plain(object? value) => value switch
    {
        null => null,
        string or bool or double => value,
        Pulumi.AssetOrArchive asset => $"<{asset.GetType().Name}>",
        IReadOnlyDictionary<string, object> map => new SortedDictionary<string, object?>(map.ToDictionary(kv => kv.Key, kv => Plain(kv.Value)), StringComparer.Ordinal),
        System.Collections.IEnumerable list => list.Cast<object?>().Select(Plain).ToList(),
        _ => value.ToString(),
    };
}
