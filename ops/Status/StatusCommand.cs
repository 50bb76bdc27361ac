using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PortsipInfra.Ops.Ssh;
using PortsipInfra.Ops.Stack;

namespace PortsipInfra.Ops.Status;

/// <summary>
/// <c>ops status</c>: logs in to pbx01 (host key checked), reads its records, reaches the Web Portal's REST API
/// through a tunnel via pbx01 to the virtual IP (certificate checked), and compares both with the stack file.
/// Exit status 0 in sync, 2 drift, 1 error.
/// </summary>
public static class StatusCommand
{
    public static int Run(Options options, TextWriter output, TextWriter errors, Func<string, string?> environment, string cwd)
    {
        var stack = StackFile.Load(options.Stack, cwd);
        var site = stack.Site;
        var identity = Credentials.SshKey(options.KeyFile, environment);
        var password = Credentials.PortalPassword(environment, site.Portal.AdminUser);
        var roots = options.PortalCa is null ? null : LoadCertificates(options.PortalCa);
        var known = KnownHosts.Load(options.KnownHostsFiles);
        var policy = new TrustPolicy(AcceptNew: false, new HashSet<string>(), options.Stack);

        using var connection = SiteConnection.Open(stack, identity, known, policy, []);
        var (exit, stdout, stderr) = connection.Run(Pbx01Records.Command(site.Pbx.GuideFolder));
        if (exit != 0)
        {
            throw new OpsError($"reading pbx01's records failed (exit {exit}): {stderr.Trim()}");
        }
        var records = Pbx01Records.Parse(stdout);

        var api = PortalUri(site, options.PortalName);
        using var tunnel = connection.Forward(site.Pbx.VirtualIp, api.Port);
        using var portal = new PortalApi(api, tunnel, roots, site.Portal.AdminUser, password);
        var status = SiteComparison.Compare(stack.Name, site, portal.Read(), records);

        output.Write(options.Json ? StatusReport.ToJson(status) + "\n" : StatusReport.ToText(status, api.ToString(), site.Pbx.Pbx01));
        return status.InSync ? OpsProgram.Ok : OpsProgram.Drift;
    }

    /// <summary>
    /// The API at the virtual IP (or the name its certificate is issued for), with the port and path of portalApiUrl:
    /// https://VIP:8887/api by default.
    /// </summary>
    public static Uri PortalUri(SiteTopology site, string? portalName)
    {
        var configured = new Uri(site.Portal.ApiUrl);
        var builder = new UriBuilder(configured) { Scheme = "https", Host = portalName ?? site.Pbx.VirtualIp };
        if (configured.Scheme == "http" && configured.IsDefaultPort)
        {
            builder.Port = 443;
        }
        return builder.Uri;
    }

    private static X509Certificate2Collection LoadCertificates(string file)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(file);
            return certificates.Count > 0 ? certificates : throw new OpsError($"--portal-ca {file}: no certificate in it");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new OpsError($"--portal-ca {file}: cannot read a PEM certificate from it: {e.Message}");
        }
    }
}
