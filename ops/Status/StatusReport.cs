using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortsipInfra.Ops.Status;

/// <summary>Prints a <see cref="SiteStatus"/>: a side-by-side table with each difference under its row, or JSON.</summary>
public static class StatusReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static string ToJson(SiteStatus status) => JsonSerializer.Serialize(new
    {
        stackFile = status.StackFile,
        inSync = status.InSync,
        differences = status.DifferenceCount,
        items = status.Items,
    }, Json);

    public static string ToText(SiteStatus status, string portal, string pbx01)
    {
        var rows = status.Items.Select(i => new[] { i.Kind, i.Name, i.StackIp ?? "-", Portal(i), Pbx01(i) }).ToList();
        string[] header = ["KIND", "NAME", "STACK FILE", "PORTAL", "PBX01 RECORDS"];
        var widths = Enumerable.Range(0, header.Length).Select(c => rows.Append(header).Max(r => r[c].Length)).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

        var text = new System.Text.StringBuilder();
        text.AppendLine($"{status.StackFile} side by side with the site (portal {portal}, pbx01 {pbx01}):");
        text.AppendLine();
        text.AppendLine(Line(header));
        foreach (var (item, row) in status.Items.Zip(rows))
        {
            text.AppendLine(Line(row));
            foreach (var difference in item.Differences)
            {
                text.AppendLine($"{new string(' ', widths[0])}  ! {difference}");
            }
        }
        text.AppendLine();
        var n = status.DifferenceCount;
        text.AppendLine(status.InSync
            ? $"In sync: the site is what {status.StackFile} says."
            : $"DRIFT: {n} difference{(n == 1 ? "" : "s")} between {status.StackFile} and the site (marked !).");
        return text.ToString();
    }

    private static string Portal(ItemStatus item)
    {
        if (item.Portal is not { } p)
        {
            return "-";
        }
        var parts = new List<string?>
        {
            p.Name,
            p.Ip,
            p.PublicIp is { Length: > 0 } pub ? $"public {pub}" : null,
            p.Enabled is { } enabled ? (enabled ? "enabled" : "disabled") : null,
            p.Status,
            p.CurrentSessions is { } n ? $"{n}{(p.MaxSessions is { } max ? $"/{max}" : "")} sessions" : null,
            p.Whitelisted is { } w ? (w ? "whitelisted" : "not whitelisted") : null,
        };
        return string.Join(" ", parts.Where(x => !string.IsNullOrEmpty(x)));
    }

    private static string Pbx01(ItemStatus item)
    {
        if (item.Pbx01 is not { } r)
        {
            return "-";
        }
        if (item.Kind == "pbx")
        {
            return $"vars.yml {r.Installed ?? "-"}, recorded {r.Version ?? "-"}";
        }
        return (r.Installed is null ? "not installed" : $"installed: {r.Installed}") + (r.Version is null ? "" : $", {r.Version}");
    }
}
