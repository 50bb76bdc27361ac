using Pulumi;

namespace PortsipInfra.Components;

/// <summary>A Meeting Server: runs conferences.</summary>
public sealed class MeetingServer(ExtendedServerSettings server, Pbx01 pbx01, ServerAccess access, WebPortal portal, PortalSettings portalSettings,
    ComponentResourceOptions? options = null, DrainSettings? drain = null)
    : ExtendedServer("portsip:cluster:MeetingServer", server, pbx01, access, portal, portalSettings, options, drain);
