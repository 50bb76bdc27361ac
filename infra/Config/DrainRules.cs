using System.Collections.Immutable;

namespace PortsipInfra;

/// <summary>
/// The rules of <c>drainTimeoutSeconds</c> (the site's, and each server's own), <c>drainTimeoutAction</c> and
/// <c>upgradeStrategy</c>. Each problem is reported through <c>error</c> with its key path and value.
/// </summary>
public static class DrainRules
{
    public const int MaxTimeoutSeconds = 86400;

    /// <summary>The site-level settings; <see cref="ServerTimeout"/> checks each server's own timeout.</summary>
    public static DrainSettings Check(StackConfig c, Action<string, string> error)
    {
        var timeout = Timeout("drainTimeoutSeconds", c.DrainTimeoutSeconds, error) ?? DrainSettings.DefaultTimeoutSeconds;
        var action = DrainTimeoutAction.Fail;
        switch (c.DrainTimeoutAction)
        {
            case null or "fail":
                break;
            case "proceed":
                action = DrainTimeoutAction.Proceed;
                break;
            default:
                error("drainTimeoutAction", $"{Show.Text(c.DrainTimeoutAction)} is not proceed or fail (fail: stop, naming the server and its open sessions; proceed: cut them and go on)");
                break;
        }
        var strategies = ImmutableDictionary.CreateBuilder<ServerRole, UpgradeStrategy>();
        foreach (var (word, value) in c.UpgradeStrategy ?? new Dictionary<string, string?>())
        {
            var role = ServerRoles.All.Single(r => r.Slug() == word);
            switch (value)
            {
                case null or "role":
                    break;
                case "rolling":
                    strategies[role] = UpgradeStrategy.Rolling;
                    break;
                default:
                    error($"upgradeStrategy.{word}", $"{Show.Text(value)} is not role or rolling (role: extend.sh upgrade -s {role.ScriptFilter()}, "
                        + "every server at once; rolling: one server at a time, drained first)");
                    break;
            }
        }
        return new DrainSettings(timeout, action, strategies.ToImmutable());
    }

    /// <summary>A server's own <c>drainTimeoutSeconds</c> (null when it has none).</summary>
    public static int? ServerTimeout(string key, int? value, Action<string, string> error) => Timeout(key, value, error);

    private static int? Timeout(string key, int? value, Action<string, string> error)
    {
        if (value is { } seconds && seconds is < 0 or > MaxTimeoutSeconds)
        {
            error(key, $"{seconds} is not {ConfigKeys.Ranges.DrainTimeout}");
            return null;
        }
        return value;
    }

    /// <summary>
    /// A rolling upgrade takes one server of the role out at a time, so the others must carry the calls meanwhile:
    /// a role needs two servers or more, and, with <paramref name="targetConcurrentCalls"/> (null: no check), every
    /// set of media servers left while one is out must have that many sessions (their <c>maxSessions</c>). Queue,
    /// Meeting and IVR servers have no session limit in the config: only the count is checked for them.
    /// </summary>
    public static IEnumerable<ConfigError> RollingProblems(SiteTopology site, int? targetConcurrentCalls) =>
        ServerRoles.All.Where(r => site.Drain.StrategyOf(r) == UpgradeStrategy.Rolling)
            .SelectMany(role => RollingProblems(role, site.ServersOf(role).ToList(), targetConcurrentCalls));

    /// <summary>As above, for one role and its servers.</summary>
    public static IEnumerable<ConfigError> RollingProblems(ServerRole role, IReadOnlyList<ExtendedServerSettings> servers, int? targetConcurrentCalls)
    {
        var key = $"upgradeStrategy.{role.Slug()}";
        if (servers.Count == 0)
        {
            yield break;
        }
        if (servers.Count == 1)
        {
            yield return new ConfigError(key, $"'rolling' needs two {role.PortalName()}s or more, so that the others carry the calls while one is "
                + $"upgraded; {role.ConfigKey()} has only {servers[0].Name}; use role (its calls are cut during the upgrade) or add a server");
            yield break;
        }
        if (role != ServerRole.Media || targetConcurrentCalls is not { } target)
        {
            yield break;
        }
        var total = servers.Sum(s => s.MaxSessions ?? SiteValidator.DefaultMaxSessions);
        var largest = servers.OrderByDescending(s => s.MaxSessions ?? SiteValidator.DefaultMaxSessions).First();
        var left = total - (largest.MaxSessions ?? SiteValidator.DefaultMaxSessions);
        if (left < target)
        {
            yield return new ConfigError(key, $"'rolling' cannot keep {target:N0} concurrent calls (capacity.targetConcurrentCalls): while "
                + $"{largest.Name} is upgraded, the other media servers carry {left:N0} (the sum of their maxSessions); add a media "
                + "server, raise maxSessions, or use role (every call on the role is cut during the upgrade)");
        }
    }
}
