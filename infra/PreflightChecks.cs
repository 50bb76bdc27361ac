namespace PortsipInfra;

/// <summary>The names of the host preparation checks, as the <c>preflightWarnOnly</c> key takes them.</summary>
public static class PreflightChecks
{
    public static readonly IReadOnlyList<string> All = ["os", "disk", "postgresql", "clock", "static-ip", "dns-dhcp", "sudo"];
}
