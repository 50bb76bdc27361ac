namespace PortsipInfra.Tests.Support;

/// <summary>The owner check at the start of every command of the site (<see cref="SiteOwnership"/>), read back.</summary>
public static class OwnerCheck
{
    /// <summary>The script after the owner check (the script itself when it has none).</summary>
    public static string Without(string script)
    {
        var check = RemoteFiles.Text("owner-check.sh");
        var at = script.IndexOf(check, StringComparison.Ordinal);
        return at < 0 ? script : script[(at + check.Length)..];
    }

    /// <summary>The site id and stack name of the check <paramref name="script"/> starts with, or null when it has none.</summary>
    public static (string SiteId, string Stack)? Of(string script)
    {
        var check = RemoteFiles.Text("owner-check.sh");
        var at = script.IndexOf(check, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var header = ScriptText.Parse(script[..(at + check.Length)]);
        Assert.Equal(check, header.Body);
        Assert.Equal(["site_id", "site_stack"], header.Values.Keys.Order());
        return (header["site_id"], header["site_stack"]);
    }
}
