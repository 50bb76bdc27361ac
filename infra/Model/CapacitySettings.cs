namespace PortsipInfra;

/// <summary>
/// <c>capacity</c>: the concurrent calls the media servers must carry (<see cref="TargetConcurrentCalls"/>) with
/// <see cref="Redundancy"/> of them down, and the concurrent users the site is declared for (only for warnings).
/// </summary>
public sealed record CapacitySettings(int? TargetConcurrentCalls, int Redundancy, int? ConcurrentUsers)
{
    /// <summary>No target: nothing is checked; the stack output still shows the site's capacity at N+1.</summary>
    public static readonly CapacitySettings Default = new(null, CapacityRules.DefaultRedundancy, null);
}
