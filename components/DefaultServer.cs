using Pulumi;
using Pulumi.Command.Remote;
using Pulumi.Utilities;

namespace PortsipInfra.Components;

/// <summary>
/// The guide's "Disable Default Servers on the Main Server", one role at a time: the built-in (INTERNAL) server
/// of a role is disabled only once every extended server of that role in the stack is Online, and enabled again
/// before the last of them is removed. A role without extended servers keeps its built-in server; the IM
/// server is never touched.
/// </summary>
public static class DefaultServer
{
    /// <summary>
    /// <c>ROLE-default-server</c>: create disables the role's built-in server, delete enables it. It leaves the stack
    /// with the role's last server (or with <c>disableDefaultServers: false</c>) and, depending on every server of
    /// the role, is deleted before them: the built-in server is back before any <c>extend.sh rm</c>.
    /// </summary>
    public static Command Disable(ServerRole role, IReadOnlyList<ExtendedServer> servers, Pbx01 pbx01, WebPortal portal)
    {
        var dependsOn = pbx01.DependsOn().Concat(portal.Ready.ToArray()).Concat(servers.Select(s => (Resource)s.Online).ToArray());
        return new Command($"{role.Slug()}-default-server", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = PortalCommands.SetDefaultsEnabled(role, enabled: false),
            Delete = PortalCommands.SetDefaultsEnabled(role, enabled: true),
            Stdin = portal.ApiStdin,
            Triggers = ReplacedWith(role, servers),
        }, ReplaceWhen.OldOneFirst(portal, dependsOn));
    }

    /// <summary>
    /// Always the role's name, so adding or removing a server of the role changes nothing here; but it carries a
    /// dependency on each server's registration and install. When one of them is replaced (a new IP: its old
    /// server is removed first), Pulumi deletes this command before it, as a dependent that would be replaced
    /// too: the built-in server is enabled while the role's server is swapped, and disabled again once the new
    /// one is Online.
    /// </summary>
    public static InputList<object> ReplacedWith(ServerRole role, IEnumerable<ExtendedServer> servers)
    {
        var value = Output.Create((object)role.Slug());
        foreach (var server in servers)
        {
            value = OutputUtilities.WithDependency(OutputUtilities.WithDependency(value, server.Register), server.Install);
        }
        var triggers = new InputList<object>();
        triggers.Add((Input<object>)value);
        return triggers;
    }
}
