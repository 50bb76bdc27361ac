using Pulumi;

namespace PortsipInfra;

/// <summary>
/// The SSH private key the program logs in to pbx01 with: the secret <c>sshPrivateKey</c>, or else the SSH
/// agent named by <c>SSH_AUTH_SOCK</c>. A preview runs no remote command and so needs neither; an update says
/// exactly what to set.
/// </summary>
public static class SshCredentials
{
    public const string Key = "sshPrivateKey";

    public static Output<string>? Read(Config config, string project, bool isPreview)
    {
        var key = config.GetSecret(Key);
        if (key is not null || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SSH_AUTH_SOCK")))
        {
            return key;
        }
        var howTo = MissingMessage(project);
        if (isPreview)
        {
            Log.Warn(howTo + " A preview runs no remote command, so it goes on without it; `pulumi up` will stop here.");
            return null;
        }
        throw new RunException(howTo);
    }

    public static string MissingMessage(string project) =>
        $"{project}:{Key} is not set and no SSH agent is running (SSH_AUTH_SOCK is empty): nothing can log in to pbx01. "
        + $"Set the private key of the SSH user as a secret: `cat ~/.ssh/id_ed25519 | pulumi config set --secret {Key}`"
        + " (or start ssh-agent and ssh-add the key).";
}
