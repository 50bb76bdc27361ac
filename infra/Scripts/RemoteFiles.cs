using System.Collections.Concurrent;
using System.Reflection;

namespace PortsipInfra;

/// <summary>
/// The shell scripts of infra/Scripts/remote/ (embedded in the program, read once), and how a Remote.Command's
/// script is made of them: a header of values (<see cref="Shell.Header"/>) followed by the files' text, letter for
/// letter. What a command runs is that one text, so a preview shows exactly what runs and a changed file shows as
/// a changed script. Values never enter a file's text: the files read them from the header's variables.
/// </summary>
public static class RemoteFiles
{
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    /// <summary>The text of infra/Scripts/remote/<paramref name="file"/>.</summary>
    public static string Text(string file) => Cache.GetOrAdd(file, static name =>
    {
        using var stream = typeof(RemoteFiles).Assembly.GetManifestResourceStream("remote/" + name)
            ?? throw new InvalidOperationException($"infra/Scripts/remote/{name} is not embedded in the program (PortsipInfra.csproj)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    });

    /// <summary>The script a command runs: the header's values, then each file in turn.</summary>
    public static string Script(IEnumerable<(string Name, string Value)> values, params string[] files) =>
        Shell.Header(values.ToArray()) + string.Concat(files.Select(Text));

    /// <summary>The names of the embedded scripts (for the tests).</summary>
    public static IReadOnlyList<string> Embedded() =>
        typeof(RemoteFiles).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("remote/", StringComparison.Ordinal))
            .Select(n => n["remote/".Length..]).Order(StringComparer.Ordinal).ToList();
}
