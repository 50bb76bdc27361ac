using System.Net;

namespace PortsipInfra.Ops.Status;

/// <summary>What the portal shows for one item (the fields that apply to it).</summary>
public sealed record PortalFacts(
    string? Name = null, string? Ip = null, string? PublicIp = null, bool? Enabled = null, string? Status = null,
    int? CurrentSessions = null, int? MaxSessions = null, bool? Whitelisted = null);

/// <summary>What pbx01 records for one item: installed (the name or IP recorded) and the version.</summary>
public sealed record Pbx01Facts(string? Installed, string? Version);

/// <summary>One server or service: the stack file's view, the portal's, pbx01's, and how they differ.</summary>
public sealed record ItemStatus(
    string Kind, string Name, string? StackIp, PortalFacts? Portal, Pbx01Facts? Pbx01, IReadOnlyList<string> Differences);

/// <summary>The whole comparison.</summary>
public sealed record SiteStatus(string StackFile, IReadOnlyList<ItemStatus> Items)
{
    public int DifferenceCount => Items.Sum(i => i.Differences.Count);

    public bool InSync => DifferenceCount == 0;
}

/// <summary>
/// Compares the stack file with what the portal and pbx01 record. A pure function: every rule is here, and what is
/// read from the site comes in as plain values.
/// </summary>
public static class SiteComparison
{
    public static SiteStatus Compare(string stackFile, SiteTopology site, PortalView portal, Pbx01Records pbx01)
    {
        var items = new List<ItemStatus> { Pbx(site, pbx01) };
        var matched = new HashSet<string>();
        var known = new HashSet<string>();
        foreach (var server in site.ExtendedServers)
        {
            items.Add(Extended(server, site.Pbx.Image, portal, pbx01, matched));
            known.Add(InstalledKey(server.Role, server.PrivateIp));
        }
        foreach (var p in portal.Servers.Where(p => !p.BuiltIn && !matched.Contains(p.Id)))
        {
            items.Add(new ItemStatus(p.Role.Slug(), p.Name, null, Facts(p), null,
                [$"the portal has this {p.Role.PortalName()}, the stack file does not (added by hand? pulumi up leaves it alone)"]));
        }
        foreach (var (key, name) in pbx01.Installed.Where(r => r.Key.Contains("-server-only@") && !known.Contains(r.Key)))
        {
            items.Add(new ItemStatus(key.Split('-')[0], name, null, null, new Pbx01Facts(key, null),
                [$"pbx01 records it installed ({key}), the stack file does not have it"]));
        }
        items.AddRange(Im(site, portal, pbx01));
        items.AddRange(Sbc(site, pbx01));
        items.AddRange(DataFlow(site, portal, pbx01));
        return new SiteStatus(stackFile, items);
    }

    /// <summary>The key of pbx01's install record, as RemoteScript writes it (extend.sh's -s value @ the IP).</summary>
    public static string InstalledKey(ServerRole role, string ip) => $"{role.ScriptFilter()}@{ip}";

    private static ItemStatus Pbx(SiteTopology site, Pbx01Records pbx01)
    {
        var pbx = site.Pbx;
        var differences = new List<string>();
        if (!pbx01.HasHaInstall)
        {
            differences.Add($"pbx01 has no {pbx.GuideFolder}/res/vars.yml: no finished PBX HA install there");
        }
        else
        {
            if (pbx01.VarsPbxImage is { } image && image != pbx.Image)
            {
                differences.Add($"res/vars.yml says pbx_image {image}, the stack file pbxImage {pbx.Image} (pulumi up upgrades)");
            }
            if (pbx01.VarsVirtualIp is { } vip && vip != pbx.VirtualIp)
            {
                differences.Add($"res/vars.yml says virtual_ip {vip}, the stack file virtualIp {pbx.VirtualIp}");
            }
        }
        var expected = pbx.Image + (pbx.CertificateManager ? " with Certificate Manager" : "");
        var recorded = pbx01.Versions.GetValueOrDefault("pbx");
        if (recorded is not null && recorded != expected)
        {
            differences.Add($"pbx01 records the cluster at {recorded}, the stack file wants {expected}");
        }
        foreach (var role in ServerRoles.All.Where(r => site.ServersOf(r).Any()))
        {
            var version = pbx01.Versions.GetValueOrDefault($"extend-{role.Slug()}");
            if (version is not null && version != pbx.Image)
            {
                differences.Add($"pbx01 records the {role.PortalName()}s at {version}, the stack file wants {pbx.Image}");
            }
        }
        return new ItemStatus("pbx", "PBX HA cluster", pbx.Pbx01, null, new Pbx01Facts(pbx01.VarsPbxImage, recorded), differences);
    }

