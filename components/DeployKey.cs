using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// The stack's own SSH key for pbx01 (<c>deployKey: true</c>), for pipelines: an Ed25519 key made by Pulumi.Tls and
/// kept, private half as a secret, in the stack's state, then authorized for the SSH user on pbx01 (one line in
/// <c>~/.ssh/authorized_keys</c>, marked <c>portsip-infra-deploy-key</c>). The first run logs in with the operator's
/// key (<c>sshPrivateKey</c>) to authorize it; every other command logs in with the deploy key, so later runs need
/// no personal key. The line restricts the key (see <see cref="AuthorizedKeysLine"/>). Destroying the stack takes
/// the line off again.
/// </summary>
public sealed class DeployKey : ComponentResource
{
    public const string Marker = "portsip-infra-deploy-key";

    [Output("publicKey")] public Output<string> PublicKey { get; private set; }

    /// <summary>The private key, a secret.</summary>
    public Output<string> PrivateKey { get; }

    /// <summary>Done once pbx01 accepts the deploy key.</summary>
    public Command Authorize { get; }

    public DeployKey(string name, PbxClusterSettings pbx, Output<string>? personalKey, ComponentResourceOptions? options = null)
        : base("portsip:cluster:DeployKey", name, options)
    {
        var key = new Pulumi.Tls.PrivateKey($"{name}-key", new Pulumi.Tls.PrivateKeyArgs { Algorithm = "ED25519" },
            new CustomResourceOptions { Parent = this, AdditionalSecretOutputs = { "privateKeyOpenssh", "privateKeyPem" } });
        PrivateKey = Output.CreateSecret(key.PrivateKeyOpenssh.Apply(k => k ?? ""));
        PublicKey = key.PublicKeyOpenssh.Apply(k => (k ?? "").Trim() + " " + Marker);

        // Logged in with the operator's key when there is one, else with the deploy key (authorized already).
        // A new line (other deployKeyFrom addresses) replaces the command: the new line is added first, then the old
        // one taken off by the old command's delete, which matches exactly the line it added.
        var line = PublicKey.Apply(k => AuthorizedKeysLine(k, pbx.Ssh.DeployKeyFrom));
        Authorize = new Command($"{name}-authorize", new CommandArgs
        {
            Connection = Pbx01.Connect(pbx, personalKey ?? PrivateKey).Connection,
            Create = AuthorizeScript,
            Delete = RevokeScript,
            Stdin = line.Apply(l => l + "\n"),
            Triggers = { (Input<object>)line.Apply(l => (object)l) },
        }, new CustomResourceOptions { Parent = this, ReplaceOnChanges = { "triggers" } });

        RegisterOutputs();
    }

    /// <summary>
    /// The deploy key's line in pbx01's <c>authorized_keys</c>: OpenSSH's <c>restrict</c> (no port, agent or X11
    /// forwarding, no terminal, no <c>~/.ssh/rc</c>: the stack's commands and its file upload need none of them) and,
    /// with <c>deployKeyFrom</c>, the only addresses the key is accepted from, e.g.
    /// <c>restrict,from="10.0.0.5,10.0.0.0/24" ssh-ed25519 AAAA... portsip-infra-deploy-key</c>.
    /// </summary>
    public static string AuthorizedKeysLine(string publicKey, IReadOnlyCollection<string> from) =>
        (from.Count == 0 ? "restrict" : $"restrict,from=\"{string.Join(",", from)}\"") + " " + publicKey;

    // infra/Scripts/remote/deploy-key-*.sh after key-file.sh (atomic edits of authorized_keys): the key line
    // arrives on stdin; the same line is never added twice, and only that exact line is removed
    // (a new line, other deployKeyFrom addresses, is added before the old one is taken off).
    public static string AuthorizeScript => RemoteFiles.Script([], "key-file.sh", "deploy-key-authorize.sh");

    public static string RevokeScript => RemoteFiles.Script([], "key-file.sh", "deploy-key-revoke.sh");
}
