namespace PortsipInfra.Tests.Engine;

/// <summary>What the site looks like afterwards, read from the hosts' files and the fake portal's state.</summary>
public sealed partial class SimulatedSite
{
    /// <summary>The roles the stand-ins installed on <paramref name="host"/>: role → "name=... ip=..." (the install's line).</summary>
    public IReadOnlyDictionary<string, string> InstalledOn(string host)
    {
        var dir = Hosts.Home(host, ".standin/roles");
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), f => File.ReadLines(f).First())
            : new Dictionary<string, string>();
    }

    /// <summary>Whether <paramref name="host"/>'s authorized_keys lets pbx01's key in (the trust step's line).</summary>
    public bool Trusts(string host)
    {
        var key = Hosts.Pbx01PublicKey.Split(' ')[1];
        return Hosts.Lines(host, ".ssh/authorized_keys").Any(l => l.Contains(key, StringComparison.Ordinal));
    }

    /// <summary>pbx01's extend.sh inventory (what the stand-in deployed where): "media-server-only NAME IP" lines.</summary>
    public string[] ExtendInventory() => Hosts.Lines("pbx01", ".standin/extend.sh").Order(StringComparer.Ordinal).ToArray();

    /// <summary>The external servers registered in the portal: "media NAME IP enabled".</summary>
    public string[] Registered()
    {
        var state = Portal.State();
        return ServerRoles.All.SelectMany(role => PortalOnPbx01.Servers(state, role.Slug())
                .Where(s => (string?)s["type"] == "EXTERNAL")
                .Select(s => $"{role.Slug()} {s["name"]} {s["private_ipv4"] ?? s["ipv4"]} {((bool?)s["enabled"] == true ? "enabled" : "disabled")}"))
            .Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The portal's built-in (INTERNAL) servers that are still enabled.</summary>
    public string[] EnabledBuiltIns()
    {
        var state = Portal.State();
        return ServerRoles.All.SelectMany(role => PortalOnPbx01.Servers(state, role.Slug())
                .Where(s => (string?)s["type"] == "INTERNAL" && (bool?)s["enabled"] == true)
                .Select(s => role.Slug()))
            .ToArray();
    }

    /// <summary>Every host's stand-in log and authorized_keys, to tell afterwards which hosts a run touched.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() => Hosts.AllHosts.ToDictionary(h => h,
        h => string.Join("\n", Hosts.StandinLog(h)) + "\n--\n" + string.Join("\n", Hosts.Lines(h, ".ssh/authorized_keys")));

    /// <summary>The hosts whose stand-in log or authorized_keys changed since <paramref name="before"/>.</summary>
    public string[] TouchedSince(IReadOnlyDictionary<string, string> before) =>
        Snapshot().Where(kv => before[kv.Key] != kv.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The whole site is exactly <paramref name="site"/>: each server installed with its role, name and IP on its
    /// own host and nowhere else, pbx01's key trusted there, registered (enabled) in the portal under its name with
    /// its IP; no other host runs a role or trusts pbx01; the portal's built-in servers are disabled; no command
    /// removed more than the server it named.
    /// </summary>
    public void AssertIs(SiteConfig site)
    {
        Assert.Empty(Hosts.Disasters());
        foreach (var host in Hosts.AllHosts.Where(h => h != "pbx01"))
        {
            var expected = Text(site.Servers.Where(s => s.Host == host).Select(s => $"{s.Role.ScriptFilter()}: name={s.Name} ip={Hosts.Ip(host)}"));
            var roles = InstalledOn(host);
            var installed = Text(roles.Where(kv => kv.Key != "im").Select(kv => $"{kv.Key}: {kv.Value}"));
            Assert.True(expected == installed, $"{host} runs [{installed}], expected [{expected}]");
            var im = site.ImHost == host;
            Assert.True(im == roles.ContainsKey("im"), $"{host} {(im ? "does not run" : "runs")} the IM service");
            var used = expected.Length > 0 || im;
            Assert.True(used == Trusts(host),
                $"{host} {(Trusts(host) ? "trusts" : "does not trust")} pbx01's key; expected {(used ? "trusted" : "not trusted")}");
        }
        Assert.Equal(site.Servers.Select(s => $"{s.Role.ScriptFilter()} {s.Name} {Hosts.Ip(s.Host)}").Order(StringComparer.Ordinal), ExtendInventory());
        Assert.Equal(site.Servers.Select(s => $"{s.Role.Slug()} {s.Name} {Hosts.Ip(s.Host)} enabled").Order(StringComparer.Ordinal), Registered());
        // A role's built-in server is off exactly when the site has extended servers of that role.
        Assert.Equal(ServerRoles.All.Where(r => site.Servers.All(s => s.Role != r)).Select(r => r.Slug()), EnabledBuiltIns());
    }

    private static string Text(IEnumerable<string> lines) => string.Join("; ", lines.Order(StringComparer.Ordinal));

    /// <summary>The guide scripts pbx01 ran, in order ("extend.sh run -s ... -n ... -a ...").</summary>
    public string[] GuideCalls() => Hosts.GuideCalls();

    /// <summary>What the stand-ins did on <paramref name="host"/>, without the host= suffix.</summary>
    public string[] Actions(string host) =>
        Hosts.StandinLog(host).Select(l => l.Replace($" host={host}", "", StringComparison.Ordinal)).ToArray();
}
