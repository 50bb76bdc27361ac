using Pulumi;

namespace PortsipInfra;

/// <summary>
/// How pbx01 reaches the cluster servers: the HA user (the same on every server, with the same password, as the
/// guides require), that password as a secret, and which preflight checks only warn.
/// </summary>
public sealed record ServerAccess(string User, Output<string>? Password, IReadOnlySet<string> WarnOnly);
