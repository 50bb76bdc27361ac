using Pulumi;
using Pulumi.Testing;
using PortsipInfra.Components;

namespace PortsipInfra.Tests.Support;

/// <summary>
/// The options a resource was declared with, as names: what it depends on, protection, replacement. Every command
/// but the owner step waits for the owner step (<see cref="SiteOwnership"/>): that is <see cref="WaitsForOwner"/>, and
/// <see cref="DependsOn"/> lists the other dependencies.
/// </summary>
public sealed record DeclaredOptions(string Name, string Type, string[] DependsOn, bool Protect, bool DeleteBeforeReplace,
    string[] ReplaceOnChanges, string[] AdditionalSecretOutputs, bool? StdinIsSecret, bool? ConnectionKeyIsSecret)
{
    public bool WaitsForOwner { get; init; }
}

/// <summary>
/// Builds the <see cref="Site"/> from a stack config with a resource transformation that records every child's
/// options. The mocked engine does not see options (dependsOn, protect, replaceOnChanges), the transformation does.
/// </summary>
public static class OptionsRecorder
{
    public static async Task<IReadOnlyDictionary<string, DeclaredOptions>> Record(IReadOnlyDictionary<string, string> config)
    {
        var recorded = new List<(Resource Resource, ResourceArgs? Args, ResourceOptions Options)>();
        var test = new TestOptions { ProjectName = PulumiRun.Project, IsPreview = false };
        await PulumiRun.WithConfig(config, () => Deployment.TestAsync(PulumiRun.Mocks(), test, () =>
        {
            var config = new Config();
            var site = SiteValidator.Validate(StackConfigReader.Read(config, PulumiRun.Project)).Topology!;
            var secrets = SiteSecrets.Read(config, site, PulumiRun.Project, isPreview: true);
            _ = new Site("site", site, secrets, new ComponentResourceOptions
            {
                ResourceTransformations =
                {
                    args =>
                    {
                        lock (recorded)
                        {
                            recorded.Add((args.Resource, args.Args, args.Options));
                        }
                        return null;
                    },
                },
            });
        }));

        var result = new Dictionary<string, DeclaredOptions>();
        foreach (var (resource, args, options) in recorded)
        {
            bool? stdinIsSecret = null, keyIsSecret = null;
            if (args is Pulumi.Command.Remote.CommandArgs command)
            {
                stdinIsSecret = command.Stdin is null ? null : await Output.IsSecretAsync(command.Stdin.ToOutput());
                keyIsSecret = await KeyIsSecret(command.Connection);
            }
            else if (args is Pulumi.Command.Remote.CopyToRemoteArgs copy)
            {
                keyIsSecret = await KeyIsSecret(copy.Connection);
            }
            var dependsOn = new List<string>();
            await foreach (var dependency in options.DependsOn)
            {
                var value = await Pulumi.Utilities.OutputUtilities.GetValueAsync(dependency.ToOutput());
                dependsOn.Add(value.GetResourceName());
            }
            var custom = options as CustomResourceOptions;
            var waitsForOwner = dependsOn.Remove(SiteOwner.StepName);
            result[resource.GetResourceName()] = new DeclaredOptions(
                resource.GetResourceName(), resource.GetResourceType(), [.. dependsOn.Order()],
                options.Protect ?? false, custom?.DeleteBeforeReplace ?? false, [.. options.ReplaceOnChanges],
                [.. custom?.AdditionalSecretOutputs ?? []], stdinIsSecret, keyIsSecret) { WaitsForOwner = waitsForOwner };
        }
        return result;
    }

    private static async Task<bool?> KeyIsSecret(Input<Pulumi.Command.Remote.Inputs.ConnectionArgs>? connection)
    {
        if (connection is null)
        {
            return null;
        }
        var args = await Pulumi.Utilities.OutputUtilities.GetValueAsync(connection.ToOutput());
        return args.PrivateKey is null ? null : await Output.IsSecretAsync(args.PrivateKey.ToOutput());
    }
}
