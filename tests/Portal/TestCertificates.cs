using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PortsipInfra.Tests.Portal;

/// <summary>A certificate and its key as PEM files (for the fake API's --tls), and its SHA-256 as openssl prints it.</summary>
public sealed record PemFiles(string CertificateFile, string KeyFile, string CertificatePem, string Fingerprint);

/// <summary>
/// Certificates for the fake API, made in process in a temporary folder (deleted on Dispose): a self-signed one,
/// and a small CA with server certificates it issued, for 127.0.0.1 or for a DNS name only.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("portsip-certs-");
    private readonly ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 ca;

    public TestCertificates()
    {
        var request = new CertificateRequest("CN=PortsipInfra test CA", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CaPem = ca.ExportCertificatePem();
        CaFile = Path.Combine(folder.FullName, "ca.pem");
        File.WriteAllText(CaFile, CaPem);
    }

    public string CaPem { get; }

    public string CaFile { get; }

    /// <summary>A self-signed certificate for a name that is not the address the helper uses.</summary>
    public PemFiles SelfSigned(string name = "pbx.example.net")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ServerRequest(name, key, ip: null);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Write(name + "-self", certificate, key);
    }

    /// <summary>A server certificate issued by the test CA: for 127.0.0.1 (an IP entry) or, without it, for a DNS name only.</summary>
    public PemFiles IssuedByCa(bool forLoopback)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = forLoopback ? "pbx-vip" : "pbx.example.net";
        var request = ServerRequest(name, key, forLoopback ? IPAddress.Loopback : null);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(20), serial);
        return Write(name + "-issued", certificate, key);
    }

    private static CertificateRequest ServerRequest(string name, ECDsa key, IPAddress? ip)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        if (ip is not null)
        {
            names.AddIpAddress(ip);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private PemFiles Write(string stem, X509Certificate2 certificate, ECDsa key)
    {
        var certificateFile = Path.Combine(folder.FullName, stem + ".pem");
        var keyFile = Path.Combine(folder.FullName, stem + ".key");
        var pem = certificate.ExportCertificatePem();
        File.WriteAllText(certificateFile, pem);
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        var fingerprint = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        return new PemFiles(certificateFile, keyFile, pem, string.Join(':', fingerprint.Chunk(2).Select(c => new string(c))));
    }

    public void Dispose()
    {
        ca.Dispose();
        caKey.Dispose();
        folder.Delete(recursive: true);
    }
}
