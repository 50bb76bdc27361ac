using Pulumi;

namespace PortsipInfra.Components;

/// <summary>A Media Server: carries the calls' media (max 5,000 call sessions recommended).</summary>
public sealed class MediaServer(ExtendedServerSettings server, Pbx01 pbx01, ServerAccess access, WebPortal portal, PortalSettings portalSettings,
    ComponentResourceOptions? options = null, DrainSettings? drain = null)
    : ExtendedServer("portsip:cluster:MediaServer", server, pbx01, access, portal, portalSettings, options, drain);
