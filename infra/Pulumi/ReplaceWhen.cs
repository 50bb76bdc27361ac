using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra;

/// <summary>
/// Builds the <c>triggers</c> of a Remote.Command: the values that identify a server to its script. The
/// commands set <c>ReplaceOnChanges = {"triggers"}</c> and <c>DeleteBeforeReplace</c>, so a change of any of
/// them removes the old server first and installs the new one.
/// </summary>
public static class ReplaceWhen
{
    /// <summary>
    /// The options that go with <see cref="AnyChanges"/>: a change of the triggers replaces the command, deleting
    /// the old server first (its install, registration or key must be gone before the new one is made).
    /// </summary>
    public static CustomResourceOptions OldOneFirst(Resource parent, InputList<Resource> dependsOn, bool protect = false) => new()
    {
        Parent = parent,
        DependsOn = dependsOn,
        DeleteBeforeReplace = true,
        ReplaceOnChanges = { "triggers" },
        Protect = protect,
    };

    /// <summary>
    /// The same values as <see cref="AnyChanges"/>, each carried through <paramref name="previous"/>'s own
    /// <c>triggers</c> output, so that this command's <c>triggers</c> input depends on <paramref name="previous"/>
    /// (a property dependency) while its value stays exactly the listed values. That dependency is what orders a
    /// server's removal: when <paramref name="previous"/> is replaced old-one-first, the engine first deletes the
    /// commands whose replace-on-change input (<c>triggers</c>) depends on it, latest step first
    /// (pulumi/pulumi <c>step_generator.go</c>, <c>calculateDependentReplacements</c>; a <c>DependsOn</c> alone does not
    /// do it). So a server's steps, chained trust, register, install, online, are undone online, install
    /// (<c>rm</c>, while pbx01 still trusts the old address), register (unregister), trust (untrust). The previous
    /// step's <c>triggers</c>, not its stdout: they change only when the identity changes, so an update in place
    /// stays an update.
    /// </summary>
    public static InputList<object> After(Command previous, params string[] values)
    {
        var list = new InputList<object>();
        foreach (var value in values)
        {
            list.Add((Input<object>)previous.Triggers.Apply(_ => (object)value));
        }
        return list;
    }

    public static InputList<object> AnyChanges(params string[] values)
    {
        var list = new InputList<object>();
        foreach (var value in values)
        {
            list.Add((Input<object>)value);
        }
        return list;
    }
}
