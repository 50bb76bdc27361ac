using Pulumi;

namespace PortsipInfra.Components;

/// <summary>An IVR Server: runs virtual receptionists.</summary>
public sealed class IvrServer(ExtendedServerSettings server, Pbx01 pbx01, ServerAccess access, WebPortal portal, PortalSettings portalSettings,
    ComponentResourceOptions? options = null, DrainSettings? drain = null)
    : ExtendedServer("portsip:cluster:IvrServer", server, pbx01, access, portal, portalSettings, options, drain);
