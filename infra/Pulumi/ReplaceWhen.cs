using Pulumi;

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
