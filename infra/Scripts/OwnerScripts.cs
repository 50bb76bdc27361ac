namespace PortsipInfra;

/// <summary>
/// The scripts of the site's owner mark on pbx01 (<c>~/.portsip-infra/site-owner</c>: the stack's site id and name):
/// the owner step writes it (<c>site-owner.sh</c>) and removes it on destroy (<c>site-owner-release.sh</c>), and every
/// other command starts with the check (<c>owner-check.sh</c>) that it carries this stack's id.
/// </summary>
public static class OwnerScripts
{
    /// <summary>Where the mark is kept on pbx01.</summary>
    public const string MarkFile = RemoteScript.StateFolder + "/site-owner";

    /// <summary>The owner step's create and update: writes the mark, or refuses another stack's (unless <paramref name="takeOverFrom"/> is its id).</summary>
    public static string Mark(string siteId, string stack, string? takeOverFrom) =>
        RemoteFiles.Script([("site_id", siteId), ("site_stack", stack), ("take_over_from", takeOverFrom ?? "")], "site-owner.sh");

    /// <summary>The owner step's delete: removes the mark when it is this stack's.</summary>
    public static string Release(string siteId, string stack) =>
        RemoteFiles.Script([("site_id", siteId), ("site_stack", stack)], "site-owner-release.sh");

    /// <summary>What every other command runs first: stop unless pbx01's mark carries <paramref name="siteId"/>.</summary>
    public static string Check(string siteId, string stack) =>
        RemoteFiles.Script([("site_id", siteId), ("site_stack", stack)], "owner-check.sh");

    /// <summary>The stack's name as the mark and the messages show it: organization/project/stack.</summary>
    public static string StackName(string organization, string project, string stack) => $"{organization}/{project}/{stack}";
}
