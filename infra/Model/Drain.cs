using System.Collections.Immutable;

namespace PortsipInfra;

/// <summary><c>drainTimeoutAction</c>: what a drain does when sessions are still open at its timeout.</summary>
public enum DrainTimeoutAction
{
    /// <summary>Stop the step, naming the server and its open sessions; nothing is removed or restarted.</summary>
    Fail,
    /// <summary>Warn and go on: the open sessions are cut.</summary>
    Proceed,
}

/// <summary><c>upgradeStrategy</c> of a role: how its servers are upgraded when the PBX image changes.</summary>
public enum UpgradeStrategy
{
    /// <summary>The guide's <c>extend.sh upgrade -s ROLE</c>: every server of the role at once; calls on the role are cut.</summary>
    Role,
    /// <summary>One server at a time: drain, <c>extend.sh rm</c>, <c>extend.sh run</c>, wait ONLINE, enable.</summary>
    Rolling,
}

/// <summary>
/// Draining a server before anything that drops its calls (its removal, replacement or a rolling upgrade): it is
/// disabled in the Web Portal so that new sessions go elsewhere, then awaited until its open sessions end, for at
/// most <see cref="TimeoutSeconds"/> (a server's own <c>drainTimeoutSeconds</c> first).
/// </summary>
public sealed record DrainSettings(int TimeoutSeconds, DrainTimeoutAction OnTimeout, ImmutableDictionary<ServerRole, UpgradeStrategy> Strategies)
{
    public const int DefaultTimeoutSeconds = 600;

    public static readonly DrainSettings Default = new(DefaultTimeoutSeconds, DrainTimeoutAction.Fail, ImmutableDictionary<ServerRole, UpgradeStrategy>.Empty);

    public int TimeoutFor(ExtendedServerSettings server) => server.DrainTimeoutSeconds ?? TimeoutSeconds;

    public UpgradeStrategy StrategyOf(ServerRole role) => Strategies.GetValueOrDefault(role, UpgradeStrategy.Role);
}

/// <summary>The word of each value in the stack config.</summary>
public static class DrainWords
{
    public static string Word(this DrainTimeoutAction action) => action == DrainTimeoutAction.Proceed ? "proceed" : "fail";

    public static string Word(this UpgradeStrategy strategy) => strategy == UpgradeStrategy.Rolling ? "rolling" : "role";
}
