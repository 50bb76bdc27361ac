using System.Text;
using System.Text.Json;

namespace PortsipInfra;

/// <summary>How a config value is quoted in a message: on one line, invisible characters made visible, cut short.</summary>
public static class Show
{
    public const int MaxLength = 120;

    /// <summary>'media-server-1\n': quoted, with line breaks, tabs and other control characters escaped.</summary>
    public static string Text(string value)
    {
        var visible = new StringBuilder();
        foreach (var c in value)
        {
            visible.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return $"'{Cut(visible.ToString())}'";
    }

    /// <summary>One JSON value: text as <see cref="Text"/>, anything else (numbers, lists, objects) as JSON.</summary>
    public static string Json(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? Text(value.GetString()!) : Cut(value.GetRawText().ReplaceLineEndings(" "));

    private static string Cut(string text) => text.Length <= MaxLength ? text : text[..(MaxLength - 3)] + "...";
}
