using Pulumi;
using Pulumi.Command.Remote;
using Pulumi.Command.Remote.Inputs;
using Pulumi.Random;

namespace PortsipInfra.Components;

/// <summary>
/// Which stack owns the site. <c>site-id</c> is a random UUID made on the stack's first <c>up</c> and kept in its
/// state; <c>site-owner</c>, the first command on pbx01, writes it with the stack's name into the owner mark
/// (<see cref="OwnerScripts.MarkFile"/>) and refuses a pbx01 marked by another stack, unless
/// <c>takeOverSiteFrom</c> names that stack's id (a handover). Every other command waits for it and checks the mark
/// first (<see cref="SiteOwnership"/>). Its delete, the last step of a destroy, removes the mark if it is still ours.
/// </summary>
public sealed class SiteOwner : ComponentResource
{
    public const string StepName = "site-owner";

    [Output("siteId")] public Output<string> SiteId { get; private set; }

    /// <summary>The owner step: writes the mark.</summary>
    public Command Step { get; }

    /// <summary>The check every other command runs first (<see cref="OwnerScripts.Check"/>) with this stack's id.</summary>
    public Output<string> Check { get; }

    public SiteOwner(string name, Input<ConnectionArgs> connection, string stack, string? takeOverFrom, ComponentResourceOptions? options = null)
        : base("portsip:cluster:SiteOwner", name, options)
    {
        var id = new RandomUuid("site-id", new RandomUuidArgs(), new CustomResourceOptions { Parent = this });
        SiteId = id.Result;
        Check = id.Result.Apply(siteId => OwnerScripts.Check(siteId, stack));

        // Delete before replace: a replacement (pulumi up --replace, to write a lost mark again) must not end with
        // the old step's delete removing the mark the new one wrote.
        Step = new Command(StepName, new CommandArgs
        {
            Connection = connection,
            Create = id.Result.Apply(siteId => OwnerScripts.Mark(siteId, stack, takeOverFrom)),
            Delete = id.Result.Apply(siteId => OwnerScripts.Release(siteId, stack)),
        }, new CustomResourceOptions { Parent = this, DeleteBeforeReplace = true });

        RegisterOutputs();
    }
}
