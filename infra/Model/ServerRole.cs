namespace PortsipInfra;

/// <summary>The four roles an extended server can have; each server has exactly one.</summary>
public enum ServerRole
{
    Media,
    Queue,
    Meeting,
    Ivr,
}

public static class ServerRoles
{
    public static readonly IReadOnlyList<ServerRole> All = [ServerRole.Media, ServerRole.Queue, ServerRole.Meeting, ServerRole.Ivr];

    /// <summary>The value of extend.sh's <c>-s</c> parameter for this role.</summary>
    public static string ScriptFilter(this ServerRole role) => role switch
    {
        ServerRole.Media => "media-server-only",
        ServerRole.Queue => "queue-server-only",
        ServerRole.Meeting => "meeting-server-only",
        _ => "ivr-server-only",
    };

    /// <summary>The stack config key that lists the servers of this role.</summary>
    public static string ConfigKey(this ServerRole role) => role switch
    {
        ServerRole.Media => "mediaServers",
        ServerRole.Queue => "queueServers",
        ServerRole.Meeting => "meetingServers",
        _ => "ivrServers",
    };

    /// <summary>The role as the Web Portal's Servers menu names it.</summary>
    public static string PortalName(this ServerRole role) => role switch
    {
        ServerRole.Media => "Media Server",
        ServerRole.Queue => "Queue Server",
        ServerRole.Meeting => "Meeting Server",
        _ => "IVR Server",
    };

    /// <summary>Short lower-case word used in resource names and the inventory output.</summary>
    public static string Slug(this ServerRole role) => role.ToString().ToLowerInvariant();
}
