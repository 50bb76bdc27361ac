using System.Collections.Immutable;

namespace PortsipInfra;

/// <summary>The list of servers an operator looks for after an update: role, name, private and public IP, and each server's desired state.</summary>
public static class SiteInventory
{
    public static ImmutableArray<ImmutableDictionary<string, string>> Of(SiteTopology site)
    {
        var rows = ImmutableArray.CreateBuilder<ImmutableDictionary<string, string>>();
        void Add(string role, string name, string? privateIp, string? publicIp, RunState? run = null)
        {
            var row = ImmutableDictionary<string, string>.Empty.Add("role", role).Add("name", name);
            row = privateIp is null ? row : row.Add("privateIp", privateIp);
            row = run is null ? row : row.Add("state", run.Word);
            rows.Add(publicIp is null ? row : row.Add("publicIp", publicIp));
        }

        Add("pbx01", "pbx01", site.Pbx.Pbx01, null);
        Add("virtual-ip", "PBX HA virtual IP", site.Pbx.VirtualIp, site.Pbx.PublicIp);
        foreach (var s in site.ExtendedServers)
        {
            Add(s.Role.Slug(), s.Name, s.PrivateIp, s.PublicIp, s.Run);
        }
        if (site.Im is { } im)
        {
            Add("im", "IM service", im.PrivateIp, im.PublicIp, im.Run);
        }
        foreach (var s in site.Sbc?.Servers ?? [])
        {
            Add("sbc", s.Name, s.PrivateIp, s.PublicIp, s.Run);
        }
        if (site.DataFlow is { } df)
        {
            Add("dataflow", "Data Flow service", df.PrivateIp, df.PublicIp, df.Run);
        }
        return rows.ToImmutable();
    }
}
