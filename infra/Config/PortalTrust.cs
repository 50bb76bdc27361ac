using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PortsipInfra;

/// <summary>
/// Which certificate the PortSIP REST API may present: the one pinned by its SHA-256 fingerprint
/// (<c>portalCertificateSha256</c>), or any issued by the CAs of a PEM file (<c>portalCaFile</c>).
/// </summary>
public static class PortalTrust
{
    public const string FingerprintRule =
        "a SHA-256 fingerprint: 64 hexadecimal digits, colons allowed, as `openssl x509 -noout -fingerprint -sha256 -in CERT` prints it after '='";

    /// <summary>The fingerprint as 64 lower-case hex digits, or null when it is not one.</summary>
    public static string? Fingerprint(string text)
    {
        var digits = text.Replace(":", "").ToLowerInvariant();
        return digits.Length == 64 && digits.All(char.IsAsciiHexDigit) ? digits : null;
    }

    /// <summary>
    /// The content of the CA file, read where Pulumi runs the program (a relative path starts at the project
    /// folder); a file that cannot be read is an error of <paramref name="key"/>.
    /// </summary>
    public static string? ReadCaFile(string key, string? path, List<ConfigError> errors)
    {
        if (path is null)
        {
            return null;
        }
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add(new ConfigError(key, $"'{path}' cannot be read: {e.Message}"));
            return null;
        }
    }

    /// <summary>
    /// Only the certificates of a PEM text, as PEM again (what the helper gets); null with the reason when the text
    /// holds none, one that cannot be read, or a private key.
    /// </summary>
    public static string? CaCertificates(string pem, out string? problem)
    {
        if (pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            problem = "holds a private key; give only the CA certificate(s), the key must stay where it is";
            return null;
        }
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
            if (certificates.Count == 0)
            {
                problem = "holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
                return null;
            }
            problem = null;
            return certificates.ExportCertificatePems();
        }
        catch (CryptographicException e)
        {
            problem = $"holds a certificate that cannot be read: {e.Message}";
            return null;
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }
}
