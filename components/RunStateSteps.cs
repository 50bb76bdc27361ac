using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// The run state of one server or service, after its install: <c>NAME-state</c> runs the guide's <c>stop</c> or
/// <c>start</c> when the desired state (<c>state</c>) differs from what pbx01 recorded last, and <c>NAME-restart</c>
/// runs its <c>restart</c> once when <c>restart</c> is raised (the count is in its triggers: a raise replaces it, so
/// its create runs once). Both carry the server's identity through the install's triggers (install, state, restart),
/// so a replacement of the server deletes them before its <c>rm</c>.
/// </summary>
public sealed record RunStateSteps(Command State, Command Restart)
{
    /// <param name="key">the server's key in pbx01's records (as install.sh records it)</param>
    /// <param name="control">the guide's command line for start, stop or restart of this one server</param>
    public static RunStateSteps Add(string name, string what, string key, RunState run, Func<RunAction, string> control, Command install,
        string[] identity, Pbx01 pbx01, Resource parent, string? renamedFrom = null, PortalSwitch? portalSwitch = null, WebPortal? portal = null)
    {
        var scripts = RunStateScripts.State(what, key, run, control(RunAction.Start), control(RunAction.Stop), portalSwitch);
        var stateArgs = new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = scripts.Create,
            Update = scripts.Update,
            Delete = scripts.Delete!,
            Triggers = ReplaceWhen.After(install, identity),
        };
        if (portalSwitch is not null)
        {
            // An extended server's drain and enable: the Web Portal's connection, read once by run-state-check.sh and
            // piped to the REST helper only; the drain's progress is streamed while it waits (CommandSecrecy).
            stateArgs.Stdin = portal!.ApiStdin;
            stateArgs.Logging = Logging.StdoutAndStderr;
        }
        var state = new Command($"{name}-state", stateArgs, RenamedFrom.Child(ReplaceWhen.OldOneFirst(parent, pbx01.DependsOn().Concat(install)), renamedFrom, "-state"));

        var restart = RunStateScripts.Restart(what, key, run, control(RunAction.Restart));
        var count = run.Restart.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var restartStep = new Command($"{name}-restart", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = restart,
            Update = restart,
            Triggers = ReplaceWhen.After(state, [.. identity, count]),
        }, RenamedFrom.Child(ReplaceWhen.OldOneFirst(parent, pbx01.DependsOn().Concat(state)), renamedFrom, "-restart"));
        return new RunStateSteps(state, restartStep);
    }
}
