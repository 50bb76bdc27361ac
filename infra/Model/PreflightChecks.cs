namespace PortsipInfra;

/// <summary>The names of the host preparation checks, as the <c>preflightWarnOnly</c> key takes them.</summary>
public static class PreflightChecks
{
    public static IReadOnlyList<string> All => HostPreparation.Checks.All;

    /// <summary>The guides' minimum disk: 128 GB for every cluster server, 256 GB for a media server that records calls.</summary>
    public static int MinDiskGb(bool recordsCalls) => recordsCalls ? 256 : 128;
}
