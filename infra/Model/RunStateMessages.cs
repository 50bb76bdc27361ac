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
        var stopped = site.ExtendedServers.Where(s => s.Run.Stopped).Select(s => s.Name)
            .Concat(site.Sbc?.Servers.Where(s => s.Run.Stopped).Select(s => $"SBC server {s.Name}") ?? [])
            .Concat(site.Im is { Run.Stopped: true } ? ["the IM service"] : [])
            .Concat(site.DataFlow is { Run.Stopped: true } ? ["the Data Flow service"] : []);
        return stopped.Select(name => $"{name} is stopped (state: stopped): it is not waited on for ONLINE, and its upgrade waits until it runs again").ToList();
    }
}
