using Pulumi;

namespace PortsipInfra;

/// <summary>
/// What `pulumi up` needs before it connects to pbx01 and does not have (secrets, pinned host keys). A preview runs no
/// remote command, so it warns and goes on; `pulumi up` stops before declaring anything, listing each missing key
/// with why it is needed and the command that sets it.
/// </summary>
public static class BeforeUp
{
    /// <summary>One missing config key, why the site needs it, and how to set it.</summary>
    public sealed record Missing(string Key, string Why, string HowTo);

    /// <summary>The preview's warning or `pulumi up`'s error; null when nothing is missing.</summary>
    public static string? Message(string title, IEnumerable<Missing> missing, string project, bool isPreview)
    {
        var lines = missing.Select(m => $"  - {project}:{m.Key}: {m.Why}. Set it with: {m.HowTo}").ToList();
        if (lines.Count == 0)
        {
            return null;
        }
        var message = $"{title}:\n{string.Join("\n", lines)}";
        return isPreview
            ? message + "\nA preview runs no remote command, so it goes on without them; `pulumi up` will stop here."
            : message + "\nNothing was deployed.";
    }

    /// <summary>Warns in a preview; stops `pulumi up`.</summary>
    public static void Check(string title, IEnumerable<Missing> missing, string project, bool isPreview)
    {
        if (Message(title, missing, project, isPreview) is not { } message)
        {
            return;
        }
        if (!isPreview)
        {
            throw new RunException(message);
        }
        Log.Warn(message);
    }
}
