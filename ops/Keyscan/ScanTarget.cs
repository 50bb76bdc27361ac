namespace PortsipInfra.Ops.Keyscan;

/// <summary>
/// One host whose key the stack can pin: its name (as --replace takes it), address, SSH port, the config key that
/// pins it, the key pinned there now, and the key after which a missing top-level key is added.
/// </summary>
public sealed record ScanTarget(string Name, string Address, int Port, string ConfigKey, string? Pinned, string? Anchor = null)
{
    /// <summary>The servers pbx01 reaches (extended servers, IM, SBC servers, Data Flow), in the stack file's order.</summary>
    public static IReadOnlyList<ScanTarget> Servers(SiteTopology site)
    {
        var targets = new List<ScanTarget>();
        foreach (var role in ServerRoles.All)
        {
            var i = 0;
            foreach (var s in site.ServersOf(role))
            {
                targets.Add(new ScanTarget(s.Name, s.PrivateIp, 22, $"{role.ConfigKey()}[{i++}].hostKey", s.HostKey));
            }
        }
        if (site.Im is { } im)
        {
            targets.Add(new ScanTarget("im", im.PrivateIp, 22, "im.hostKey", im.HostKey));
        }
        foreach (var (s, i) in (site.Sbc?.Servers ?? []).Select((s, i) => (s, i)))
        {
            targets.Add(new ScanTarget(s.Name, s.PrivateIp, 22, $"sbc.servers[{i}].hostKey", s.HostKey));
        }
        if (site.DataFlow is { } df)
        {
            targets.Add(new ScanTarget("dataflow", df.Address, 22, "dataFlow.hostKey", df.HostKey));
        }
        return targets;
    }

    /// <summary>The hosts this machine logs in to: the bastion (when there is one) and pbx01.</summary>
    public static IReadOnlyList<ScanTarget> Entry(SiteTopology site)
    {
        var ssh = site.Pbx.Ssh;
        var pbx01 = new ScanTarget("pbx01", site.Pbx.Pbx01, ssh.Port, "pbx01HostKey", ssh.HostKey, "pbx01");
        return ssh.Bastion is { } b
            ? [new ScanTarget("bastion", b.Host, b.Port, "bastionHostKey", b.HostKey, "bastionHost"), pbx01]
            : [pbx01];
    }
}
