using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// The stack's own SSH key for pbx01 (<c>deployKey: true</c>), for pipelines: an Ed25519 key made by Pulumi.Tls and
/// kept, private half as a secret, in the stack's state, then authorized for the SSH user on pbx01 (one line in
/// <c>~/.ssh/authorized_keys</c>, marked <c>portsip-infra-deploy-key</c>). The first run logs in with the operator's
/// key (<c>sshPrivateKey</c>) to authorize it; every other command logs in with the deploy key, so later runs need
/// no personal key. Destroying the stack takes the line off again.
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
        Authorize = new Command($"{name}-authorize", new CommandArgs
        {
            Connection = Pbx01.Connect(pbx, personalKey ?? PrivateKey).Connection,
            Create = AuthorizeScript,
            Delete = RevokeScript,
            Stdin = PublicKey.Apply(k => k + "\n"),
        }, new CustomResourceOptions { Parent = this });

        RegisterOutputs();
    }

    // infra/Scripts/remote/deploy-key-*.sh after key-file.sh (atomic edits of authorized_keys): the key line
    // arrives on stdin; the same key is never added twice, and only its line is removed.
    public static string AuthorizeScript => RemoteFiles.Script([], "key-file.sh", "deploy-key-authorize.sh");

    public static string RevokeScript => RemoteFiles.Script([], "key-file.sh", "deploy-key-revoke.sh");
}
