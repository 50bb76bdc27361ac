using System.Text.Json.Nodes;

namespace PortsipInfra.Tests.Portal;

/// <summary>
/// How the real helper checks the REST API's certificate, against the fake API serving HTTPS with test
/// certificates on 127.0.0.1: the pinned fingerprint, a CA file, the system's CAs, and plain http.
/// </summary>
public sealed class PortalCertificateTests : IDisposable
{
    private readonly TestCertificates certificates = new();
    private readonly List<IDisposable> cleanup = [];

    public void Dispose()
    {
        foreach (var item in cleanup)
        {
            item.Dispose();
        }
        certificates.Dispose();
    }

    private FakePortsipApi Serving(PemFiles certificate)
    {
        var fake = FakePortsipApi.Start("--tls", certificate.CertificateFile, certificate.KeyFile);
        cleanup.Add(fake);
        return fake;
    }

    private static readonly string[] RegisterMedia = ["register", "--kind", "media", "--name", "media-server-1", "--private-ip", "192.168.1.21"];

    private static HelperResult Ok(HelperResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>Failed with one line on stderr, and that line never tells the operator to stop checking.</summary>
    private static string Refused(HelperResult result, int exitCode = 1)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        foreach (var advice in new[] { "insecure", "disable", "skip", "turn off", "verify=false" })
        {
            Assert.DoesNotContain(advice, line, StringComparison.OrdinalIgnoreCase);
        }
        return line;
    }

    private static void NothingReachedTheApi(FakePortsipApi api) => Assert.Empty(api.Requests());

    [Fact]
    public void The_pinned_certificate_is_accepted_whatever_name_it_carries()
    {
        var certificate = certificates.SelfSigned("pbx.example.net"); // no IP entry: the address could never match
        var api = Serving(certificate);

        Ok(PortalHelper.Run(api.Stdin(pin: certificate.Fingerprint), RegisterMedia));
        Ok(PortalHelper.Run(api.Stdin(pin: certificate.Fingerprint.Replace(":", "").ToLowerInvariant()), RegisterMedia));

        Assert.Single(api.Servers("media"), s => (string?)s["name"] == "media-server-1");
    }

    [Fact]
    public void Another_certificate_than_the_pinned_one_is_refused_before_the_password_is_sent()
    {
        var presented = certificates.SelfSigned();
        var pinned = certificates.SelfSigned("other.example.net");
        var api = Serving(presented);

        var line = Refused(PortalHelper.Run(api.Stdin(pin: pinned.Fingerprint), RegisterMedia));

        Assert.Equal($"register media server media-server-1 failed: PortSIP API at {api.ApiUrl} presented a TLS certificate with SHA-256 "
            + $"fingerprint {presented.Fingerprint}, not the pinned one (portalCertificateSha256); nothing was sent. If the PBX's "
            + "certificate was renewed, read the new fingerprint on the PBX itself and pin that one", line);
        NothingReachedTheApi(api);
    }

    [Fact]
    public void Without_a_pin_or_CA_a_self_signed_certificate_is_refused_with_its_fingerprint()
    {
        var certificate = certificates.SelfSigned();
        var api = Serving(certificate);

        var line = Refused(PortalHelper.Run(api.Stdin(), RegisterMedia));

        Assert.StartsWith($"register media server media-server-1 failed: PortSIP API at {api.ApiUrl} presented a TLS certificate that is not trusted (", line);
        Assert.Contains($"it presented the certificate with SHA-256 fingerprint {certificate.Fingerprint}; nothing was sent.", line);
        Assert.EndsWith("Pin the PBX's certificate (portalCertificateSha256, after checking the fingerprint on the PBX itself) or give the CA that issued it (portalCaFile)", line);
        NothingReachedTheApi(api);
    }

    [Fact]
    public void A_CA_file_accepts_a_certificate_it_issued_for_the_address_used()
    {
        var api = Serving(certificates.IssuedByCa(forLoopback: true));

        Ok(PortalHelper.Run(api.Stdin(caPem: certificates.CaPem), RegisterMedia));

        Assert.Single(api.Servers("media"), s => (string?)s["name"] == "media-server-1");
    }

    [Fact]
    public void A_CA_file_refuses_a_certificate_it_issued_for_another_name()
    {
        var api = Serving(certificates.IssuedByCa(forLoopback: false));

        var line = Refused(PortalHelper.Run(api.Stdin(caPem: certificates.CaPem), RegisterMedia));

        Assert.Contains("presented a TLS certificate that is not trusted (IP address mismatch", line);
        NothingReachedTheApi(api);
    }

    [Fact]
    public void A_CA_file_refuses_a_certificate_it_did_not_issue()
    {
        var api = Serving(certificates.SelfSigned("127.0.0.1"));

        var line = Refused(PortalHelper.Run(api.Stdin(caPem: certificates.CaPem), RegisterMedia));

        Assert.Contains("presented a TLS certificate that is not trusted (", line);
        NothingReachedTheApi(api);
    }

    [Fact]
    public void Plain_http_is_refused_unless_allowed()
    {
        var api = FakePortsipApi.Start();
        cleanup.Add(api);

        var line = Refused(PortalHelper.Run(api.Stdin(allowHttp: false), RegisterMedia), exitCode: 2);
        Assert.Equal($"api_url '{api.ApiUrl}' is plain http: the admin password would travel in clear; use https (http is accepted only with allow_http: true)", line);
        NothingReachedTheApi(api);

        Ok(PortalHelper.Run(api.Stdin(allowHttp: true), RegisterMedia));
    }

    [Theory]
    [InlineData("""{"certificate_sha256": "12:34"}""", "certificate_sha256 '12:34' is not a SHA-256 fingerprint (64 hex digits, colons allowed)")]
    [InlineData("""{"ca_pem": "not a certificate"}""", "ca_pem must be the PEM text of one or more CA certificates")]
    [InlineData("""{"certificate_sha256": "PIN", "ca_pem": "-----BEGIN CERTIFICATE-----"}""", "give certificate_sha256 or ca_pem, not both")]
    [InlineData("""{"api_url": "http://127.0.0.1:1/api", "allow_http": true, "certificate_sha256": "PIN"}""", "api_url 'http://127.0.0.1:1/api' is plain http: there is no certificate to check")]
    public void Bad_certificate_settings_are_refused_as_bad_input(string extra, string message)
    {
        var stdin = JsonNode.Parse("""{"api_url": "https://127.0.0.1:1/api", "username": "admin", "password": "pw"}""")!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(extra.Replace("PIN", new string('a', 64)))!.AsObject())
        {
            stdin[key] = value?.DeepClone();
        }

        var line = Refused(PortalHelper.Run(stdin.ToJsonString(), RegisterMedia), exitCode: 2);

        Assert.Equal(message, line);
    }

    [Fact]
    public void The_insecure_tls_of_commands_stored_by_older_versions_still_runs_them()
    {
        // A delete command keeps the stdin it was created with; those of earlier versions may say insecure_tls.
        var api = Serving(certificates.SelfSigned());
        var stdin = JsonNode.Parse(api.Stdin())!.AsObject();
        stdin["insecure_tls"] = true;

        Ok(PortalHelper.Run(stdin.ToJsonString(), "unregister", "--kind", "media", "--name", "media-server-1"));
    }
}
