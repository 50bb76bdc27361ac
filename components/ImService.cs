using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// The Instant Messaging service on its own server, in the guide's steps: its IP whitelisted in the Web Portal,
/// a token generated for it, then <c>im.sh run</c> on pbx01 with the token on stdin. A new PBX image (or a token
/// rotation) generates a new token and runs <c>im.sh upgrade</c>. Protected by default: removing it deletes the IM
/// installation, so the operator sets <c>im.protect: false</c> before a removal or a move to a new IP.
/// </summary>
public sealed class ImService : ComponentResource
{
    [Output("privateIp")] public Output<string> PrivateIp { get; private set; }
    [Output("publicIp")] public Output<string> PublicIp { get; private set; }
    /// <summary>The desired run state: running or stopped.</summary>
    [Output("state")] public Output<string> State { get; private set; }

    public Command Whitelist { get; }
    public Command Token { get; }
    public Command Install { get; }

    /// <summary>Its run state (im.sh start|stop) and restarts, after the install.</summary>
    public RunStateSteps RunState { get; }

    public Command Preflight { get; }

    public ImService(string name, ImSettings im, string pbxImage, Pbx01 pbx01, ServerAccess access, WebPortal portal,
        ComponentResourceOptions? options = null)
        : base("portsip:cluster:ImService", name, options)
    {
        var guide = pbx01.GuideFolder;
        var what = $"IM service ({im.PrivateIp})";

        // Step 2: "Configure the IP Address Whitelist" (mandatory).
        Whitelist = PortalWhitelist.Add($"{name}-whitelist", im.PrivateIp, "PortSIP IM service (portsip-infra)", pbx01, portal, this);

        // Step 3: "Generate a Token for the IM Server"; again before every upgrade, and when the site rotates it.
        Token = PortalToken.Generate($"{name}-token", PortalCommands.ImToken(regenerate: true), PortalCommands.ImToken(regenerate: false),
            ReplaceWhen.AnyChanges(pbxImage, im.TokenRotation.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            pbx01, portal, this);

        // Steps 1 and 4: prepare the server, password-free SSH from pbx01.
        var host = PreparedHost.Prepare(name, what, im.PrivateIp, im.HostKey, PreflightChecks.MinDiskGb(false),
            new InstallRecord("im", im.PrivateIp, PortalKind: "im"), pbx01, access, portal, this);
        Preflight = host.Preflight;

        // Step 5: "Deploy the IM Service"; the token reaches im.sh on stdin.
        var scripts = ServerScripts.Im(guide, im, pbxImage);
        Install = new Command($"{name}-install", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = scripts.Create,
            // A stopped IM service's upgrade waits until it runs again.
            Update = RunStateScripts.UpgradeOrWait(scripts.Update, "the IM service's", im.Run.Stopped ? ["the IM service"] : []),
            Delete = scripts.Delete!,
            Stdin = PortalToken.AsStdin(Token),
            // After the trust step (ReplaceWhen.After): a move removes the old installation before pbx01's key leaves it.
            Triggers = ReplaceWhen.After(host.Trust, im.PrivateIp, im.PublicIp, im.StoragePath ?? ""),
        }, ReplaceWhen.OldOneFirst(this, pbx01.DependsOn().Concat(Whitelist).Concat(Token).Concat(Preflight), protect: im.Protect));

        RunState = RunStateSteps.Add(name, what, "im", im.Run, action => GuideCommands.ImControl(guide, action), Install,
            [im.PrivateIp, im.PublicIp, im.StoragePath ?? ""], pbx01, this);

        PrivateIp = Output.Create(im.PrivateIp);
        PublicIp = Output.Create(im.PublicIp);
        State = Output.Create(im.Run.Word);
        RegisterOutputs();
    }
}
