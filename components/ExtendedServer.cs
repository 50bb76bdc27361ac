using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// One Media, Queue, Meeting or IVR server added to the cluster with extend.sh. Its install runs
/// <c>extend.sh run</c> on pbx01; removing it from the stack runs <c>extend.sh rm</c> for this server only
/// (by role and IP). A new name or IP replaces the server: the old one is removed first.
/// </summary>
public abstract class ExtendedServer : ComponentResource
{
    [Output("role")] public Output<string> Role { get; private set; }
    [Output("serverName")] public Output<string> ServerName { get; private set; }
    [Output("privateIp")] public Output<string> PrivateIp { get; private set; }
    [Output("publicIp")] public Output<string?> PublicIp { get; private set; }

    public Command Install { get; }

    protected ExtendedServer(string type, ExtendedServerSettings server, Pbx01 pbx01, ComponentResourceOptions? options)
        : base(type, server.Name, options)
    {
        var name = server.Name;
        var guide = pbx01.GuideFolder;
        var what = $"{server.Role.PortalName()} {name} ({server.PrivateIp})";
        var markerKey = $"{server.Role.ScriptFilter()}@{server.PrivateIp}";
        var install = RemoteScript.Install(what, markerKey, name, GuideCommands.ExtendRun(guide, server));

        var childOptions = new CustomResourceOptions
        {
            Parent = this,
            DependsOn = pbx01.DependsOn(),
            DeleteBeforeReplace = true,
            ReplaceOnChanges = { "triggers" },
        };
        Install = new Command($"{name}-install", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = install,
            // A changed guide folder or SSH setting only re-checks; the install record keeps it from installing twice.
            Update = install,
            Delete = RemoteScript.Remove(what, markerKey, GuideCommands.ExtendRemove(guide, server.Role, server.PrivateIp)),
            // What identifies the server to extend.sh: a change means a different server, so it is replaced.
            Triggers = ReplaceWhen.AnyChanges(server.Role.ScriptFilter(), name, server.PrivateIp),
        }, childOptions);

        Role = Output.Create(server.Role.Slug());
        ServerName = Output.Create(name);
        PrivateIp = Output.Create(server.PrivateIp);
        PublicIp = Output.Create(server.PublicIp);
        RegisterOutputs();
    }
}
