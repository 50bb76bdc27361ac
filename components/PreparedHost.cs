using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// The guides' host preparation for one new server, run from pbx01 before anything is installed on it:
/// <c>{name}-trust</c> authorizes pbx01's key there (the guides' <c>ssh-copy-id</c>, with the shared password on
/// stdin, once) and takes it away again when the server leaves the stack; <c>{name}-preflight</c> then checks every
/// host requirement and stops the install with one message listing what is unmet. The preflight runs again when
/// the server's settings change, not on every update. Only a new address makes it another server: pinning or
/// changing its host key runs the trust script again as an update, which pins the new key in pbx01's known_hosts
/// (and checks a key login with it) without taking pbx01's key off the server first.
/// </summary>
public static class PreparedHost
{
    public static Command Prepare(string name, string label, string ip, string? hostKey, int minDiskGb,
        Pbx01 pbx01, ServerAccess access, Resource parent)
    {
        var identity = ReplaceWhen.AnyChanges(ip);
        var trustScript = HostPreparation.Trust(access.User, ip, hostKey);
        var trust = new Command($"{name}-trust", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = trustScript,
            Update = trustScript,
            Delete = HostPreparation.Untrust(access.User, ip),
            Stdin = Output.CreateSecret((access.Password ?? Output.Create("")).Apply(p => p + "\n")),
            Triggers = identity,
        }, ReplaceWhen.OldOneFirst(parent, pbx01.DependsOn()));

        var preflight = HostPreparation.Preflight(new PreflightTarget(label, access.User, ip, minDiskGb, access.WarnOnly));
        return new Command($"{name}-preflight", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = preflight,
            Update = preflight,
            Triggers = identity,
        }, ReplaceWhen.OldOneFirst(parent, trust));
    }
}
