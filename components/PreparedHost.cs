using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>What pbx01 records for a server once installed (install.sh): under <paramref name="Key"/>, its <paramref name="Identity"/>
/// (the server's name, or a service's address); <paramref name="Previous"/>: the identity it is renamed from, if any;
/// <paramref name="PortalKind"/>: what the Web Portal lists it as (media, queue, meeting, ivr, im), null when it does not.</summary>
public sealed record InstallRecord(string Key, string Identity, string? Previous = null, string? PortalKind = null);

/// <summary>A new server's first steps: the claim on its address, pbx01's key on it, the preflight.</summary>
public sealed record HostSteps(Command Claim, Command Trust, Command Preflight);

/// <summary>
/// The guides' host preparation for one new server, run from pbx01 before anything is installed on it:
/// <c>{name}-claim</c> checks that neither pbx01's records nor the Web Portal show another server at the address (it is replaced create-first, so it
/// runs before any old step of the server is undone); <c>{name}-trust</c> authorizes pbx01's key there (the guides'
/// <c>ssh-copy-id</c>, with the shared password on stdin, once) and takes it away again when the server leaves the
/// stack; <c>{name}-preflight</c> then checks every host requirement and stops the install with one message listing
/// what is unmet. The trust step is the first of the server's chain (see <see cref="ReplaceWhen.After"/>): only a new
/// address replaces it; a new pinned host key re-runs it in place. The preflight runs again when the server's
/// settings change, not on every update.
/// </summary>
public static class PreparedHost
{
    public static HostSteps Prepare(string name, string label, string ip, string? hostKey, int minDiskGb, InstallRecord record,
        Pbx01 pbx01, ServerAccess access, WebPortal portal, Resource parent)
    {
        var claim = new Command($"{name}-claim", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = RemoteScript.Claim(label, ip, record.Key, record.Identity, record.Previous, record.PortalKind),
            Stdin = portal.ApiStdin,
            Triggers = ReplaceWhen.AnyChanges(ip, record.Key, record.Identity),
        }, RenamedFrom.Child(new CustomResourceOptions { Parent = parent, DependsOn = pbx01.DependsOn().Concat(portal.Ready.ToArray()), ReplaceOnChanges = { "triggers" } },
            record.Previous, "-claim"));

        var trust = new Command($"{name}-trust", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = HostPreparation.Trust(access.User, ip, hostKey),
            Delete = HostPreparation.Untrust(access.User, ip),
            Stdin = Output.CreateSecret((access.Password ?? Output.Create("")).Apply(p => p + "\n")),
            Triggers = ReplaceWhen.AnyChanges(ip),
        }, RenamedFrom.Child(ReplaceWhen.OldOneFirst(parent, pbx01.DependsOn().Concat(claim)), record.Previous, "-trust"));

        var preflight = HostPreparation.Preflight(new PreflightTarget(label, access.User, ip, minDiskGb, access.WarnOnly));
        return new HostSteps(claim, trust, new Command($"{name}-preflight", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = preflight,
            Update = preflight,
            Triggers = ReplaceWhen.AnyChanges(ip, hostKey ?? ""),
        }, RenamedFrom.Child(ReplaceWhen.OldOneFirst(parent, trust), record.Previous, "-preflight")));
    }
}
