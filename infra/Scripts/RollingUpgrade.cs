namespace PortsipInfra;

/// <summary>
/// <c>upgradeStrategy: rolling</c> of one role (infra/Scripts/remote/rolling-upgrade.sh): its servers upgraded one at a
/// time with the guides' documented commands, each drained first and enabled again once ONLINE, instead of the guide's
/// <c>extend.sh upgrade -s ROLE</c>, which restarts every server of the role at once.
/// </summary>
public static class RollingUpgrade
{
    /// <summary>
    /// The role's upgrade step: created, it records the version (as <see cref="ServerScripts.RoleUpgrade"/>); updated
    /// (a new PBX image), it upgrades <paramref name="servers"/> in their order. Its stdin is the REST helper's connection.
    /// <paramref name="targetConcurrentCalls"/> (capacity.targetConcurrentCalls; null: no check): a role whose other
    /// servers cannot carry it while one is out is refused here, before anything runs (<see cref="DrainRules.RollingProblems"/>
    /// says the same at preview).
    /// </summary>
    public static RemoteStep Step(string guide, ServerRole role, string pbxImage, IReadOnlyList<ExtendedServerSettings> servers,
        DrainSettings drain, int onlineTimeoutSeconds, int? targetConcurrentCalls = null)
    {
        if (servers.Any(s => s.Role != role))
        {
            throw new ArgumentException($"every server of a rolling upgrade of the {role.PortalName()}s has that role", nameof(servers));
        }
        if (DrainRules.RollingProblems(role, servers, targetConcurrentCalls).FirstOrDefault() is { } problem)
        {
            throw new InvalidOperationException($"{problem.Key}: {problem.Message}");
        }
        var key = $"extend-{role.Slug()}";
        return new RemoteStep(
            RemoteScript.RecordVersion($"The {role.PortalName()}s", key, pbxImage),
            Script($"the {role.PortalName()}s", key, pbxImage, guide, servers, drain, onlineTimeoutSeconds),
            null);
    }

    private static string Script(string what, string key, string version, string guide, IReadOnlyList<ExtendedServerSettings> servers,
        DrainSettings drain, int onlineTimeoutSeconds)
    {
        IReadOnlyList<(string Field, string Line)> Lines(ExtendedServerSettings s) => RollingUpgrade.Lines(guide, s, drain, onlineTimeoutSeconds);
        var values = new List<(string, string)>
        {
            ("what", what), ("key", key), ("version", version),
            ("guide_command", string.Join("\n", servers.SelectMany(s => Lines(s).Select(l => l.Line)))),
            ("site_fact", "role"), ("vars_file", ServerScripts.VarsFile(guide)),
            ("server_count", servers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        foreach (var (server, i) in servers.Select((s, i) => (s, i + 1)))
        {
            values.Add(($"server_{i}_what", $"{server.Role.PortalName()} {server.Name} ({server.PrivateIp})"));
            values.Add(($"server_{i}_key", $"{server.Role.ScriptFilter()}@{server.PrivateIp}"));
            values.Add(($"server_{i}_name", server.Name));
            values.Add(($"server_{i}_status", PortalCommands.Status(server.Role, server.Name, server.PrivateIp)));
            values.AddRange(Lines(server).Select(l => ($"server_{i}_{l.Field}", l.Line)));
        }
        return RemoteFiles.Script(values, "guide-lock.sh", "run-guide.sh", "site-facts.sh", "rolling-upgrade.sh");
    }

    /// <summary>What one server's turn runs, in order.</summary>
    public static IReadOnlyList<(string Field, string Line)> Lines(string guide, ExtendedServerSettings server, DrainSettings drain, int onlineTimeoutSeconds) =>
    [
        ("drain", DrainCommands.Drain(server, drain)),
        ("remove", GuideCommands.ExtendRemove(guide, server.Role, server.PrivateIp)),
        ("run", GuideCommands.ExtendRun(guide, server)),
        ("online", PortalCommands.WaitOnline(server.Role, server.Name, onlineTimeoutSeconds, 5)),
        ("enable", DrainCommands.Enable(server.Role, server.Name, server.PrivateIp)),
    ];
}
