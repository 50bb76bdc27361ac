namespace PortsipInfra.Tests;

/// <summary>
/// The capacity plan on its own (<see cref="CapacityPlan.Of(IEnumerable{MediaServerCapacity}, int, int?)"/>): what the
/// media servers carry with the largest down, at the edges where a target is just met or just missed.
/// </summary>
public class CapacityPlanTests
{
    private static MediaServerCapacity S(string name, int sessions, bool running = true) => new(name, sessions, running);

    private static readonly MediaServerCapacity[] Three = [S("media-server-1", 5000), S("media-server-2", 5000), S("media-server-3", 5000)];

    [Fact]
    public void Exactly_enough_with_the_largest_down_passes_with_no_headroom()
    {
        var plan = CapacityPlan.Of(Three, redundancy: 1, targetConcurrentCalls: 10000);
        Assert.True(plan.IsEnough);
        Assert.Equal(15000, plan.TotalSessions);
        Assert.Equal(10000, plan.SessionsWithDown);
        Assert.Equal(0, plan.Headroom);
        Assert.Equal(0, plan.MissingServers);
        Assert.Null(plan.Shortfall());
    }

    [Fact]
    public void One_call_short_fails_and_asks_for_one_more_server_of_the_current_size()
    {
        var plan = CapacityPlan.Of(Three, redundancy: 1, targetConcurrentCalls: 10001);
        Assert.False(plan.IsEnough);
        Assert.Equal(-1, plan.Headroom);
        Assert.Equal(1, plan.MissingServers);
        Assert.Equal(5000, plan.ServerSize);
        Assert.Equal("10001 concurrent calls need more media servers: the 3 media servers carry 15,000 call sessions (maxSessions) in all; "
            + "with the largest (media-server-1, 5,000) down (N+1, capacity.redundancy 1) the rest carry 10,000, 1 short; "
            + "add 1 more media server of 5,000 sessions", plan.Shortfall());
    }

    [Fact]
    public void The_example_of_the_issue_one_server_of_5000_missing()
    {
        var plan = CapacityPlan.Of([S("media-server-1", 5000), S("media-server-2", 5000)], 1, 10000);
        Assert.Equal("10000 concurrent calls need more media servers: the 2 media servers carry 10,000 call sessions (maxSessions) in all; "
            + "with the largest (media-server-1, 5,000) down (N+1, capacity.redundancy 1) the rest carry 5,000, 5,000 short; "
            + "add 1 more media server of 5,000 sessions", plan.Shortfall());
    }

    [Fact]
    public void Redundancy_0_counts_every_server()
    {
        var servers = new[] { S("m1", 3000), S("m2", 2000) };
        var enough = CapacityPlan.Of(servers, 0, 5000);
        Assert.True(enough.IsEnough);
        Assert.Empty(enough.Down);
        Assert.Equal(5000, enough.SessionsWithDown);

        var short1 = CapacityPlan.Of(servers, 0, 5001);
        Assert.Equal(1, short1.MissingServers);
        Assert.Equal("5001 concurrent calls need more media servers: the 2 media servers carry 5,000 call sessions (maxSessions) in all; "
            + "with none down (capacity.redundancy 0) that is 1 short; add 1 more media server of 3,000 sessions", short1.Shortfall());
    }

    [Fact]
    public void Redundancy_of_as_many_servers_as_the_site_has_leaves_nothing()
    {
        var servers = new[] { S("m1", 5000), S("m2", 5000) };
        var plan = CapacityPlan.Of(servers, 2, 1000);
        Assert.Equal(0, plan.SessionsWithDown);
        // A third server of 5,000: with two down, one carries 5,000.
        Assert.Equal(1, plan.MissingServers);
        Assert.Equal("1000 concurrent calls need more media servers: the 2 media servers carry 10,000 call sessions (maxSessions) in all; "
            + "with 2 down (N+2, capacity.redundancy 2) none is left to carry calls; add 1 more media server of 5,000 sessions", plan.Shortfall());

        var more = CapacityPlan.Of(servers, 3, 1000);
        Assert.Equal(0, more.SessionsWithDown);
        Assert.Equal(2, more.MissingServers);
    }

    [Fact]
    public void One_server_with_N_plus_1_carries_nothing()
    {
        var plan = CapacityPlan.Of([S("media-server-1", 5000)], 1, 1);
        Assert.Equal(0, plan.SessionsWithDown);
        Assert.Equal(1, plan.MissingServers);
        Assert.Equal("1 concurrent calls need more media servers: the one media server carries 5,000 call sessions (maxSessions); "
            + "with 1 down (N+1, capacity.redundancy 1) none is left to carry calls; add 1 more media server of 5,000 sessions", plan.Shortfall());
        Assert.True(CapacityPlan.Of([S("media-server-1", 5000)], 0, 5000).IsEnough);
    }

