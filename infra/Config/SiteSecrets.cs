using Pulumi;

namespace PortsipInfra;

/// <summary>
/// The stack's secrets, each kept a Pulumi secret from config to the remote command (where it arrives on stdin
/// or in the SSH connection, never on a command line). A preview runs no remote command and so needs none of
/// them; `pulumi up` stops before doing anything and says which ones to set, and how.
/// </summary>
public sealed record SiteSecrets(
    Output<string>? SshPrivateKey,
    Output<string>? PortalPassword,
    Output<string>? ServerPassword,
    Output<string>? DataFlowToken)
{
    public const string SshPrivateKeyKey = "sshPrivateKey";
    public const string PortalPasswordKey = "portalPassword";
    public const string ServerPasswordKey = "serverPassword";
    public const string DataFlowTokenKey = "dataFlowToken";

    public static SiteSecrets Read(Config config, SiteTopology site, string project, bool isPreview)
    {
        var secrets = new SiteSecrets(
            config.GetSecret(SshPrivateKeyKey),
            config.GetSecret(PortalPasswordKey),
            config.GetSecret(ServerPasswordKey),
            config.GetSecret(DataFlowTokenKey));

        var missing = secrets.Missing(site, !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SSH_AUTH_SOCK")))
            .Select(m => new BeforeUp.Missing(m.Key, m.Why, m.HowTo));
        BeforeUp.Check("Secrets missing for this site", missing, project, isPreview);
        return secrets;
    }

    /// <summary>The servers pbx01 must trust (each has a <c>-trust</c> step): extended servers, IM, SBC servers, Data Flow.</summary>
    public static int ServersToTrust(SiteTopology site) =>
        site.ExtendedServers.Length + (site.Im is null ? 0 : 1) + (site.Sbc?.Servers.Length ?? 0) + (site.DataFlow is null ? 0 : 1);

    /// <summary>Which secrets this site needs and does not have.</summary>
    public IEnumerable<(string Key, string Why, string HowTo)> Missing(SiteTopology site, bool sshAgentRunning)
    {
        // With its own deploy key, the stack needs the personal key only for the run that authorizes it on pbx01.
        if (SshPrivateKey is null && !sshAgentRunning && !site.Pbx.Ssh.DeployKey)
        {
            yield return (SshPrivateKeyKey, "nothing can log in to pbx01 (no key, and no SSH agent: SSH_AUTH_SOCK is empty)",
                $"cat ~/.ssh/id_ed25519 | pulumi config set --secret {SshPrivateKeyKey}");
        }
        if (PortalPassword is null && PortalSteps.AnyFor(site))
        {
            yield return (PortalPasswordKey, $"the Web Portal steps log in to the PortSIP REST API as '{site.Portal.AdminUser}' (portalUser)",
                $"pulumi config set --secret {PortalPasswordKey} (it prompts for the value)");
        }
        if (ServerPassword is null && ServersToTrust(site) is > 0 and var servers)
        {
            yield return (ServerPasswordKey, $"pbx01 authorizes its key on the site's {servers} server(s) with the password of '{site.Pbx.Ssh.User}' there, as the guides' ssh-copy-id does",
                $"pulumi config set --secret {ServerPasswordKey} (it prompts for the value)");
        }
        if (DataFlowToken is null && site.DataFlow is not null)
        {
            yield return (DataFlowTokenKey, "dataflow.sh needs the token made in the Web Portal (Servers > Data Flow > Generate Token); the REST API has no call for it",
                $"pulumi config set --secret {DataFlowTokenKey}");
        }
    }
}
