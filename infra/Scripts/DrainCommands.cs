using System.Globalization;

namespace PortsipInfra;

/// <summary>
/// The REST helper's lines that drain a server before its calls would be dropped, and enable it again afterwards
/// (portsip_api.py <c>drain</c> and <c>enable</c>; the connection on stdin, as every line of <see cref="PortalCommands"/>).
/// Used by the removal of an extended server and by the rolling upgrade; a stop of a server can use them as they are.
/// </summary>
public static class DrainCommands
{
    /// <summary>How often a drain reads the server's open sessions.</summary>
    public const int IntervalSeconds = 5;

    private static string Helper(string action) => $"python3 \"{PortalCommands.HelperPath}\" {action}";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Disables the server in the Web Portal, then waits until its open sessions are 0 (media: current_concurrency,
    /// meeting: participants_count; queue and IVR report none: disabled, not waited for), at most
    /// <paramref name="timeoutSeconds"/>; then <paramref name="onTimeout"/> decides. A server the portal does not list
    /// (or lists at another address than <paramref name="privateIp"/>) has nothing to drain.
    /// </summary>
    public static string Drain(ServerRole role, string name, int timeoutSeconds, DrainTimeoutAction onTimeout, string? privateIp = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutSeconds);
        // The helper takes a positive timeout: 0 (disable, check once) is one second.
        return Helper("drain") + $" --kind {PortalCommands.Kind(role)} --name {Shell.Quote(name)}"
            + (privateIp is null ? "" : $" --private-ip {Shell.Quote(privateIp)}")
            + $" --timeout {Number(Math.Max(1, timeoutSeconds))} --interval {Number(IntervalSeconds)} --on-timeout {onTimeout.Word()}";
    }

    /// <summary>A server's drain as the site's settings say (its own timeout first).</summary>
    public static string Drain(ExtendedServerSettings server, DrainSettings drain) =>
        Drain(server.Role, server.Name, drain.TimeoutFor(server), drain.OnTimeout, server.PrivateIp);

    /// <summary>Enables the server again in the Web Portal; one the portal does not list is fine.</summary>
    public static string Enable(ServerRole role, string name, string? privateIp = null) =>
        Helper("enable") + $" --kind {PortalCommands.Kind(role)} --name {Shell.Quote(name)}"
        + (privateIp is null ? "" : $" --private-ip {Shell.Quote(privateIp)}");
}
