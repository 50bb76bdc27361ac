using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Numerics;
using System.Text;

namespace PortsipInfra.Ops.Ssh;

/// <summary>
/// An SSH public host key: its wire-format blob, as a server sends it and as known_hosts and the stack file hold it
/// (base64). Two keys are the same key when their blobs are equal.
/// </summary>
public sealed class HostKey : IEquatable<HostKey>
{
    private readonly byte[] blob;

    public HostKey(byte[] blob)
    {
        this.blob = blob;
        Type = ReadString(blob, 0, out _) ?? throw new FormatException("not an SSH public key");
    }

    /// <summary>The key type written in the blob: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256...</summary>
    public string Type { get; }

    /// <summary>"type base64", as ssh-keyscan prints it without the address, and as the stack pins it.</summary>
    public string Line => $"{Type} {Convert.ToBase64String(blob)}";

    /// <summary>SHA256 of the blob, base64 without padding, as <c>ssh-keygen -lf</c> and OpenSSH's own messages show it.</summary>
    public string Fingerprint => "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    /// <summary>The key's size in bits, as ssh-keygen -l shows it.</summary>
    public int Bits => Type switch
    {
        "ssh-ed25519" => 256,
        "ecdsa-sha2-nistp256" => 256,
        "ecdsa-sha2-nistp384" => 384,
        "ecdsa-sha2-nistp521" => 521,
        "ssh-rsa" => RsaModulusBits(),
        _ => 0,
    };

    /// <summary>The type as ssh-keygen -l names it: ED25519, RSA, ECDSA.</summary>
    public string Family => Type switch
    {
        "ssh-ed25519" => "ED25519",
        "ssh-rsa" => "RSA",
        _ when Type.StartsWith("ecdsa-", StringComparison.Ordinal) => "ECDSA",
        _ => Type.ToUpperInvariant(),
    };

    /// <summary>The line <c>ssh-keygen -lf</c> prints for this key with <paramref name="comment"/>: "256 SHA256:... comment (ED25519)".</summary>
    public string KeygenLine(string comment) => $"{Bits} {Fingerprint} {comment} ({Family})";

    /// <summary>The host key algorithms an SSH client may negotiate to be shown this key.</summary>
    public IReadOnlyList<string> Algorithms => Type == "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [Type];

    /// <summary>Reads "type base64 [comment]"; null when it is not a public key line.</summary>
    public static HostKey? TryParse(string line)
    {
        var parts = line.Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return null;
        }
        try
        {
            var key = new HostKey(Convert.FromBase64String(parts[1]));
            // The stack may pin an RSA key under an algorithm name (rsa-sha2-256); the blob says ssh-rsa.
            return parts[0] == key.Type || key.Type == "ssh-rsa" && parts[0].StartsWith("rsa-sha2-", StringComparison.Ordinal) ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public bool Equals(HostKey? other) => other is not null && blob.AsSpan().SequenceEqual(other.blob);

    public override bool Equals(object? obj) => Equals(obj as HostKey);

    public override int GetHashCode() => Fingerprint.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => $"{Type} {Fingerprint}";

    // ssh-rsa blob: string "ssh-rsa", mpint e, mpint n.
    private int RsaModulusBits()
    {
        ReadString(blob, 0, out var next);
        next = Skip(blob, next);
        if (next < 0 || next + 4 > blob.Length)
        {
            return 0;
        }
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(next));
        var n = blob.AsSpan(next + 4, Math.Min(length, blob.Length - next - 4)).TrimStart((byte)0);
        return n.Length == 0 ? 0 : (n.Length - 1) * 8 + 32 - BitOperations.LeadingZeroCount((uint)n[0]);
    }

    private static int Skip(byte[] data, int at) =>
        at + 4 > data.Length ? -1 : at + 4 + (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));

    private static string? ReadString(byte[] data, int at, out int next)
    {
        next = Skip(data, at);
        if (next < 0 || next > data.Length || next - at - 4 is < 1 or > 64)
        {
            return null;
        }
        return Encoding.ASCII.GetString(data, at + 4, next - at - 4);
    }
}
