using System.Collections.Immutable;
using System.Reflection;
using Pulumi;
using Pulumi.Testing;
using Pulumi.Utilities;
using PortsipInfra.Components;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// Runs the program for `pulumi up` (IsPreview = false) under the mocked engine of <see cref="PulumiRun"/> and
/// records every registration as the engine would receive it (<see cref="ResourceRecord"/>), in registration
/// order.
/// <para>
/// How each part is found, with the stand-in's public API only:
/// inputs are what the Moq mocks receive (<see cref="MockResourceArgs.Inputs"/>); the URN is
/// <see cref="Resource.Urn"/>; parent, DependsOn, DeleteBeforeReplace, ReplaceOnChanges and Protect are read from
/// the options a <see cref="ResourceTransformation"/> on the <see cref="Site"/> sees (as <see cref="OptionsRecorder"/>
/// does; transformations reach every descendant); property dependencies are
/// <see cref="OutputUtilities.GetDependenciesAsync{T}"/> of each <c>Input</c> property of the args the
/// transformation sees, after the run (when every output is resolved), also walking nested input args (the
/// connection) so that an output inside one counts for the top-level input, as the SDK's serializer does.
/// </para>
/// <para>
/// The program is the one <see cref="SiteStack"/> builds: the same reading, validation, secrets and <see cref="Site"/>
/// component, under a test stack instead of SiteStack (whose constructor takes no transformation).
/// </para>
/// </summary>
public static class ProgramRecorder
{
    public static async Task<IReadOnlyList<ResourceRecord>> Record(IReadOnlyDictionary<string, string> config, string stack = "test")
    {
        var inputs = new Dictionary<(string Type, string Name), ImmutableDictionary<string, object>>();
        var registrationOrder = new List<(string Type, string Name)>();
        var mocks = PulumiRun.Mocks(args =>
        {
            inputs[(args.Type!, args.Name!)] = args.Inputs;
            registrationOrder.Add((args.Type!, args.Name!));
        }, stack);
        var seen = new List<(Resource Resource, ResourceArgs? Args, ResourceOptions Options)>();
        var test = new TestOptions { ProjectName = PulumiRun.Project, StackName = stack, IsPreview = false };
        var resources = await PulumiRun.WithConfig(config, () => Deployment.TestAsync(mocks, test, () =>
        {
            var pulumiConfig = new Config();
            var result = SiteValidator.Validate(StackConfigReader.Read(pulumiConfig, PulumiRun.Project));
            if (result.Topology is not { } site)
            {
                throw new RunException(new ConfigurationException(PulumiRun.Project, result.Errors).Message);
            }
            var secrets = SiteSecrets.Read(pulumiConfig, site, PulumiRun.Project, Deployment.Instance.IsDryRun);
            _ = new Site("site", site, secrets, new ComponentResourceOptions
            {
                ResourceTransformations =
                {
                    args =>
                    {
                        lock (seen)
                        {
                            seen.Add((args.Resource, args.Args, args.Options));
                        }
                        return null;
                    },
                },
            });
        }));

        var urns = new Dictionary<Resource, string>((IEqualityComparer<Resource>)ReferenceEqualityComparer.Instance);
        foreach (var resource in resources)
        {
            urns[resource] = await OutputUtilities.GetValueAsync(resource.Urn);
        }
        var options = seen.ToDictionary(s => s.Resource, s => (s.Args, s.Options), (IEqualityComparer<Resource>)ReferenceEqualityComparer.Instance);
        var byKey = resources.ToDictionary(r => (r.GetResourceType(), r.GetResourceName()));
        Resource? ParentOf(Resource r) => options.TryGetValue(r, out var o) ? o.Options.Parent : null;

        // A component in a dependency stands for every custom resource below it (Deployment_Prepare.cs,
        // GetAllTransitivelyReferencedResources).
        IEnumerable<string> Expand(Resource r) => r is CustomResource
            ? [urns[r]]
            : resources.Where(c => c is CustomResource && IsBelow(c, r)).Select(c => urns[c]);
        bool IsBelow(Resource child, Resource ancestor)
        {
            for (var p = ParentOf(child); p is not null; p = ParentOf(p))
            {
                if (ReferenceEquals(p, ancestor))
                {
                    return true;
                }
            }
            return false;
        }

        var records = new List<ResourceRecord>();
        foreach (var key in registrationOrder)
        {
            var resource = byKey[key];
            var (args, opts) = options.TryGetValue(resource, out var o) ? o : (null, new ComponentResourceOptions());
            var dependsOn = new List<string>();
            await foreach (var dependency in opts.DependsOn)
            {
                dependsOn.AddRange(Expand(await OutputUtilities.GetValueAsync(dependency.ToOutput())));
            }
            var propertyDependencies = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>();
            foreach (var (name, input) in InputProperties(args))
            {
                var found = await DependenciesOf(input);
                if (found.Count > 0)
                {
                    propertyDependencies[name] = [.. found.SelectMany(Expand).Distinct().Order()];
                }
            }
            // A name-only Alias is the same URN with the old name (the parent's type chain is in the URN, not its name).
            var aliases = new List<string>();
            foreach (var alias in opts.Aliases)
            {
                var spec = await OutputUtilities.GetValueAsync(alias.ToOutput());
                if (spec.Name is { } aliasName)
                {
                    var urn = urns[resource];
                    aliases.Add(urn[..(urn.LastIndexOf("::", StringComparison.Ordinal) + 2)] + await OutputUtilities.GetValueAsync(aliasName.ToOutput()));
                }
            }
            var custom = opts as CustomResourceOptions;
            var parent = ParentOf(resource);
            records.Add(new ResourceRecord(
                urns[resource], key.Type, key.Name, parent is null ? null : urns[parent], resource is CustomResource,
                inputs[key], [.. dependsOn.Distinct().Order()], propertyDependencies.ToImmutable(),
                custom?.DeleteBeforeReplace ?? false, [.. opts.ReplaceOnChanges], opts.Protect ?? false, [.. aliases]));
        }
        return records;
    }

