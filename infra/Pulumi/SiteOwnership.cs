using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra;

/// <summary>
/// Puts the owner check in every command of the site, in one place (a resource transformation on the Site, like
/// <see cref="CommandSecrecy"/>, so no step can forget it): each <c>create</c>, <c>update</c> and <c>delete</c> starts
/// with <see cref="OwnerScripts.Check"/>, and each command and file upload depends on the owner step
/// (<see cref="Components.SiteOwner"/>), so on a first <c>up</c> the mark is written before anything else runs, and on
/// destroy it is removed after everything else. The owner's own resources (its id and step) are left as they are.
/// </summary>
/// <remarks>
/// The owner step is made after the deploy key (it logs in as its authorization does), while the deploy key's
/// authorization must already carry the check and wait for it: so the check and the owner step reach the
/// transformation through <see cref="Bind"/>, as outputs that resolve once the owner exists.
/// </remarks>
public sealed class SiteOwnership
{
    private readonly TaskCompletionSource<Output<string>> check = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Resource> step = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The owner that every command of the site checks and waits for.</summary>
    public void Bind(Components.SiteOwner owner)
    {
        check.SetResult(owner.Check);
        step.SetResult(owner.Step);
    }

    /// <summary><paramref name="options"/> with this transformation first (after <see cref="CommandSecrecy"/>).</summary>
    public ComponentResourceOptions AppliedTo(ComponentResourceOptions? options) =>
        ComponentResourceOptions.Merge(new ComponentResourceOptions { ResourceTransformations = { Transformation } }, options);

    public ResourceTransformationResult? Transformation(ResourceTransformationArgs args)
    {
        if (args.Options is not CustomResourceOptions options || args.Options.Parent is Components.SiteOwner)
        {
            return null;
        }
        if (args.Args is CommandArgs command)
        {
            var prefix = Output.Create(check.Task).Apply(c => c);
            command.Create = Prefixed(prefix, command.Create);
            command.Update = Prefixed(prefix, command.Update);
            command.Delete = Prefixed(prefix, command.Delete);
        }
        else if (args.Args is not CopyToRemoteArgs)
        {
            return null;
        }
        var after = CustomResourceOptions.Merge(options, new CustomResourceOptions());
        after.DependsOn.Add(Output.Create(step.Task));
        return new ResourceTransformationResult(args.Args, after);
    }

    private static Input<string>? Prefixed(Output<string> prefix, Input<string>? script) =>
        script is null ? null : (Input<string>)Output.Tuple(prefix, script.ToOutput()).Apply(t => t.Item1 + t.Item2);
}