    private static ItemStatus Extended(ExtendedServerSettings s, string image, PortalView portal, Pbx01Records pbx01, HashSet<string> matched)
    {
        var differences = new List<string>();
        var ofRole = portal.Servers.Where(p => p.Role == s.Role && !matched.Contains(p.Id)).ToList();
        var record = ofRole.FirstOrDefault(p => p.Name == s.Name);
        if (record is null && ofRole.FirstOrDefault(p => !p.BuiltIn && p.Ip == s.PrivateIp) is { } renamed)
        {
            record = renamed;
            differences.Add($"the portal names it '{renamed.Name}', the stack file '{s.Name}' (renamed in the portal?)");
        }
        if (record is null)
        {
            differences.Add("the portal has no record of it (removed by hand?)");
        }
        else
        {
            matched.Add(record.Id);
            if (record.Ip != s.PrivateIp)
            {
                differences.Add($"the portal has it at {record.Ip ?? "no IP"}, the stack file at {s.PrivateIp}");
            }
            if (s.Role == ServerRole.Media && record.PublicIp != s.PublicIp && !(s.PublicIp is null && string.IsNullOrEmpty(record.PublicIp)))
            {
                differences.Add($"the portal's public IP is {Or(record.PublicIp)}, the stack file's {Or(s.PublicIp)}");
            }
            if (s.Role == ServerRole.Media && record.MaxSessions is { } max && max != s.MaxSessions)
            {
                differences.Add($"the portal allows {max} sessions, the stack file maxSessions {s.MaxSessions}");
            }
            if (!record.Enabled)
            {
                differences.Add("disabled in the portal");
            }
            else if (record.Status != "ONLINE")
            {
                differences.Add($"{record.Status ?? "no status"} in the portal (stopped or down?)");
            }
        }
        var key = InstalledKey(s.Role, s.PrivateIp);
        var installed = pbx01.Installed.GetValueOrDefault(key);
        if (installed is null)
        {
            differences.Add($"pbx01 has no record of its install (~/.portsip-infra/installed/{key})");
        }
        else if (installed != s.Name)
        {
            differences.Add($"pbx01 records it installed as '{installed}'");
        }
        return new ItemStatus(s.Role.Slug(), s.Name, s.PrivateIp, record is null ? null : Facts(record),
            new Pbx01Facts(installed, pbx01.Versions.GetValueOrDefault($"extend-{s.Role.Slug()}")), differences);
    }

    private static IEnumerable<ItemStatus> Im(SiteTopology site, PortalView portal, Pbx01Records pbx01)
    {
        var installed = pbx01.Installed.GetValueOrDefault("im");
        var version = pbx01.Versions.GetValueOrDefault("im");
        if (site.Im is not { } im)
        {
            if (installed is not null)
            {
                yield return new ItemStatus("im", "IM service", null, null, new Pbx01Facts(installed, version),
                    [$"pbx01 records an IM service at {installed}, the stack file has none"]);
            }
            yield break;
        }
        var differences = new List<string>();
        var whitelisted = Accepts(portal, im.PrivateIp);
        if (portal.ImPrivateIp != im.PrivateIp || portal.ImPublicIp != im.PublicIp)
        {
            differences.Add($"the portal's IM server is {Or(portal.ImPrivateIp)} (public {Or(portal.ImPublicIp)}), the stack file's {im.PrivateIp} (public {im.PublicIp})");
        }
        if (!whitelisted)
        {
            differences.Add($"no ACCEPT rule for {im.PrivateIp} in the portal's IP blacklist page");
        }
        Installed(differences, installed, im.PrivateIp, "im");
        var expected = $"{site.Pbx.Image} (token rotation {im.TokenRotation})";
        if (installed is not null && version != expected)
        {
            differences.Add($"pbx01 records version {Or(version)}, the stack file wants {expected}");
        }
        yield return new ItemStatus("im", "IM service", im.PrivateIp,
            new PortalFacts(Ip: portal.ImPrivateIp, PublicIp: portal.ImPublicIp, Whitelisted: whitelisted), new Pbx01Facts(installed, version), differences);
    }

