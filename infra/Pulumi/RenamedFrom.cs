using Pulumi;

namespace PortsipInfra;

/// <summary>
/// A server renamed in the config with <c>renamedFrom: OLD</c>: its component and every command get a Pulumi
/// <c>Alias</c> to the old name (<c>OLD</c>, <c>OLD-register</c>, ...), so that the engine sees the same resources
/// under new names. The changed name in their <c>triggers</c> then makes the rename a replacement, old one first:
/// the old server's commands are undone (<c>rm</c>, unregister) before the new name is registered and installed.
/// Without an alias a new name is a new resource, created before the old one is deleted at the end of the run.
/// The real SDK also derives children's aliases from a parent's alias when a child's name starts with the parent's
/// name; the explicit ones here say the same and do not depend on it.
/// </summary>
public static class RenamedFrom
{
    public static ComponentResourceOptions Component(ComponentResourceOptions? options, string? oldName)
    {
        var result = ComponentResourceOptions.Merge(options, null);
        if (oldName is not null)
        {
            result.Aliases.Add(new Alias { Name = oldName });
        }
        return result;
    }

    /// <summary>The options of the command <c>NAME{suffix}</c> of a server once named <paramref name="oldName"/>.</summary>
    public static CustomResourceOptions Child(CustomResourceOptions options, string? oldName, string suffix)
    {
        if (oldName is not null)
        {
            options.Aliases.Add(new Alias { Name = oldName + suffix });
        }
        return options;
    }
}
