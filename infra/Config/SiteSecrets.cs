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
            .Select(m => $"  - {project}:{m.Key}: {m.Why}. Set it with: {m.HowTo}")
            .ToList();
        if (missing.Count > 0)
        {
            var message = $"Secrets missing for this site:\n{string.Join("\n", missing)}";
            if (!isPreview)
            {
                throw new RunException(message + "\nNothing was deployed.");
            }
            Log.Warn(message + "\nA preview runs no remote command, so it goes on without them; `pulumi up` will stop here.");
        }
        return secrets;
    }

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
        if (DataFlowToken is null && site.DataFlow is not null)
        {
            yield return (DataFlowTokenKey, "dataflow.sh needs the token made in the Web Portal (Servers > Data Flow > Generate Token); the REST API has no call for it",
                $"pulumi config set --secret {DataFlowTokenKey}");
        }
    }
}
