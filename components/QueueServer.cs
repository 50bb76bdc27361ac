using Pulumi;

namespace PortsipInfra.Components;

/// <summary>A Queue Server: runs call queues.</summary>
public sealed class QueueServer(ExtendedServerSettings server, Pbx01 pbx01, ServerAccess access, WebPortal portal, PortalSettings portalSettings,
    ComponentResourceOptions? options = null, DrainSettings? drain = null)
    : ExtendedServer("portsip:cluster:QueueServer", server, pbx01, access, portal, portalSettings, options, drain);
