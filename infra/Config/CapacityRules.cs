namespace PortsipInfra;

/// <summary>
/// <c>capacity</c>: <c>targetConcurrentCalls</c> (required in it, 1 or more), <c>redundancy</c> (how many media
/// servers may be down at once, 0 or more; default 1, N+1) and <c>concurrentUsers</c> (optional, 1 or more). The
/// target is checked against the media servers' maxSessions (<see cref="CapacityPlan"/>): with the largest
/// <c>redundancy</c> of them down, the rest must carry it, or the preview fails with the numbers and what to add.
/// </summary>
public static class CapacityRules
{
    public const string Key = "capacity";
    public const string TargetKey = Key + ".targetConcurrentCalls";
    public const string RedundancyKey = Key + ".redundancy";
    public const string UsersKey = Key + ".concurrentUsers";

    /// <summary>N+1: the target holds with the largest media server down.</summary>
    public const int DefaultRedundancy = 1;

    public static CapacitySettings Check(CapacityConfig? capacity, MediaServerConfig?[]? mediaServers, Action<string, string> error)
    {
        if (capacity is null)
        {
            return CapacitySettings.Default;
        }
        var valid = true;
        if (capacity.TargetConcurrentCalls is not { } target)
        {
            error(TargetKey, "is missing: give the concurrent calls the media servers must carry with capacity.redundancy "
                + "of them down, like 2000 (or remove the capacity key)");
            valid = false;
        }
        else if (target < 1)
        {
            error(TargetKey, $"{target} is not {ConfigKeys.Ranges.TargetConcurrentCalls}");
            valid = false;
        }
        var redundancy = capacity.Redundancy ?? DefaultRedundancy;
        if (redundancy < 0)
        {
            error(RedundancyKey, $"{redundancy} is not {ConfigKeys.Ranges.Redundancy}");
            valid = false;
        }
        if (capacity.ConcurrentUsers is < 1)
        {
            error(UsersKey, $"{capacity.ConcurrentUsers} is not {ConfigKeys.Ranges.ConcurrentUsers}");
            valid = false;
        }
        if (!valid)
        {
            return CapacitySettings.Default;
        }
        var settings = new CapacitySettings(capacity.TargetConcurrentCalls, redundancy, capacity.ConcurrentUsers);
        if (Plan(mediaServers, settings).Shortfall() is { } shortfall)
        {
            error(TargetKey, shortfall);
        }
        return settings;
    }

    /// <summary>
    /// The plan from the media servers as the stack file lists them (with the maxSessions the program registers when
    /// none is set), so that the shortfall is reported together with any other problem of those entries.
    /// </summary>
    private static CapacityPlan Plan(MediaServerConfig?[]? mediaServers, CapacitySettings settings)
    {
        var servers = (mediaServers ?? [])
            .Select((entry, i) => (entry, i))
            .Where(e => e.entry is not null)
            // A server with state: stopped carries no calls.
            .Select(e => new MediaServerCapacity(e.entry!.Name ?? $"mediaServers[{e.i}]",
                Math.Max(0, e.entry.MaxSessions ?? SiteValidator.DefaultMaxSessions),
                Running: !string.Equals(e.entry.State, RunState.StoppedWord, StringComparison.Ordinal)));
        return CapacityPlan.Of(servers, settings.Redundancy, settings.TargetConcurrentCalls);
    }
}
