using System.Buffers.Binary;
using System.Text;

namespace PortsipInfra;

/// <summary>
/// Checks an OpenSSH public host key line ("ssh-ed25519 AAAAC3Nz..."): a known key type, then base64 whose
/// decoded key (SSH wire format, RFC 4253 6.6) names that same type and has the size of a whole key of it. A key
/// cut short in copying, or pasted after the wrong type, is refused here rather than failing at connection time.
/// </summary>
public static class SshHostKey
{
    /// <summary>The key types ssh-keyscan prints; rsa-sha2-* name an RSA key (blob type ssh-rsa) as some tools write it.</summary>
    public static readonly IReadOnlyDictionary<string, string> BlobTypeOf = new Dictionary<string, string>
    {
        ["ssh-ed25519"] = "ssh-ed25519",
        ["ecdsa-sha2-nistp256"] = "ecdsa-sha2-nistp256",
        ["ecdsa-sha2-nistp384"] = "ecdsa-sha2-nistp384",
        ["ecdsa-sha2-nistp521"] = "ecdsa-sha2-nistp521",
        ["ssh-rsa"] = "ssh-rsa",
        ["rsa-sha2-256"] = "ssh-rsa",
        ["rsa-sha2-512"] = "ssh-rsa",
    };

    /// <summary>The size of an uncompressed EC point (0x04, X, Y) per curve.</summary>
    private static readonly IReadOnlyDictionary<string, int> EcPointLength = new Dictionary<string, int>
    {
        ["nistp256"] = 65,
        ["nistp384"] = 97,
        ["nistp521"] = 133,
    };

    /// <summary>Null when <paramref name="line"/> is a whole host key of its type, else why not.</summary>
    public static string? Problem(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 2 || !BlobTypeOf.TryGetValue(parts[0], out var blobType))
        {
            return $"it must be the key type ({string.Join(", ", BlobTypeOf.Keys)}), one space and the base64 key";
        }
        byte[] blob;
        try
        {
            // Convert skips white space inside base64; a key line has none.
            blob = parts[1].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')
                ? Convert.FromBase64String(parts[1])
                : throw new FormatException();
        }
        catch (FormatException)
        {
            return "its key is not valid base64 (cut short or changed in copying?)";
        }
        var reader = new WireReader(blob);
        var type = reader.Text();
        if (type is null)
        {
            return "its key is too short to be an SSH key";
        }
        if (type != blobType)
        {
            return $"the key is of type '{Printable(type)}', not {blobType}";
        }
        var problem = type switch
        {
            "ssh-ed25519" => reader.Bytes()?.Length == 32 ? null : "an Ed25519 key is 32 bytes",
            "ssh-rsa" => Rsa(reader),
            _ => Ecdsa(type["ecdsa-sha2-".Length..], reader),
        };
        return problem ?? (reader.AtEnd ? null : "the key has extra bytes after it");
    }

    private static string? Rsa(WireReader reader)
    {
        var exponent = reader.Bytes();
        var modulus = reader.Bytes();
        if (exponent is null || exponent.Length == 0 || modulus is null)
        {
            return "the RSA key is cut short";
        }
        // An mpint may carry one leading zero byte; OpenSSH refuses RSA keys under 1024 bits, and none exceeds 16384.
        var bits = (modulus.Length - (modulus[0] == 0 ? 1 : 0)) * 8;
        return bits is < 1024 or > 16384 ? $"an RSA key of {bits} bits is not plausible (1024-16384)" : null;
    }

    private static string? Ecdsa(string curve, WireReader reader)
    {
        var named = reader.Text();
        var point = reader.Bytes();
        if (named != curve)
        {
            return $"the key names the curve '{Printable(named ?? "")}', not {curve}";
        }
        return point is not null && point.Length == EcPointLength[curve] && point[0] == 4
            ? null
            : $"an ECDSA {curve} key is an uncompressed point of {EcPointLength[curve]} bytes";
    }

    private static string Printable(string text) => new([.. text.Where(c => !char.IsControl(c)).Take(40)]);

    /// <summary>SSH's "string": a 4-byte big-endian length, then that many bytes.</summary>
    private sealed class WireReader(byte[] data)
    {
        private int offset;

        public bool AtEnd => offset == data.Length;

        public byte[]? Bytes()
        {
            if (data.Length - offset < 4)
            {
                return null;
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset));
            if (length > data.Length - offset - 4)
            {
                return null;
            }
            var bytes = data.AsSpan(offset + 4, (int)length).ToArray();
            offset += 4 + (int)length;
            return bytes;
        }

        public string? Text() => Bytes() is { } bytes ? Encoding.ASCII.GetString(bytes) : null;
    }
}
