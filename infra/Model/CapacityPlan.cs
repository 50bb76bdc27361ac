using System.Collections.Immutable;
using System.Globalization;

namespace PortsipInfra;

/// <summary>One media server as the capacity plan counts it: its name, its maxSessions, and whether it runs.</summary>
public sealed record MediaServerCapacity(string Name, int MaxSessions, bool Running);

/// <summary>
/// The call capacity of the site's media servers: what they carry in all, what the rest carry with the
/// <see cref="Redundancy"/> largest down (N+1 by default), and against <see cref="Target"/> the headroom or how many
/// servers are missing. A stopped server carries nothing and is not counted. Pure: built by <see cref="Of"/>.
/// </summary>
public sealed record CapacityPlan(
    int RunningServers,
    long TotalSessions,
    int Redundancy,
    ImmutableArray<MediaServerCapacity> Down,
    long SessionsWithDown,
    int? Target,
    int MissingServers,
    int ServerSize,
    ImmutableArray<string> NotRunning)
{
    /// <summary>With the largest <see cref="Redundancy"/> servers down, the rest carry the target (always, without one).</summary>
    public bool IsEnough => Target is not { } target || SessionsWithDown >= target;

    /// <summary>What is left above the target with <see cref="Redundancy"/> servers down; negative: the shortfall.</summary>
    public long? Headroom => Target is { } target ? SessionsWithDown - target : null;

    /// <summary>
    /// The plan for <paramref name="mediaServers"/>: <paramref name="redundancy"/> is how many may be down at once (0: none,
    /// 1: N+1), <paramref name="targetConcurrentCalls"/> the calls they must carry then (null: no target).
    /// Missing servers are counted at the size of the largest running server (the program's default maxSessions
    /// when none runs): the largest are the ones taken out, so a smaller new server adds less than it must cover,
    /// and servers like the largest are the fewest that close the gap.
    /// </summary>
    public static CapacityPlan Of(IEnumerable<MediaServerCapacity> mediaServers, int redundancy, int? targetConcurrentCalls)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(redundancy);
        var all = mediaServers.ToList();
        // Largest first; among equals, in the stack's order, so the message names the first one listed.
        var running = all.Where(s => s.Running).OrderByDescending(s => s.MaxSessions).ToList();
        var down = running.Take(redundancy).ToImmutableArray();
        long total = running.Sum(s => (long)s.MaxSessions);
        var left = total - down.Sum(s => (long)s.MaxSessions);
        // A server of no sessions (a maxSessions the validator refuses) is no size to add servers of.
        var size = running.Count > 0 && running[0].MaxSessions > 0 ? running[0].MaxSessions : SiteValidator.DefaultMaxSessions;
        var missing = targetConcurrentCalls is { } target && left < target ? Missing(running, redundancy, target, size) : 0;
        return new CapacityPlan(running.Count, total, redundancy, down, left, targetConcurrentCalls, missing, size,
            [.. all.Where(s => !s.Running).Select(s => s.Name)]);
    }

    /// <summary>
    /// The plan of the site's media servers, each with the maxSessions the program registers for it, against its
    /// <c>capacity</c> (no target, N+1, when it has none).
    /// </summary>
    public static CapacityPlan Of(SiteTopology site) => Of(
        site.ServersOf(ServerRole.Media).Select(s => new MediaServerCapacity(s.Name, s.MaxSessions ?? SiteValidator.DefaultMaxSessions, Running: !s.Run.Stopped)),
        site.Capacity.Redundancy, site.Capacity.TargetConcurrentCalls);

    /// <summary>
    /// The stack output <c>capacity</c>: the running media servers, their call sessions in all and with
    /// <c>redundancy</c> of them down, and, with a target, the headroom above it.
    /// </summary>
    public ImmutableDictionary<string, int> ToOutput()
    {
        var output = ImmutableDictionary<string, int>.Empty
            .Add("mediaServers", RunningServers)
            .Add("totalSessions", Whole(TotalSessions))
            .Add("redundancy", Redundancy)
            .Add("sessionsWithRedundancyDown", Whole(SessionsWithDown));
        return Target is { } target && Headroom is { } headroom
            ? output.Add("targetConcurrentCalls", target).Add("headroom", Whole(headroom))
            : output;
    }

    // Pulumi outputs carry 32-bit whole numbers; only sessions far beyond any media server's (exceedRecommendedMaxSessions) reach the limit.
    private static int Whole(long n) => (int)Math.Clamp(n, int.MinValue, int.MaxValue);

    /// <summary>
    /// The fewest servers of <paramref name="size"/> (the largest, or more) to add so that, with the largest
    /// <paramref name="redundancy"/> down, the rest carry <paramref name="target"/>. k new servers of the largest size
    /// are among those down first: with k below the redundancy the rest are the running servers less their
    /// (redundancy - k) largest; from k = redundancy on, every running server carries, plus k - redundancy new ones.
    /// </summary>
    private static int Missing(List<MediaServerCapacity> running, int redundancy, long target, int size)
    {
        long total = running.Sum(s => (long)s.MaxSessions);
        for (var k = Math.Max(0, redundancy - running.Count); k < redundancy; k++)
        {
            var left = total - running.Take(redundancy - k).Sum(s => (long)s.MaxSessions);
            if (left >= target)
            {
                return k;
            }
        }
        var more = Math.Max(0, (target - total + size - 1) / size);
        return (int)Math.Min(int.MaxValue, redundancy + more);
    }

    /// <summary>
    /// Why the media servers fall short of the target, in the operator's terms (the numbers, the servers counted
    /// down, what to add); null when they carry it.
    /// </summary>
    public string? Shortfall()
    {
        if (IsEnough)
        {
            return null;
        }
        var target = Target!.Value;
        var notCounted = NotRunning.Length == 0 ? ""
            : $" ({string.Join(", ", NotRunning)} {(NotRunning.Length == 1 ? "is" : "are")} stopped and not counted)";
        string carry;
        if (RunningServers == 0)
        {
            carry = $"the stack has no running media server{notCounted} (the main server's built-in media server is not counted)";
        }
        else
        {
            var servers = RunningServers == 1
                ? $"the one media server{notCounted} carries {N(TotalSessions)} call sessions (maxSessions)"
                : $"the {RunningServers} media servers{notCounted} carry {N(TotalSessions)} call sessions (maxSessions) in all";
            var asked = Redundancy == 0 ? $"{CapacityRules.RedundancyKey} 0" : $"N+{Redundancy}, {CapacityRules.RedundancyKey} {Redundancy}";
            var downPart = Redundancy switch
            {
                0 => $"with none down ({asked}) that is {N(target - TotalSessions)} short",
                _ when Down.Length == RunningServers => $"with {Redundancy} down ({asked}) none is left to carry calls",
                1 => $"with the largest ({Describe(Down[0])}) down ({asked}) the rest carry {N(SessionsWithDown)}, "
                    + $"{N(target - SessionsWithDown)} short",
                _ => $"with the {Redundancy} largest ({string.Join("; ", Down.Select(Describe))}) down ({asked}) the rest carry "
                    + $"{N(SessionsWithDown)}, {N(target - SessionsWithDown)} short",
            };
            carry = $"{servers}; {downPart}";
        }
        var add = RunningServers == 0
            ? $"add {Count(MissingServers, "media server")} of {N(ServerSize)} sessions (the default maxSessions)"
            : $"add {MissingServers} more media server{(MissingServers == 1 ? "" : "s")} of {N(ServerSize)} sessions";
        return $"{target} concurrent calls need more media servers: {carry}; {add}";
    }

    private static string Describe(MediaServerCapacity s) => $"{s.Name}, {N(s.MaxSessions)}";

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
