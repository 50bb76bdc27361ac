namespace PortsipInfra;

/// <summary>
/// The host keys `pulumi up` needs pinned. pbx01 (and a bastion) are reached by the Pulumi Command provider, which
/// accepts any host key when none is given: the portal admin password, serverPassword, the tokens and the deploy
/// key would go to whoever answers at that address. So `pulumi up` refuses to run without <c>pbx01HostKey</c> (and
/// <c>bastionHostKey</c> with a bastion), unless the stack opts in with <c>trustPbx01OnFirstUse: true</c>.
/// </summary>
public static class Pbx01HostKeys
{
    public const string OptInKey = "trustPbx01OnFirstUse";

    public static IEnumerable<BeforeUp.Missing> Missing(SiteTopology site, string stack)
    {
        var ssh = site.Pbx.Ssh;
        if (ssh.TrustOnFirstUse)
        {
            yield break;
        }
        if (ssh.HostKey is null)
        {
            yield return new("pbx01HostKey",
                $"without it the SSH connection to pbx01 ({site.Pbx.Pbx01}) accepts any host key, and the stack's passwords, tokens and keys would go to whoever answers there",
                HowToPin("pbx01HostKey", site.Pbx.Pbx01, ssh.Port, stack));
        }
        if (ssh.Bastion is { HostKey: null } bastion)
        {
            yield return new("bastionHostKey",
                $"without it the SSH connection to the bastion {bastion.Host} accepts any host key",
                HowToPin("bastionHostKey", bastion.Host, bastion.Port, stack));
        }
    }

    private static string HowToPin(string key, string host, int port, string stack) =>
        $"`ops keyscan --stack {stack} --write`, or read the key over a path you trust and run "
        + $"pulumi config set {key} \"$(ssh-keyscan -t ed25519 {(port == 22 ? "" : $"-p {port} ")}{host} | cut -d' ' -f2-)\" --stack {stack}. "
        + $"For a lab only: {OptInKey}: true lets `pulumi up` run unpinned";
}
