namespace PortsipInfra;

/// <summary>What the program says about stopped servers: at preview, and in the steps that wait for them.</summary>
public static class RunStateMessages
{
    /// <summary><c>the media servers' upgrade waits: media-server-2 is stopped</c>.</summary>
    public static string UpgradeWaits(string whose, IReadOnlyList<string> stopped) =>
        $"{whose} upgrade waits: {string.Join(", ", stopped)} {(stopped.Count == 1 ? "is" : "are")} stopped";

    /// <summary>The ONLINE wait of a stopped server.</summary>
    public static string NotWaitedOnline(string name) => $"{name} is stopped: not waited on for ONLINE";

    /// <summary>The preview's warning for each stopped server or service of the site.</summary>
    public static IReadOnlyList<string> Warnings(SiteTopology site)
    {
        const string Waits = "its upgrade waits until it runs again";
        return site.ExtendedServers.Where(s => s.Run.Stopped).Select(s => $"{s.Name} is stopped (state: stopped): it is not waited on for ONLINE, and {Waits}")
            .Concat(site.Sbc?.Servers.Where(s => s.Run.Stopped).Select(s => $"SBC server {s.Name} is stopped (state: stopped): {Waits}") ?? [])
            .Concat(site.Im is { Run.Stopped: true } ? [$"the IM service is stopped (state: stopped): {Waits}"] : [])
            .Concat(site.DataFlow is { Run.Stopped: true } ? [$"the Data Flow service is stopped (state: stopped): {Waits}"] : [])
            .ToList();
    }
}
