using Renci.SshNet;
using Renci.SshNet.Common;

namespace PortsipInfra.Ops.Ssh;

/// <summary>
/// The secrets the stack keeps in Pulumi config, which only a Pulumi run can decrypt: here they come from a file
/// or the environment, never from the command line, and are never printed.
/// </summary>
public static class Credentials
{
    /// <summary>The SSH private key itself (the text of the key file), like the stack's secret sshPrivateKey.</summary>
    public const string SshKeyVariable = "PORTSIP_SSH_PRIVATE_KEY";

    /// <summary>The passphrase of an encrypted private key.</summary>
    public const string SshPassphraseVariable = "PORTSIP_SSH_KEY_PASSPHRASE";

    /// <summary>The Web Portal System Administrator's password, like the stack's secret portalPassword.</summary>
    public const string PortalPasswordVariable = "PORTSIP_PORTAL_PASSWORD";

    /// <summary>The SSH key: --key FILE, else $PORTSIP_SSH_PRIVATE_KEY, else ~/.ssh/id_ed25519, id_ecdsa or id_rsa.</summary>
    public static SshIdentity SshKey(string? keyFile, Func<string, string?> environment)
    {
        var passphrase = environment(SshPassphraseVariable);
        if (keyFile is not null)
        {
            if (!File.Exists(keyFile))
            {
                throw new OpsError($"--key {keyFile}: no such file");
            }
            return Load($"the key {keyFile}", () => File.OpenRead(keyFile), passphrase);
        }
        if (environment(SshKeyVariable) is { Length: > 0 } text)
        {
            return Load($"the key in ${SshKeyVariable}", () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.Trim() + "\n")), passphrase);
        }
        var home = environment("HOME") ?? "";
        foreach (var name in new[] { "id_ed25519", "id_ecdsa", "id_rsa" })
        {
            var file = Path.Combine(home, ".ssh", name);
            if (home.Length > 0 && File.Exists(file))
            {
                return Load($"the key {file}", () => File.OpenRead(file), passphrase);
            }
        }
        throw new OpsError($"no SSH key: give --key FILE, or set {SshKeyVariable} to the private key (the stack's secret sshPrivateKey)");
    }

    public static string PortalPassword(Func<string, string?> environment, string user) =>
        environment(PortalPasswordVariable) is { Length: > 0 } password
            ? password
            : throw new OpsError($"status reads the Web Portal as '{user}' (portalUser): set {PortalPasswordVariable} to its password (the stack's secret portalPassword)");

    private static SshIdentity Load(string source, Func<Stream> open, string? passphrase)
    {
        try
        {
            using var stream = open();
            return new SshIdentity(source, new PrivateKeyFile(stream, passphrase));
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            throw new OpsError($"{source} is encrypted: set {SshPassphraseVariable} to its passphrase");
        }
        catch (Exception e) when (e is SshException or InvalidOperationException or ArgumentException or FormatException or NotSupportedException)
        {
            throw new OpsError($"{source} is not a private key this tool can read (OpenSSH, PEM or PuTTY format): {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OpsError($"cannot read {source}: {e.Message}");
        }
    }
}

/// <summary>A private key and where it came from (for messages; never the key itself).</summary>
public sealed record SshIdentity(string Source, IPrivateKeySource Key);
