namespace PortsipInfra;

/// <summary>
/// <c>takeOverSiteFrom</c>: the site id of the stack that owns pbx01 now, set on the stack that is to take the site
/// over (README, One stack owns a site). Its owner step then replaces the mark only when it carries exactly that id.
/// </summary>
public static class SiteHandover
{
    public const string Key = "takeOverSiteFrom";

    /// <summary>The id in its canonical form (lower case), or null when unset; an error naming the key otherwise.</summary>
    public static string? Check(string? value, Action<string, string> error)
    {
        if (value is null)
        {
            return null;
        }
        if (!Guid.TryParseExact(value, "D", out var id))
        {
            error(Key, $"'{value}' is not a site id: give the other stack's siteId output, a UUID like 0b6f3c9e-2a41-4d7e-9c55-31f0a8d2e7b4 (pulumi stack output siteId --stack OTHER)");
            return null;
        }
        return id.ToString("D");
    }
}
