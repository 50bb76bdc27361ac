using System.Globalization;

namespace PortsipInfra;

/// <summary>
/// Where the site falls short of the guides' headline figures for the users it declares (<c>capacity.concurrentUsers</c>)
/// or its call target; warnings at preview, not errors: the figures size a typical site, not a limit.
/// <list type="bullet">
/// <item>"Scaling IM Server On-Premise for High Availability": the recommended IM server (20 cores, 16 GB RAM, 256 GB
/// SSD, 1 Gbps) is "suitable for supporting up to 50,000 concurrent users"; the site has one IM server (im.sh).</item>
/// <item>"Scaling Servers On-Premise for High Availability": the architecture supports "approximately 50,000
/// concurrently registered (online) users" and "up to 10,000 simultaneous calls", that is one call for every five
/// registered users.</item>
/// </list>
/// </summary>
public static class CapacityWarnings
{
    public const int ImServerConcurrentUsers = 50_000;
    public const int SiteRegisteredUsers = 50_000;
    public const int SiteSimultaneousCalls = 10_000;

    private const string ImGuide = "\"Scaling IM Server On-Premise for High Availability\"";
    private const string ServersGuide = "\"Scaling Servers On-Premise for High Availability\"";

    public static IReadOnlyList<string> For(SiteTopology site, CapacityPlan plan)
    {
        var warnings = new List<string>();
        var capacity = site.Capacity;
        if (capacity.TargetConcurrentCalls is > SiteSimultaneousCalls and var target)
        {
            warnings.Add($"{CapacityRules.TargetKey}: {N(target)} concurrent calls are more than the {N(SiteSimultaneousCalls)} simultaneous "
                + $"calls the HA architecture of {ServersGuide} is described for; the media servers may carry them, the main "
                + "server's signalling is not sized by this program: check the site with PortSIP.");
        }
        if (capacity.ConcurrentUsers is not { } users)
        {
            return warnings;
        }
        if (users > SiteRegisteredUsers)
        {
            warnings.Add($"{CapacityRules.UsersKey}: {N(users)} concurrent users are more than the about {N(SiteRegisteredUsers)} "
                + $"concurrently registered users the HA architecture of {ServersGuide} is described for: check the site with PortSIP.");
        }
        if (site.Im is not null && users > ImServerConcurrentUsers)
        {
            warnings.Add($"{CapacityRules.UsersKey}: {N(users)} concurrent users are more than the {N(ImServerConcurrentUsers)} that "
                + $"{ImGuide} sizes one IM server for (20 cores, 16 GB RAM, 256 GB SSD, 1 Gbps), and the site has one IM server: "
                + "give it more than that hardware, or expect slow messaging and file sharing.");
        }
        // The guide's site: 10,000 calls for 50,000 registered users.
        var calls = (long)Math.Ceiling(users * (double)SiteSimultaneousCalls / SiteRegisteredUsers);
        if (plan.SessionsWithDown < calls)
        {
            var down = plan.Redundancy == 0 ? "in all" : $"with {plan.Redundancy} down ({CapacityRules.RedundancyKey} {plan.Redundancy})";
            warnings.Add($"{CapacityRules.UsersKey}: {N(users)} concurrent users would make {N(calls)} simultaneous calls at the ratio "
                + $"of {ServersGuide} ({N(SiteSimultaneousCalls)} calls for {N(SiteRegisteredUsers)} registered users), and the media "
                + $"servers carry {N(plan.SessionsWithDown)} {down}; add media servers, or check that your users call less.");
        }
        return warnings;
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
