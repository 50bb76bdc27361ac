using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// The Web Portal steps of the guides, done through the PortSIP REST API from pbx01: the stack uploads one small
/// helper (python3, standard library only) to pbx01, which reaches the API on the virtual IP by default and
/// checks its certificate. The main server's built-in servers are switched per role (<see cref="DefaultServer"/>).
/// </summary>
public sealed class WebPortal : ComponentResource
{
    [Output("apiUrl")] public Output<string> ApiUrl { get; private set; }

    /// <summary>The admin login, the API address and how to check its certificate, as the helper reads them on stdin. A secret.</summary>
    public Output<string> ApiStdin { get; }

    /// <summary>What every portal step waits for: the helper uploaded.</summary>
    public IReadOnlyList<Resource> Ready { get; }

    public WebPortal(string name, PortalSettings portal, Pbx01 pbx01, string sshUser, Output<string>? adminPassword, ComponentResourceOptions? options = null)
        : base("portsip:cluster:WebPortal", name, options)
    {
        var password = adminPassword ?? Output.Create("");
        ApiStdin = Output.CreateSecret(password.Apply(p => PortalCommands.ApiStdin(portal, p)));

        var children = new CustomResourceOptions { Parent = this, DependsOn = pbx01.DependsOn() };
        var folder = new Command($"{name}-helper-folder", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = RemoteScript.HelperFolder(),
        }, children);
        var helper = new CopyToRemote($"{name}-helper", new CopyToRemoteArgs
        {
            Connection = pbx01.Connection,
            Source = new FileAsset(PortalCommands.HelperSource),
            // SFTP does not expand $HOME; the HA user's home is /home/<user> on Ubuntu.
            RemotePath = HelperRemotePath(sshUser),
        }, new CustomResourceOptions { Parent = this, DependsOn = folder });
        Ready = [helper];

        ApiUrl = Output.Create(portal.ApiUrl);
        RegisterOutputs();
    }

    public static string HelperRemotePath(string sshUser) =>
        (sshUser == "root" ? "/root" : $"/home/{sshUser}") + "/.portsip-infra/portsip_api.py";
}