    private static IEnumerable<ItemStatus> Sbc(SiteTopology site, Pbx01Records pbx01)
    {
        var known = new HashSet<string>();
        if (site.Sbc is { } sbc)
        {
            var expected = sbc.Image + (sbc.CertificateManager ? " with Certificate Manager" : "");
            foreach (var s in sbc.Servers)
            {
                var key = $"sbc@{s.PrivateIp}";
                known.Add(key);
                var differences = new List<string>();
                var installed = pbx01.Installed.GetValueOrDefault(key);
                var version = pbx01.Versions.GetValueOrDefault(key);
                Installed(differences, installed, s.PrivateIp, key);
                if (installed is not null && version != expected)
                {
                    differences.Add($"pbx01 records version {Or(version)}, the stack file wants {expected}");
                }
                yield return new ItemStatus("sbc", s.Name, s.PrivateIp, null, new Pbx01Facts(installed, version), differences);
            }
        }
        foreach (var (key, ip) in pbx01.Installed.Where(r => r.Key.StartsWith("sbc@", StringComparison.Ordinal) && !known.Contains(r.Key)))
        {
            yield return new ItemStatus("sbc", ip, null, null, new Pbx01Facts(ip, pbx01.Versions.GetValueOrDefault(key)),
                [$"pbx01 records an SBC server at {ip}, the stack file does not have it"]);
        }
    }

    private static IEnumerable<ItemStatus> DataFlow(SiteTopology site, PortalView portal, Pbx01Records pbx01)
    {
        var installed = pbx01.Installed.GetValueOrDefault("dataflow");
        var version = pbx01.Versions.GetValueOrDefault("dataflow");
        if (site.DataFlow is not { } df)
        {
            if (installed is not null)
            {
                yield return new ItemStatus("dataflow", "Data Flow service", null, null, new Pbx01Facts(installed, version),
                    [$"pbx01 records a Data Flow service at {installed}, the stack file has none"]);
            }
            yield break;
        }
        var differences = new List<string>();
        var whitelisted = Accepts(portal, df.Address);
        if (!whitelisted)
        {
            differences.Add($"no ACCEPT rule for {df.Address} in the portal's IP blacklist page");
        }
        Installed(differences, installed, df.Address, "dataflow");
        var expected = df.ClickHouseImage ?? "the script's default ClickHouse image";
        if (installed is not null && version != expected)
        {
            differences.Add($"pbx01 records ClickHouse {Or(version)}, the stack file wants {expected}");
        }
        yield return new ItemStatus("dataflow", "Data Flow service", df.Address, new PortalFacts(Whitelisted: whitelisted),
            new Pbx01Facts(installed, version), differences);
    }

    private static void Installed(List<string> differences, string? installed, string ip, string key)
    {
        if (installed is null)
        {
            differences.Add($"pbx01 has no record of its install (~/.portsip-infra/installed/{key})");
        }
        else if (installed != ip)
        {
            differences.Add($"pbx01 records it installed at {installed}");
        }
    }

    private static bool Accepts(PortalView portal, string ip) =>
        IPAddress.TryParse(ip, out var address) && portal.Accepted.Any(n => n.Contains(address));

    private static PortalFacts Facts(PortalServer p) =>
        new(p.Name, p.Ip, p.Role == ServerRole.Media ? p.PublicIp : null, p.Enabled, p.Status, p.CurrentSessions, p.MaxSessions);

    private static string Or(string? value) => string.IsNullOrEmpty(value) ? "none" : value;
}
