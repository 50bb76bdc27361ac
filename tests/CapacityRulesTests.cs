using System.Collections.Immutable;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// The <c>capacity</c> key: read, checked against the media servers at preview (a shortfall is a config error like any
/// other), the warnings from the guides' figures, and the stack output <c>capacity</c>.
/// </summary>
public class CapacityRulesTests
{
    private static readonly StackConfig Base = new() { Pbx01 = "192.168.1.131", VirtualIp = "192.168.1.130" };

    private static MediaServerConfig M(int i, int? sessions = 5000) => new()
    {
        Name = $"media-server-{i}", PrivateIp = $"192.168.1.{20 + i}", PublicIp = $"104.101.137.{60 + i}", MaxSessions = sessions,
    };

    private static StackConfig Site(CapacityConfig capacity, params MediaServerConfig[] media) => Base with { MediaServers = media, Capacity = capacity };

    private static IReadOnlyList<string> Errors(StackConfig config) => [.. SiteValidator.Validate(config).Errors.Select(e => e.ToString())];

    [Fact]
    public void No_capacity_key_checks_nothing_and_plans_N_plus_1()
    {
        var site = SiteValidator.Validate(Base with { MediaServers = [M(1)] }).Topology!;
        Assert.Equal(CapacitySettings.Default, site.Capacity);
        Assert.Equal(new CapacitySettings(null, 1, null), site.Capacity);
    }

    [Fact]
    public void The_settings_reach_the_model_with_N_plus_1_by_default()
    {
        var site = SiteValidator.Validate(Site(new CapacityConfig { TargetConcurrentCalls = 5000, ConcurrentUsers = 20000 }, M(1), M(2))).Topology!;
        Assert.Equal(new CapacitySettings(5000, 1, 20000), site.Capacity);
        site = SiteValidator.Validate(Site(new CapacityConfig { TargetConcurrentCalls = 10000, Redundancy = 0 }, M(1), M(2))).Topology!;
        Assert.Equal(new CapacitySettings(10000, 0, null), site.Capacity);
    }

