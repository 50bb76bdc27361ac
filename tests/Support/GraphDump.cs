using System.Collections;
using System.Security.Cryptography;
using System.Text;

namespace PortsipInfra.Tests.Support;

/// <summary>
/// A text of the resource graph a run declares: every resource's type and name, then each input, one a line.
/// The scripts (<c>create</c>, <c>update</c>, <c>delete</c>) show as <c>&lt;script&gt;</c>, so two dumps compare
/// the graph without the script text; every other input, stdin included, is shown in full (secrets are the
/// tests' fake ones).
/// </summary>
public static class GraphDump
{
    private static readonly HashSet<string> Scripts = ["create", "update", "delete"];

    public static string Of(RunResult run)
    {
        var text = new StringBuilder();
        foreach (var r in run.Declared.OrderBy(r => r.Type, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            text.Append(r.Type).Append(' ').Append(r.Name).Append('\n');
            foreach (var (key, value) in r.Inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var shown = Scripts.Contains(key) && value is string ? "<script>" : Value(value);
                text.Append("  ").Append(key).Append(" = ").Append(shown).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string Value(object? value) => value switch
    {
        null => "null",
        string s => System.Text.Json.JsonSerializer.Serialize(s),
        IDictionary d => "{" + string.Join(", ", d.Keys.Cast<object>().Select(k => k.ToString()!).Order(StringComparer.Ordinal)
            .Select(k => k + ": " + Value(d[k]))) + "}",
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Value)) + "]",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
