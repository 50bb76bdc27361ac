using System.Text;

namespace PortsipInfra.Tests.Support;

/// <summary>
/// A command's script read back into its two parts: the header of values (<see cref="Shell.Header"/>) and the body,
/// the text of the files of infra/Scripts/remote/ that follow it.
/// </summary>
public sealed record ScriptText(IReadOnlyDictionary<string, string> Values, string Body)
{
    public string this[string name] => Values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"no header value {name}");

    /// <summary>Whether the body is exactly these files, in this order.</summary>
    public bool IsFiles(params string[] files) => Body == string.Concat(files.Select(RemoteFiles.Text));

    public static ScriptText Parse(string script)
    {
        var values = new Dictionary<string, string>();
        var i = 0;
        while (true)
        {
            var eq = script.IndexOf('=', i);
            var nl = script.IndexOf('\n', i);
            if (eq < 0 || (nl >= 0 && nl < eq) || eq + 1 >= script.Length || script[eq + 1] != '\'')
            {
                break;
            }
            var name = script[i..eq];
            if (name.Length == 0 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                break;
            }
            // 'text' pieces joined by "'" (a quote in the value), up to the end of the line.
            var value = new StringBuilder();
            var at = eq + 1;
            while (true)
            {
                var close = script.IndexOf('\'', at + 1);
                value.Append(script, at + 1, close - at - 1);
                at = close + 1;
                if (string.CompareOrdinal(script, at, "\"'\"'", 0, 4) == 0)
                {
                    value.Append('\'');
                    at += 3;
                    continue;
                }
                break;
            }
            Assert.Equal('\n', script[at]);
            values[name] = value.ToString();
            i = at + 1;
        }
        return new ScriptText(values, script[i..]);
    }
}
