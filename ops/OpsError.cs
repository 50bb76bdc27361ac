namespace PortsipInfra.Ops;

/// <summary>
/// Something the operator can fix: a bad option, a host down, a key refused, a wrong password. The program prints
/// the message alone (no stack trace) and exits with 1.
/// </summary>
public sealed class OpsError(string message) : Exception(message);
