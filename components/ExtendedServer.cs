using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// One Media, Queue, Meeting or IVR server added to the cluster, in the guide's steps: registered in the Web
/// Portal under its name, installed with <c>extend.sh run</c> on pbx01, then awaited until the portal shows it
/// Online. Removing it from the stack runs <c>extend.sh rm</c> for this server only (by role and IP), then
/// unregisters it. A new IP (or a new name declared with <c>renamedFrom</c>) replaces the server: the old one is removed
/// first (rm, unregister, untrust), then the new one made; an address where pbx01 records another server is refused
/// (<c>NAME-claim</c>) before anything changes.
/// </summary>
public abstract class ExtendedServer : ComponentResource
{
    [Output("role")] public Output<string> Role { get; private set; }
    [Output("serverName")] public Output<string> ServerName { get; private set; }
    [Output("privateIp")] public Output<string> PrivateIp { get; private set; }
    [Output("publicIp")] public Output<string?> PublicIp { get; private set; }
    /// <summary>The desired run state: running or stopped.</summary>
    [Output("state")] public Output<string> State { get; private set; }

    public Command Register { get; }
    public Command Install { get; }
    public Command Online { get; }

    /// <summary>Its run state (start/stop) and restarts, between the install and the ONLINE wait.</summary>
    public RunStateSteps RunState { get; }

    public Command Preflight { get; }

    public Command Claim { get; }

    public Command Trust { get; }

    protected ExtendedServer(string type, ExtendedServerSettings server, Pbx01 pbx01, ServerAccess access, WebPortal portal,
        PortalSettings portalSettings, ComponentResourceOptions? options, DrainSettings? drain = null)
        : base(type, server.Name, RenamedFrom.Component(options, server.RenamedFrom))
    {
        var name = server.Name;
        var guide = pbx01.GuideFolder;
        // What identifies the server to the portal and to extend.sh: a change means a different server. Each step's
        // triggers carry it through the previous step's (ReplaceWhen.After): claim, then trust, register, install, online.
        string[] identity = [server.Role.ScriptFilter(), name, server.PrivateIp, server.PublicIp ?? ""];
        var record = new InstallRecord($"{server.Role.ScriptFilter()}@{server.PrivateIp}", name, server.RenamedFrom, PortalCommands.Kind(server.Role));

        // "Preparing the Linux Host Machine" and "Set Up Password-Free Login", after the claim on the address.
        var host = PreparedHost.Prepare(name, $"{name} ({server.PrivateIp})", server.PrivateIp, server.HostKey,
            PreflightChecks.MinDiskGb(server.RecordsCalls), record, pbx01, access, portal, this);
        Claim = host.Claim;
        Trust = host.Trust;
        Preflight = host.Preflight;

        // Step 1: add the server in the Web Portal (max sessions and enabled are updated in place).
        Register = new Command($"{name}-register", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = PortalCommands.Register(server, enabled: true),
            Delete = PortalCommands.Unregister(server.Role, name, server.PrivateIp),
            Stdin = portal.ApiStdin,
            Triggers = ReplaceWhen.After(Trust, identity),
        }, RenamedFrom.Child(ReplaceWhen.OldOneFirst(this, pbx01.DependsOn().Concat(portal.Ready.ToArray()).Concat(Trust)), server.RenamedFrom, "-register"));

        // Step 2 (3 for media servers): deploy it from pbx01.
        // Its removal (and replacement) drains it first: disabled in the portal, its sessions awaited (DrainCommands).
        var scripts = ServerScripts.ExtendedServer(guide, server, adoptFromPortal: true,
            drain: DrainCommands.Drain(server, drain ?? DrainSettings.Default));
        Install = new Command($"{name}-install", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = scripts.Create,
            // A changed guide folder or SSH setting only re-checks and records: it never installs.
            Update = scripts.Update,
            Delete = scripts.Delete!,
            // For the portal's status of this server (adopting one built by hand); read by the REST helper only.
            Stdin = portal.ApiStdin,
            Triggers = ReplaceWhen.After(Register, identity),
        }, RenamedFrom.Child(ReplaceWhen.OldOneFirst(this, pbx01.DependsOn().Concat(Register).Concat(Preflight)), server.RenamedFrom, "-install"));

        // Started or stopped as the config says (extend.sh start|stop -s ROLE -a IP), restarted on request; drained
        // in the portal before a stop, enabled again after a start.
        RunState = RunStateSteps.Add(name, $"{server.Role.PortalName()} {name} ({server.PrivateIp})", record.Key, server.Run,
            action => GuideCommands.ExtendControl(guide, server.Role, server.PrivateIp, action), Install, identity, pbx01, this, server.RenamedFrom,
            new PortalSwitch(DrainCommands.Drain(server, drain ?? DrainSettings.Default), DrainCommands.Enable(server.Role, name, server.PrivateIp)), portal);

        // Last step: the portal shows it Online (a stopped server is not waited on; its start changes this step's
        // script, and the step then waits).
        Online = new Command($"{name}-online", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = server.Run.Stopped
                ? RunStateScripts.Say(RunStateMessages.NotWaitedOnline(name))
                : PortalCommands.WaitOnline(server.Role, name, portalSettings.OnlineTimeoutSeconds, 5),
            Stdin = portal.ApiStdin,
            Triggers = ReplaceWhen.After(RunState.State, identity),
        }, RenamedFrom.Child(ReplaceWhen.OldOneFirst(this, RunState.State), server.RenamedFrom, "-online"));

        Role = Output.Create(server.Role.Slug());
        ServerName = Output.Create(name);
        PrivateIp = Output.Create(server.PrivateIp);
        PublicIp = Output.Create(server.PublicIp);
        State = Output.Create(server.Run.Word);
        RegisterOutputs();
    }
}
