using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra;

/// <summary>
/// Settings every Remote.Command of the site gets, set in one place (a resource transformation on the Site, so no
/// step can forget them):
/// <list type="bullet">
/// <item><c>addPreviousOutputInEnv: false</c> on every command. Otherwise the provider sends a command's previous
/// stdout and stderr to pbx01 as PULUMI_COMMAND_STDOUT / PULUMI_COMMAND_STDERR on every update (the IM and SBC tokens
/// among them), and only sshd's AcceptEnv keeps them out.</item>
/// <item>A command with stdin receives a secret there: the portal password (every REST API step, the token steps
/// included), the HA user's password (<c>-trust</c>), the IM or Data Flow token (their installs). The deploy key's
/// public line is the one harmless stdin; it is treated the same. Its stdout and stderr become secrets in the state,
/// and neither is streamed to the update's log (<c>logging: none</c>): the token steps print the token itself, and a
/// vendor script may echo what it read. When such a step fails, the provider still puts its stdout and stderr into
/// the error message, so nothing is lost for diagnosis; that is also why no script prints a secret it read, and
/// the token steps print the token only as their last act, after every call succeeded. A step that sets its own
/// <c>logging</c> keeps it: only the run-state step of an extended server and a rolling upgrade do, whose scripts read
/// stdin into a variable first and hand it to the REST helper alone (no guide script ever sees it).</item>
/// </list>
/// </summary>
public static class CommandSecrecy
{
    /// <summary><paramref name="options"/> with the transformation first, so any other one sees the settings already made.</summary>
    public static ComponentResourceOptions AppliedTo(ComponentResourceOptions? options) =>
        ComponentResourceOptions.Merge(new ComponentResourceOptions { ResourceTransformations = { Transformation } }, options);

    public static ResourceTransformationResult? Transformation(ResourceTransformationArgs args)
    {
        if (args.Args is not CommandArgs command || args.Options is not CustomResourceOptions options)
        {
            return null;
        }
        command.AddPreviousOutputInEnv = false;
        if (command.Stdin is null)
        {
            return new ResourceTransformationResult(command, options);
        }
        // A step may stream its output anyway, when it says so itself: one whose script reads stdin once into a shell
        // variable and hands it only to the REST helper (which never prints it), so that its progress (a drain's
        // sessions left) is seen while it waits. Its stdout and stderr are still secret outputs.
        command.Logging ??= Logging.None;
        var secret = CustomResourceOptions.Merge(options, new CustomResourceOptions());
        secret.AdditionalSecretOutputs = [.. options.AdditionalSecretOutputs.Union(["stdout", "stderr"])];
        return new ResourceTransformationResult(command, secret);
    }
}
