using System.Text;
using System.Text.RegularExpressions;

namespace PortsipInfra;

/// <summary>Makes a value safe to place in a POSIX shell command line or script.</summary>
public static partial class Shell
{
    /// <summary>
    /// Returns the value as is when it holds only characters no shell treats specially (so the guide's own
    /// command lines come out letter for letter), otherwise wrapped in single quotes.
    /// </summary>
    public static string Quote(string value)
    {
        if (value.Length > 0 && value.All(IsPlain))
        {
            return value;
        }
        return SingleQuoted(value);
    }

    /// <summary>
    /// The header that hands values to a script file of infra/Scripts/remote/: one <c>name='value'</c> line per
    /// value, always single-quoted (a quote inside becomes <c>'"'"'</c>), so no value is ever read as shell code.
    /// This is the only way a value reaches a script's text. Names are shell variable names (lower case).
    /// </summary>
    public static string Header(params (string Name, string Value)[] values)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in values)
        {
            if (!VariableName().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not a lower-case shell variable name", nameof(values));
            }
            text.Append(name).Append('=').Append(SingleQuoted(value)).Append('\n');
        }
        return text.ToString();
    }

    private static string SingleQuoted(string value) => "'" + value.Replace("'", "'\"'\"'") + "'";

    private static bool IsPlain(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':' or ',' or '@' or '=' or '+';

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex VariableName();
}
