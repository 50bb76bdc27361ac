using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PortsipInfra.Ops.Stack;

/// <summary>
/// Sets host keys in a stack file's text by editing just the value (or adding just the line) of each key, so that
/// the operator's comments, order, quoting and layout stay as they were. YamlDotNet's parser gives each node's
/// position in the text.
/// </summary>
public static partial class HostKeyEditor
{
    /// <summary>
    /// Sets <paramref name="path"/> (a config key below the project, such as <c>pbx01HostKey</c>,
    /// <c>mediaServers[0].hostKey</c> or <c>sbc.servers[1].hostKey</c>) to <paramref name="value"/>.
    /// A missing top-level key is added after <paramref name="topLevelAnchor"/>'s line; a missing field of a
    /// server at the end of that server's entry.
    /// </summary>
    public static string Set(string text, string project, string path, string value, string? topLevelAnchor = null)
    {
        var yaml = StackYaml.Parse(text, "the stack file");
        var config = StackYaml.ConfigNode(yaml, "the stack file");
        var segments = path.Split('.');
        var mapping = config;
        var prefix = project + ":";
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var (name, index) = Segment(segments[i]);
            var node = Child(mapping, (i == 0 ? prefix : "") + name) ?? throw new OpsError($"{path}: {name} is not in the stack file");
            if (index is { } n)
            {
                node = node is YamlSequenceNode list && n < list.Children.Count ? list.Children[n] : throw new OpsError($"{path}: no entry {n} in {name}");
            }
            mapping = node as YamlMappingNode ?? throw new OpsError($"{path}: {segments[i]} is not a mapping");
        }
        var key = (segments.Length == 1 ? prefix : "") + segments[^1];
        if (Child(mapping, key) is { } existing)
        {
            if (existing is not YamlScalarNode scalar)
            {
                throw new OpsError($"{path} in the stack file is not a single value");
            }
            return scalar.Value == value ? text : Replace(text, Index(scalar.Start), Index(scalar.End), value);
        }
        if (mapping.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
        {
            // { name: x, privateIp: y } becomes { name: x, privateIp: y, hostKey: ... }
            var last = mapping.Children.Last().Value;
            return Replace(text, Index(last.End), Index(last.End), $", {key}: {value}");
        }
        var after = mapping.Children.Select(kv => (Key: kv.Key as YamlScalarNode, kv.Value))
            .LastOrDefault(kv => segments.Length > 1 || kv.Key?.Value == prefix + topLevelAnchor);
        if (after.Key is null)
        {
            after = (mapping.Children.Last().Key as YamlScalarNode, mapping.Children.Last().Value);
        }
        var indent = new string(' ', (int)after.Key!.Start.Column - 1);
        var lineEnd = EndOfLine(text, Math.Max(Index(after.Value.End) - 1, Index(after.Key.Start)));
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        return text[..lineEnd] + newline + indent + $"{key}: {value}" + text[lineEnd..];
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static (string Name, int? Index) Segment(string segment)
    {
        var m = SegmentPattern().Match(segment);
        return m.Success
            ? (m.Groups[1].Value, m.Groups[2].Success ? int.Parse(m.Groups[2].Value) : null)
            : throw new ArgumentException($"not a config path segment: {segment}");
    }

    [GeneratedRegex(@"^([A-Za-z0-9]+)(?:\[(\d+)\])?$")]
    private static partial Regex SegmentPattern();

    private static int Index(YamlDotNet.Core.Mark mark) => checked((int)mark.Index);

    private static string Replace(string text, int start, int end, string value) => text[..start] + value + text[end..];

    /// <summary>The position of the line break that ends the line holding <paramref name="position"/> (before a \r).</summary>
    private static int EndOfLine(string text, int position)
    {
        var end = text.IndexOf('\n', position);
        if (end < 0)
        {
            return text.Length;
        }
        return end > 0 && text[end - 1] == '\r' ? end - 1 : end;
    }
}
