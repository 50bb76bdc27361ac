using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// The guides' mandatory "Configure the IP Address Whitelist" step (IM and Data Flow): an ACCEPT rule for the
/// server's IP on the Web Portal's IP Blacklist page, with a long expiry, removed when the server goes; a new IP
/// replaces the rule.
/// </summary>
public static class PortalWhitelist
{
    public static Command Add(string name, string ip, string description, Pbx01 pbx01, WebPortal portal, Resource parent) =>
        new(name, new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = PortalCommands.WhitelistAdd(ip, description),
            Delete = PortalCommands.WhitelistRemove(ip),
            Stdin = portal.ApiStdin,
            Triggers = ReplaceWhen.AnyChanges(ip),
        }, ReplaceWhen.OldOneFirst(parent, pbx01.DependsOn().Concat(portal.Ready.ToArray())));
}