    [Theory]
    [InlineData(10000, null, true)]      // 3 x 5,000, the largest down: 10,000 left
    [InlineData(10001, null, false)]
    [InlineData(15000, 0, true)]
    [InlineData(15001, 0, false)]
    [InlineData(5000, 2, true)]
    [InlineData(5001, 2, false)]
    [InlineData(1, 3, false)]            // as many down as there are servers
    public void The_target_holds_with_redundancy_servers_down(int target, int? redundancy, bool valid)
    {
        var errors = Errors(Site(new CapacityConfig { TargetConcurrentCalls = target, Redundancy = redundancy }, M(1), M(2), M(3)));
        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.StartsWith($"capacity.targetConcurrentCalls: {target} concurrent calls need more media servers: ", Assert.Single(errors));
        }
    }

    // state: stopped takes a media server out of the plan, in the config check and in the model's plan alike.
    [Fact]
    public void A_stopped_media_server_carries_no_calls()
    {
        var capacity = new CapacityConfig { TargetConcurrentCalls = 5000 };
        Assert.Empty(Errors(Site(capacity, M(1), M(2))));
        var stopped = M(2) with { State = "stopped" };
        var errors = Errors(Site(capacity, M(1), stopped));
        Assert.StartsWith("capacity.targetConcurrentCalls: 5000 concurrent calls need more media servers: ", Assert.Single(errors));

        var site = SiteValidator.Validate(Site(new CapacityConfig { TargetConcurrentCalls = 5000, Redundancy = 0 }, M(1), stopped)).Topology!;
        Assert.Equal(5000, CapacityPlan.Of(site).TotalSessions);
    }

    [Fact]
    public void A_shortfall_names_the_numbers_and_what_to_add()
    {
        Assert.Equal(["capacity.targetConcurrentCalls: 10000 concurrent calls need more media servers: the 2 media servers carry 10,000 call "
            + "sessions (maxSessions) in all; with the largest (media-server-1, 5,000) down (N+1, capacity.redundancy 1) the rest carry 5,000, "
            + "5,000 short; add 1 more media server of 5,000 sessions"],
            Errors(Site(new CapacityConfig { TargetConcurrentCalls = 10000 }, M(1), M(2))));
    }

    [Fact]
    public void A_media_server_without_maxSessions_counts_with_the_default_the_program_registers()
    {
        // 2,000 each (the REST API's default, which the register step sends): 4,000 with one of three down.
        Assert.Empty(Errors(Site(new CapacityConfig { TargetConcurrentCalls = 4000 }, M(1, null), M(2, null), M(3, null))));
        Assert.Equal(["capacity.targetConcurrentCalls: 4001 concurrent calls need more media servers: the 3 media servers carry 6,000 call "
            + "sessions (maxSessions) in all; with the largest (media-server-1, 2,000) down (N+1, capacity.redundancy 1) the rest carry 4,000, "
            + "1 short; add 1 more media server of 2,000 sessions"],
            Errors(Site(new CapacityConfig { TargetConcurrentCalls = 4001 }, M(1, null), M(2, null), M(3, null))));
    }

    [Fact]
    public void A_shortfall_is_reported_together_with_the_other_problems()
    {
        var errors = Errors(Site(new CapacityConfig { TargetConcurrentCalls = 9000 }, M(1), M(2) with { PrivateIp = "192.168.1.300" }));
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("mediaServers[1].privateIp: '192.168.1.300' is not an IPv4 address", errors[0]);
        Assert.StartsWith("capacity.targetConcurrentCalls: 9000 concurrent calls need more media servers", errors[1]);
    }

    [Fact]
    public void A_media_server_of_no_sessions_is_its_own_error_and_the_plan_still_says_what_to_add()
    {
        var errors = Errors(Site(new CapacityConfig { TargetConcurrentCalls = 1000 }, M(1, 0)));
        Assert.Equal(2, errors.Count);
        Assert.Equal("mediaServers[0].maxSessions: 0 is not a positive number of call sessions", errors[0]);
        Assert.EndsWith("add 2 more media servers of 2,000 sessions", errors[1]);
    }

    [Theory]
    [InlineData(null, null, null, "capacity.targetConcurrentCalls: is missing: give the concurrent calls the media servers must carry with capacity.redundancy of them down, like 2000 (or remove the capacity key)")]
    [InlineData(0, null, null, "capacity.targetConcurrentCalls: 0 is not a number of concurrent calls, 1 or more")]
    [InlineData(-10, null, null, "capacity.targetConcurrentCalls: -10 is not a number of concurrent calls, 1 or more")]
    [InlineData(100, -1, null, "capacity.redundancy: -1 is not how many media servers may be down at once: 0 (none), 1 (N+1, the default), 2 (N+2) or more")]
    [InlineData(100, null, 0, "capacity.concurrentUsers: 0 is not a number of concurrent users, 1 or more")]
    public void Bad_values_name_the_key_and_the_value(int? target, int? redundancy, int? users, string error)
    {
        var config = Site(new CapacityConfig { TargetConcurrentCalls = target, Redundancy = redundancy, ConcurrentUsers = users }, M(1), M(2));
        Assert.Equal([error], Errors(config));
    }

    [Theory]
    [InlineData("""{"targetConcurrentCalls":2000,"redundancy":"N+1"}""", "capacity.redundancy: 'N+1' is not a whole number; give how many media servers may be down at once: 0 (none), 1 (N+1, the default), 2 (N+2) or more")]
    [InlineData("""{"targetConcurrentCall":2000}""", "capacity.targetConcurrentCall: is not a field of the capacity plan (value 2000); the fields are targetConcurrentCalls, redundancy, concurrentUsers; did you mean targetConcurrentCalls?")]
    [InlineData("""{"targetConcurrentCalls":"lots"}""", "capacity.targetConcurrentCalls: 'lots' is not a whole number; give a number of concurrent calls, 1 or more")]
    [InlineData("""[2000]""", "capacity: [2000] is not the capacity plan: an object with targetConcurrentCalls, redundancy, concurrentUsers")]
    public void The_reader_names_the_field(string json, string error)
    {
        var config = StackConfigReader.Read(new Dictionary<string, string> { ["capacity"] = json });
        Assert.Equal(error, Assert.Single(config.ReadErrors).ToString());
    }

    [Fact]
    public void The_reader_reads_every_field()
    {
        var config = StackConfigReader.Read(new Dictionary<string, string>
        {
            ["capacity"] = """{"targetConcurrentCalls":"8000","redundancy":2,"concurrentUsers":40000}""",
        });
        Assert.Empty(config.ReadErrors);
        Assert.Equal(new CapacityConfig { TargetConcurrentCalls = 8000, Redundancy = 2, ConcurrentUsers = 40000 }, config.Capacity);
    }

    // At preview, under Pulumi's test engine

    private static string MediaServers(int count, int sessions) => "[" + string.Join(",", Enumerable.Range(1, count).Select(i =>
        $$"""{"name":"media-server-{{i}}","privateIp":"192.168.1.{{40 + i}}","publicIp":"104.101.137.{{60 + i}}","maxSessions":{{sessions}}}""")) + "]";

    [Fact]
    public async Task A_shortfall_fails_the_preview_before_anything_is_declared()
    {
        // The guides' site: one media server of 5,000 sessions, with N+1 nothing is left.
        var (message, declared) = await PulumiRun.Failure(Sites.ProdWith("capacity", """{"targetConcurrentCalls":5000}"""));
        Assert.Equal(0, declared);
        Assert.DoesNotContain("   at ", message);
        Assert.Contains("The stack config has 1 problem; nothing was deployed:\n  - portsip-infra:capacity.targetConcurrentCalls: 5000 concurrent "
            + "calls need more media servers: the one media server carries 5,000 call sessions (maxSessions); with 1 down (N+1, "
            + "capacity.redundancy 1) none is left to carry calls; add 1 more media server of 5,000 sessions", message);
    }

    [Fact]
    public async Task The_stack_output_capacity_gives_total_N_down_and_headroom()
    {
        var config = Sites.ProdWith("mediaServers", MediaServers(3, 5000));
        config[Sites.P + "capacity"] = """{"targetConcurrentCalls":8000}""";
        var run = await PulumiRun.Stack(config);
        var output = await PulumiRun.OutputValue(run.Stack.Capacity);
        Assert.Equal(3, output["mediaServers"]);
        Assert.Equal(15000, output["totalSessions"]);
        Assert.Equal(1, output["redundancy"]);
        Assert.Equal(10000, output["sessionsWithRedundancyDown"]);
        Assert.Equal(8000, output["targetConcurrentCalls"]);
        Assert.Equal(2000, output["headroom"]);
        Assert.False(await OutputIsSecret(run.Stack.Capacity));
    }

    [Fact]
    public async Task Without_a_capacity_key_the_output_still_shows_the_site_at_N_plus_1()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        var output = await PulumiRun.OutputValue(run.Stack.Capacity);
        Assert.Equal(ImmutableSortedDictionary.CreateRange(new Dictionary<string, int>
        {
            ["mediaServers"] = 1, ["redundancy"] = 1, ["sessionsWithRedundancyDown"] = 0, ["totalSessions"] = 5000,
        }), ImmutableSortedDictionary.CreateRange(output));
    }

    private static Task<bool> OutputIsSecret<T>(Pulumi.Output<T> output) => Pulumi.Output.IsSecretAsync(output);

    // Warnings at preview (the mocked engine discards Log.Warn: the warnings are tested as the function that makes them)

    private static IReadOnlyList<string> Warnings(CapacityConfig capacity, bool im, params MediaServerConfig[] media)
    {
        var config = Site(capacity, media) with { Im = im ? new ImConfig { PrivateIp = "192.168.1.25", PublicIp = "104.18.36.110" } : null };
        var site = SiteValidator.Validate(config).Topology!;
        return CapacityWarnings.For(site, CapacityPlan.Of(site));
    }

    [Fact]
    public void No_warning_within_the_guides_figures()
    {
        // 50,000 users: 10,000 calls at the guide's ratio; three servers of 5,000 carry 10,000 with one down.
        Assert.Empty(Warnings(new CapacityConfig { TargetConcurrentCalls = 10000, ConcurrentUsers = 50000 }, true, M(1), M(2), M(3)));
        Assert.Empty(Warnings(new CapacityConfig { TargetConcurrentCalls = 1000 }, true, M(1), M(2)));
    }

    [Fact]
    public void More_users_than_the_IM_guide_sizes_one_IM_server_for_is_a_warning()
    {
        var warnings = Warnings(new CapacityConfig { TargetConcurrentCalls = 10000, ConcurrentUsers = 50001 }, true, M(1), M(2), M(3), M(4));
        Assert.Contains("capacity.concurrentUsers: 50,001 concurrent users are more than the 50,000 that \"Scaling IM Server On-Premise for High "
            + "Availability\" sizes one IM server for (20 cores, 16 GB RAM, 256 GB SSD, 1 Gbps), and the site has one IM server: give it more "
            + "than that hardware, or expect slow messaging and file sharing.", warnings);
        Assert.Contains("capacity.concurrentUsers: 50,001 concurrent users are more than the about 50,000 concurrently registered users the HA "
            + "architecture of \"Scaling Servers On-Premise for High Availability\" is described for: check the site with PortSIP.", warnings);
        Assert.Equal(2, warnings.Count);
        // Without an IM service, only the site's figure.
        Assert.Single(Warnings(new CapacityConfig { TargetConcurrentCalls = 10000, ConcurrentUsers = 50001 }, false, M(1), M(2), M(3), M(4)));
    }

    [Fact]
    public void Fewer_calls_than_the_guides_ratio_for_the_declared_users_is_a_warning()
    {
        // 30,000 users: 6,000 calls at 10,000 for 50,000; two servers of 5,000 carry 5,000 with one down.
        var warnings = Warnings(new CapacityConfig { TargetConcurrentCalls = 5000, ConcurrentUsers = 30000 }, true, M(1), M(2));
        Assert.Equal(["capacity.concurrentUsers: 30,000 concurrent users would make 6,000 simultaneous calls at the ratio of \"Scaling Servers "
            + "On-Premise for High Availability\" (10,000 calls for 50,000 registered users), and the media servers carry 5,000 with 1 down "
            + "(capacity.redundancy 1); add media servers, or check that your users call less."], warnings);
        // 25,000 users: 5,000 calls, exactly what is left.
        Assert.Empty(Warnings(new CapacityConfig { TargetConcurrentCalls = 5000, ConcurrentUsers = 25000 }, true, M(1), M(2)));
        Assert.Single(Warnings(new CapacityConfig { TargetConcurrentCalls = 5000, ConcurrentUsers = 25001 }, true, M(1), M(2)));
    }

    [Fact]
    public void A_target_above_the_guides_10000_calls_is_a_warning()
    {
        var servers = Enumerable.Range(1, 4).Select(i => M(i)).ToArray();
        Assert.Empty(Warnings(new CapacityConfig { TargetConcurrentCalls = 10000 }, false, servers));
        Assert.Equal(["capacity.targetConcurrentCalls: 10,001 concurrent calls are more than the 10,000 simultaneous calls the HA architecture "
            + "of \"Scaling Servers On-Premise for High Availability\" is described for; the media servers may carry them, the main server's "
            + "signalling is not sized by this program: check the site with PortSIP."],
            Warnings(new CapacityConfig { TargetConcurrentCalls = 10001 }, false, servers));
    }
}
