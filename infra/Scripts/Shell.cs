namespace PortsipInfra;

/// <summary>Makes a value safe to place in a POSIX shell command line.</summary>
public static class Shell
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
        return "'" + value.Replace("'", "'\"'\"'") + "'";
    }

    private static bool IsPlain(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':' or ',' or '@' or '=' or '+';
}
