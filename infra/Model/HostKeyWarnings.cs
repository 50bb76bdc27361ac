namespace PortsipInfra;

/// <summary>
/// The connections whose host key the site does not pin. pbx01 (and a bastion) are reached by the Pulumi
/// Command provider, which checks a host key only when one is given (see <see cref="Pbx01HostKeys"/>: `pulumi up`
/// needs them pinned unless the stack opts in); the cluster servers are reached from pbx01, which records an unlisted
/// key on first contact and refuses a different one afterwards. Each unpinned connection is a warning in the preview.
/// </summary>
public static class HostKeyWarnings
{
    public static IReadOnlyList<string> For(SiteTopology site)
    {
        var warnings = new List<string>();
        // Without the opt-in, an unpinned pbx01 or bastion is reported by Pbx01HostKeys (a warning in a preview too).
        if (site.Pbx.Ssh.TrustOnFirstUse && site.Pbx.Ssh.HostKey is null)
        {
            warnings.Add($"pbx01 ({site.Pbx.Pbx01}): its SSH host key is not pinned ({Pbx01HostKeys.OptInKey}: true), so the Command provider accepts "
                + "whatever key answers there, on every run. Set pbx01HostKey (the line `ssh-keyscan -t ed25519 " + site.Pbx.Pbx01 + "` prints, without the address).");
        }
        if (site.Pbx.Ssh is { TrustOnFirstUse: true, Bastion: { HostKey: null } bastion })
        {
            warnings.Add($"bastion {bastion.Host}: its SSH host key is not pinned ({Pbx01HostKeys.OptInKey}: true); set bastionHostKey.");
        }
        var unpinned = site.ExtendedServers.Where(s => s.HostKey is null).Select(s => $"{s.Name} ({s.PrivateIp})")
            .Concat(site.Im is { HostKey: null } im ? [$"IM service ({im.PrivateIp})"] : [])
            .Concat(site.Sbc?.Servers.Where(s => s.HostKey is null).Select(s => $"{s.Name} ({s.PrivateIp})") ?? [])
            .Concat(site.DataFlow is { HostKey: null } df ? [$"Data Flow service ({df.PrivateIp})"] : [])
            .ToList();
        if (unpinned.Count > 0)
        {
            warnings.Add($"{unpinned.Count} server(s) without a pinned host key: {string.Join(", ", unpinned)}. pbx01 records each key on first contact "
                + "and refuses a different one later; to pin them in advance, give each server its hostKey.");
        }
        return warnings;
    }
}