    /// <summary>The <c>Input</c> properties of resource args, under the names the engine sees (the [Input] name).</summary>
    private static IEnumerable<(string Name, object Input)> InputProperties(ResourceArgs? args)
    {
        if (args is null)
        {
            yield break;
        }
        foreach (var property in args.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && InputType(property.PropertyType) is not null
                && property.GetValue(args) is { } value)
            {
                yield return (InputName(property), value);
            }
        }
    }

    // [Input("name")] sits on the property, or (lists and maps) on its backing field; the names are camelCase.
    private static string InputName(PropertyInfo property)
    {
        var attribute = property.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(InputAttribute));
        return attribute?.ConstructorArguments.FirstOrDefault().Value as string
            ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
    }

    private static Type? InputType(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Input<>))
            {
                return t.GetGenericArguments()[0];
            }
        }
        return null;
    }

    private static readonly MethodInfo ToOutput = typeof(InputExtensions).GetMethod(nameof(InputExtensions.ToOutput))!;
    private static readonly MethodInfo GetDependencies = typeof(OutputUtilities).GetMethod(nameof(OutputUtilities.GetDependenciesAsync))!;
    private static readonly MethodInfo GetValue = typeof(OutputUtilities).GetMethod(nameof(OutputUtilities.GetValueAsync))!;

    /// <summary>The resources whose outputs flowed into <paramref name="input"/>, also through nested input args.</summary>
    private static async Task<ImmutableHashSet<Resource>> DependenciesOf(object input)
    {
        var t = InputType(input.GetType())!;
        var output = ToOutput.MakeGenericMethod(t).Invoke(null, [input])!;
        var found = await Await<ImmutableHashSet<Resource>>(GetDependencies.MakeGenericMethod(t).Invoke(null, [output])!);
        var value = await Await<object?>(GetValue.MakeGenericMethod(t).Invoke(null, [output])!);
        if (value is InputArgs nested)
        {
            foreach (var property in nested.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (InputType(property.PropertyType) is not null && property.GetValue(nested) is { } inner)
                {
                    found = found.Union(await DependenciesOf(inner));
                }
            }
        }
        return found;
    }

    private static async Task<T> Await<T>(object task)
    {
        await (Task)task;
        return (T)task.GetType().GetProperty("Result")!.GetValue(task)!;
    }
}
