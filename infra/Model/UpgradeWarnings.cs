namespace PortsipInfra;

/// <summary>
/// The preview's warnings about upgrades that cut calls: a role upgraded the guide's way (<c>upgradeStrategy</c> role,
/// the default) restarts every server of the role at once when the PBX image changes.
/// </summary>
public static class UpgradeWarnings
{
    public static IEnumerable<string> Of(SiteTopology site) =>
        ServerRoles.All
            .Where(role => site.ServersOf(role).Any() && site.Drain.StrategyOf(role) == UpgradeStrategy.Role)
            .Select(role => $"upgradeStrategy.{role.Slug()} is role: when pbxImage changes, extend.sh upgrade -s {role.ScriptFilter()} "
                + $"restarts every {role.PortalName()} at once ({string.Join(", ", site.ServersOf(role).Select(s => s.Name))}) and the "
                + (site.ServersOf(role).Count() > 1
                    ? $"calls on them are cut; upgradeStrategy.{role.Slug()}: rolling upgrades them one at a time, each drained first"
                    : "calls on it are cut"));
}
