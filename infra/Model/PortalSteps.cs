namespace PortsipInfra;

/// <summary>Whether a site has any Web Portal step for the REST API helper to do.</summary>
public static class PortalSteps
{
    public static bool AnyFor(SiteTopology site) =>
        site.ExtendedServers.Length > 0 || site.Im is not null || site.Sbc is not null || site.DataFlow is not null;
}
