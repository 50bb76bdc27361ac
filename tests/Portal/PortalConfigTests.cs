using System.Text.Json;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Portal;

/// <summary>
/// The stack keys that say where the REST API is and how its certificate is checked: their defaults, what reaches
/// the helper, and the errors (at preview, naming key and value, nothing declared) for bad values.
/// </summary>
public sealed class PortalConfigTests : IDisposable
{
    private readonly TestCertificates certificates = new();

    public void Dispose() => certificates.Dispose();

    private static async Task<JsonElement> Stdin(Dictionary<string, string> config)
    {
        var run = await PulumiRun.Stack(config);
        return JsonDocument.Parse(run.Named("media-server-1-register").Input("stdin")!).RootElement;
    }

    private static async Task<string> Rejected(Dictionary<string, string> config)
    {
        var (message, declared) = await PulumiRun.Failure(config);
        Assert.Equal(0, declared);
        Assert.Contains("nothing was deployed", message);
        Assert.DoesNotContain("   at ", message);
        return message;
    }

    private static Dictionary<string, string> Prod(params (string Key, string Value)[] keys)
    {
        var config = Sites.Prod();
        foreach (var (key, value) in keys)
        {
            config[Sites.P + key] = value;
        }
        return config;
    }

    [Fact]
    public async Task By_default_the_API_is_reached_on_the_virtual_IP_with_its_certificate_checked()
    {
        var stdin = await Stdin(Sites.ProdWith("virtualIp", "192.168.1.140"));

        Assert.Equal("https://192.168.1.140:8887/api", stdin.GetProperty("api_url").GetString());
        Assert.False(stdin.TryGetProperty("insecure_tls", out _));
        Assert.False(stdin.TryGetProperty("allow_http", out _));
    }

    [Fact]
    public async Task A_pinned_fingerprint_reaches_the_helper_as_lower_case_hex()
    {
        var certificate = certificates.SelfSigned();

        var stdin = await Stdin(Prod(("portalCertificateSha256", certificate.Fingerprint)));

        Assert.Equal(certificate.Fingerprint.Replace(":", "").ToLowerInvariant(), stdin.GetProperty("certificate_sha256").GetString());
    }

    [Fact]
    public async Task The_certificates_of_the_CA_file_reach_the_helper()
    {
        var stdin = await Stdin(Prod(("portalCaFile", certificates.CaFile)));

        Assert.Equal(certificates.CaPem.Trim(), stdin.GetProperty("ca_pem").GetString()!.Trim());
    }

    [Theory]
    [InlineData("12:34:56")]
    [InlineData("sha256 Fingerprint=AB")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public async Task A_malformed_fingerprint_is_refused(string value)
    {
        var message = await Rejected(Prod(("portalCertificateSha256", value)));

        Assert.Contains($"portsip-infra:portalCertificateSha256: '{value}' is not a SHA-256 fingerprint: 64 hexadecimal digits, colons allowed", message);
    }

    [Fact]
    public async Task A_CA_file_that_is_missing_or_not_a_certificate_is_refused()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-ca-" + Guid.NewGuid() + ".pem");
        var key = certificates.SelfSigned().KeyFile;
        var text = Path.GetTempFileName();
        try
        {
            File.WriteAllText(text, "hello");

            Assert.Contains($"portsip-infra:portalCaFile: '{missing}' cannot be read: ", await Rejected(Prod(("portalCaFile", missing))));
            Assert.Contains($"portsip-infra:portalCaFile: '{key}' holds a private key; give only the CA certificate(s)", await Rejected(Prod(("portalCaFile", key))));
            Assert.Contains($"portsip-infra:portalCaFile: '{text}' holds no PEM certificate", await Rejected(Prod(("portalCaFile", text))));
        }
        finally
        {
            File.Delete(text);
        }
    }

    [Fact]
    public async Task A_pin_and_a_CA_file_together_are_refused()
    {
        var message = await Rejected(Prod(("portalCertificateSha256", new string('a', 64)), ("portalCaFile", certificates.CaFile)));

        Assert.Contains($"portsip-infra:portalCaFile: '{certificates.CaFile}' is set together with portalCertificateSha256; set one of them", message);
    }

    [Fact]
    public async Task Plain_http_is_refused_unless_allowed_explicitly()
    {
        var message = await Rejected(Prod(("portalApiUrl", "http://192.168.1.130:8899/api")));
        Assert.Contains("portsip-infra:portalApiUrl: 'http://192.168.1.130:8899/api' is plain http: the admin password would cross the network in clear; use https", message);

        var stdin = await Stdin(Prod(("portalApiUrl", "http://192.168.1.130:8899/api"), ("portalAllowHttp", "true")));
        Assert.True(stdin.GetProperty("allow_http").GetBoolean());
    }

    [Fact]
    public async Task A_pin_over_plain_http_is_refused()
    {
        var message = await Rejected(Prod(("portalApiUrl", "http://192.168.1.130:8899/api"), ("portalAllowHttp", "true"),
            ("portalCertificateSha256", new string('a', 64))));

        Assert.Contains($"portsip-infra:portalCertificateSha256: '{new string('a', 64)}' cannot apply: portalApiUrl is plain http", message);
    }

    [Fact]
    public async Task Accepting_any_certificate_is_no_longer_possible_and_the_message_says_what_to_do_instead()
    {
        var message = await Rejected(Prod(("portalInsecureTls", "true")));

        Assert.Contains("portsip-infra:portalInsecureTls: 'true' is no longer accepted: it let any certificate through, and with it the admin password; "
            + "pin the PBX's certificate with portalCertificateSha256 or give the CA that issued it with portalCaFile, then remove portalInsecureTls", message);
        await Stdin(Prod(("portalInsecureTls", "false")));
    }

    [Fact]
    public async Task A_bad_virtual_IP_is_reported_once_not_again_as_a_bad_API_address()
    {
        var message = await Rejected(Sites.ProdWith("virtualIp", "192.168.1"));

        Assert.Contains("portsip-infra:virtualIp: '192.168.1' is not an IPv4 address", message);
        Assert.DoesNotContain("portalApiUrl", message);
    }
}
