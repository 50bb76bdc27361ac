using System.Globalization;
using System.Text.Json.Nodes;

namespace PortsipInfra;

/// <summary>
/// The command lines that do the guides' Web Portal steps on pbx01, through the PortSIP REST API helper
/// (infra/Scripts/remote/portsip_api.py, uploaded to <see cref="HelperPath"/>). Every line takes the connection and the
/// admin credentials as one JSON object on stdin (<see cref="ApiStdin"/>): no secret is ever on a command line.
/// Values are quoted with <see cref="Shell.Quote"/>.
/// </summary>
public static class PortalCommands
{
    /// <summary>Where the helper lives in this repository.</summary>
    public const string HelperSource = "infra/Scripts/remote/portsip_api.py";

    /// <summary>Where the stack uploads the helper on pbx01 (the shell expands $HOME).</summary>
    public const string HelperPath = RemoteScript.StateFolder + "/portsip_api.py";

    private static string Helper(string action) => $"python3 \"{HelperPath}\" {action}";

    private static string Q(string value) => Shell.Quote(value);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The helper's <c>--kind</c> value: media, queue, meeting or ivr.</summary>
    public static string Kind(ServerRole role) => role.Slug();

    /// <summary>
    /// Registers the server in the Web Portal (or adopts the one of that name and updates what the API can
    /// update). The public IP and the maximum of call sessions are media-server settings only; the maximum of rooms and
    /// participants are meeting-server settings only.
    /// </summary>
    public static string Register(ExtendedServerSettings s, bool enabled)
    {
        var line = Helper("register") + $" --kind {Kind(s.Role)} --name {Q(s.Name)} --private-ip {Q(s.PrivateIp)}";
        if (s.Role == ServerRole.Media && s.PublicIp is not null)
        {
            line += $" --public-ip {Q(s.PublicIp)}";
        }
        if (s.Role == ServerRole.Media && s.MaxSessions is int max)
        {
            line += $" --max-sessions {Number(max)}";
        }
        if (s.Role == ServerRole.Meeting && s.MaxRooms is int rooms)
        {
            line += $" --max-rooms {Number(rooms)}";
        }
        if (s.Role == ServerRole.Meeting && s.MaxParticipants is int participants)
        {
            line += $" --max-participants {Number(participants)}";
        }
        return line + $" --enabled {Bool(enabled)}";
    }

    /// <summary>
    /// Deletes the server of that name from the Web Portal; one that is not there is fine. With
    /// <paramref name="privateIp"/>, a server of that name that the portal shows at another address is another server
    /// now, and is left as it is.
    /// </summary>
    public static string Unregister(ServerRole role, string name, string? privateIp = null) =>
        Helper("unregister") + $" --kind {Kind(role)} --name {Q(name)}" + (privateIp is null ? "" : $" --private-ip {Q(privateIp)}");

    /// <summary>Enables or disables the built-in server of <paramref name="role"/> on the main server (never the IM server).</summary>
    public static string SetDefaultsEnabled(ServerRole role, bool enabled) =>
        Helper("set-defaults-enabled") + $" --kind {Kind(role)} --enabled {Bool(enabled)}";

    /// <summary>Adds (or adopts) the ACCEPT rule for <paramref name="ip"/>/32 on the portal's IP Blacklist page.</summary>
    public static string WhitelistAdd(string ip, string description) =>
        Helper("whitelist-add") + $" --ip {Q(ip)} --description {Q(description)}";

    /// <summary>Removes the ACCEPT rule for <paramref name="ip"/>; none there is fine.</summary>
    public static string WhitelistRemove(string ip) => Helper("whitelist-remove") + $" --ip {Q(ip)}";

    /// <summary>Prints only the IM server token (the existing one, or a new one when asked or when there is none).</summary>
    public static string ImToken(bool regenerate) => Helper("im-token") + (regenerate ? " --regenerate" : "");

    /// <summary>Prints only the SBC token (the existing one, or a new one when asked or when there is none).</summary>
    public static string SbcToken(bool regenerate) => Helper("sbc-token") + (regenerate ? " --regenerate" : "");

    /// <summary>Waits until the Web Portal shows the server ONLINE; fails after <paramref name="timeoutSeconds"/>.</summary>
    public static string WaitOnline(ServerRole role, string name, int timeoutSeconds, int intervalSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timeoutSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intervalSeconds);
        return Helper("wait-online") + $" --kind {Kind(role)} --name {Q(name)}"
            + $" --timeout {Number(timeoutSeconds)} --interval {Number(intervalSeconds)}";
    }

    /// <summary>
    /// Read only: prints <c>online</c> when the Web Portal lists the server under <paramref name="name"/> at
    /// <paramref name="privateIp"/> and shows it ONLINE (else absent, other-ip or not-online).
    /// </summary>
    public static string Status(ServerRole role, string name, string privateIp) =>
        Helper("status") + $" --kind {Kind(role)} --name {Q(name)} --private-ip {Q(privateIp)}";

    /// <summary>
    /// The JSON object the helper reads on stdin: the API's URL, the admin credentials, and how to check the API's
    /// certificate (the pinned fingerprint or the CA certificates; none: the system's CAs).
    /// </summary>
    public static string ApiStdin(PortalSettings portal, string password)
    {
        var json = new JsonObject
        {
            ["api_url"] = portal.ApiUrl,
            ["username"] = portal.AdminUser,
            ["password"] = password,
        };
        if (portal.CertificateSha256 is { } pin)
        {
            json["certificate_sha256"] = pin;
        }
        if (portal.CaPem is { } ca)
        {
            json["ca_pem"] = ca;
        }
        if (portal.AllowHttp)
        {
            json["allow_http"] = true;
        }
        return json.ToJsonString();
    }
}
