namespace PortsipInfra.Ops.Status;

/// <summary>
/// What pbx01 records: the program's own records in ~/.portsip-infra (installed/KEY holds the server's name or IP,
/// versions/KEY the version installed; see RemoteScript) and the HA install's res/vars.yml.
/// </summary>
public sealed record Pbx01Records(
    IReadOnlyDictionary<string, string> Installed,
    IReadOnlyDictionary<string, string> Versions,
    bool HasHaInstall,
    string? VarsPbxImage,
    string? VarsVirtualIp)
{
    /// <summary>The shell command that prints them, one "kind/key TAB first line" per record.</summary>
    public static string Command(string guideFolder) =>
        $$"""
        for f in "$HOME"/.portsip-infra/installed/* "$HOME"/.portsip-infra/versions/*; do
          [ -f "$f" ] || continue
          printf '%s/%s\t%s\n' "$(basename "$(dirname "$f")")" "$(basename "$f")" "$(head -n 1 "$f")"
        done
        vars={{Shell.Quote(guideFolder + "/res/vars.yml")}}
        if [ -f "$vars" ]; then
          printf 'vars.yml\tpresent\n'
          sed -n -e 's/^pbx_image:[[:space:]]*/vars.pbx_image\t/p' -e 's/^virtual_ip:[[:space:]]*/vars.virtual_ip\t/p' "$vars"
        fi
        """;

    public static Pbx01Records Parse(string output)
    {
        var installed = new Dictionary<string, string>(StringComparer.Ordinal);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        bool ha = false;
        string? image = null, vip = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = line.Split('\t', 2) is [var k, var v] ? (k, v.Trim()) : (line, "");
            switch (key)
            {
                case "vars.yml": ha = true; break;
                case "vars.pbx_image": image = Unquote(value); break;
                case "vars.virtual_ip": vip = Unquote(value); break;
                default:
                    if (key.StartsWith("installed/", StringComparison.Ordinal))
                    {
                        installed[key["installed/".Length..]] = value;
                    }
                    else if (key.StartsWith("versions/", StringComparison.Ordinal))
                    {
                        versions[key["versions/".Length..]] = value;
                    }
                    break;
            }
        }
        return new Pbx01Records(installed, versions, ha, image, vip);
    }

    private static string Unquote(string value)
    {
        var v = value.Split(" #")[0].Trim();
        return v.Length >= 2 && (v[0] == '"' || v[0] == '\'') && v[^1] == v[0] ? v[1..^1] : v;
    }
}