    [Fact]
    public void A_stopped_server_is_not_counted()
    {
        var servers = new[] { S("media-server-1", 5000), S("media-server-2", 5000, running: false), S("media-server-3", 5000) };
        var plan = CapacityPlan.Of(servers, 1, 10000);
        Assert.Equal(2, plan.RunningServers);
        Assert.Equal(10000, plan.TotalSessions);
        Assert.Equal(5000, plan.SessionsWithDown);
        Assert.Equal(["media-server-2"], plan.NotRunning.ToArray());
        Assert.Equal(1, plan.MissingServers);
        Assert.Equal("10000 concurrent calls need more media servers: the 2 media servers (media-server-2 is stopped and not counted) carry "
            + "10,000 call sessions (maxSessions) in all; with the largest (media-server-1, 5,000) down (N+1, capacity.redundancy 1) the "
            + "rest carry 5,000, 5,000 short; add 1 more media server of 5,000 sessions", plan.Shortfall());
        Assert.True(CapacityPlan.Of(servers.Select(s => s with { Running = true }), 1, 10000).IsEnough);
    }

    [Fact]
    public void No_media_server_asks_for_servers_of_the_default_size()
    {
        var plan = CapacityPlan.Of([], 1, 1000);
        Assert.Equal(2, plan.MissingServers);
        Assert.Equal(SiteValidator.DefaultMaxSessions, plan.ServerSize);
        Assert.Equal("1000 concurrent calls need more media servers: the stack has no running media server (the main server's built-in "
            + "media server is not counted); add 2 media servers of 2,000 sessions (the default maxSessions)", plan.Shortfall());
    }

    [Fact]
    public void The_largest_are_down_and_named_largest_first_ties_in_the_stacks_order()
    {
        var plan = CapacityPlan.Of([S("small", 1000), S("big-a", 4000), S("big-b", 4000), S("mid", 2000)], 2, 6000);
        Assert.Equal(["big-a", "big-b"], plan.Down.Select(s => s.Name));
        Assert.Equal(3000, plan.SessionsWithDown);
        Assert.Equal(4000, plan.ServerSize);
        Assert.Contains("with the 2 largest (big-a, 4,000; big-b, 4,000) down (N+2, capacity.redundancy 2) the rest carry 3,000, 3,000 short; "
            + "add 1 more media server of 4,000 sessions", plan.Shortfall());
    }

    [Fact]
    public void No_target_is_always_enough_and_has_no_headroom()
    {
        var plan = CapacityPlan.Of([S("m1", 5000)], 1, null);
        Assert.True(plan.IsEnough);
        Assert.Null(plan.Headroom);
        Assert.Null(plan.Shortfall());
        Assert.Equal(0, plan.MissingServers);
    }

    [Fact]
    public void A_negative_redundancy_is_a_programming_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CapacityPlan.Of([], -1, null));

    /// <summary>
    /// The missing count is the fewest servers of the largest size that make the target hold: checked against adding
    /// them one at a time, over many small sites.
    /// </summary>
    [Fact]
    public void The_missing_servers_are_the_fewest_that_close_the_gap()
    {
        var random = new Random(20261204);
        for (var run = 0; run < 2000; run++)
        {
            var servers = Enumerable.Range(0, random.Next(0, 5))
                .Select(i => S($"m{i}", random.Next(1, 6) * 1000, random.Next(4) > 0)).ToList();
            var redundancy = random.Next(0, 4);
            var target = random.Next(1, 25) * 1000 + random.Next(-1, 2);
            var plan = CapacityPlan.Of(servers, redundancy, target);

            var added = 0;
            while (!CapacityPlan.Of(servers.Concat(Enumerable.Range(0, added).Select(i => S($"new{i}", plan.ServerSize))), redundancy, target).IsEnough)
            {
                added++;
            }
            Assert.True(added == plan.MissingServers,
                $"servers {string.Join(",", servers)}, redundancy {redundancy}, target {target}: expected {added}, got {plan.MissingServers}");
        }
    }

    [Fact]
    public void The_output_gives_total_with_redundancy_down_and_headroom()
    {
        var output = CapacityPlan.Of(Three, 1, 8000).ToOutput();
        Assert.Equal(new Dictionary<string, int>
        {
            ["mediaServers"] = 3, ["totalSessions"] = 15000, ["redundancy"] = 1, ["sessionsWithRedundancyDown"] = 10000,
            ["targetConcurrentCalls"] = 8000, ["headroom"] = 2000,
        }, output.OrderBy(kv => kv.Key).ToDictionary());
        var noTarget = CapacityPlan.Of(Three, 1, null).ToOutput();
        Assert.False(noTarget.ContainsKey("headroom"));
        Assert.False(noTarget.ContainsKey("targetConcurrentCalls"));
        Assert.Equal(-5000, CapacityPlan.Of(Three, 1, 15000).ToOutput()["headroom"]);
    }
}
