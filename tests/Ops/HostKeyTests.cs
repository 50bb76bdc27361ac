using System.Security.Cryptography;
using System.Text;
using PortsipInfra.Ops.Ssh;
using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Ops;

/// <summary>Host keys as ops prints and compares them: fingerprints exactly as ssh-keygen -lf, known_hosts, verdicts.</summary>
public sealed class HostKeyTests
{
    [SkippableTheory]
    [InlineData("ed25519", "")]
    [InlineData("ecdsa", "256")]
    [InlineData("ecdsa", "384")]
    [InlineData("ecdsa", "521")]
    [InlineData("rsa", "3072")]
    [InlineData("rsa", "2047")]
    public void The_fingerprint_line_is_the_one_ssh_keygen_prints(string type, string bits)
    {
        Skip.If(!File.Exists("/usr/bin/ssh-keygen"), "ssh-keygen is not installed");
        var dir = Directory.CreateTempSubdirectory("ops-keygen-").FullName;
        try
        {
            var file = Path.Combine(dir, "key");
            var args = new List<string> { "-q", "-t", type, "-N", "", "-C", "the-comment", "-f", file };
            if (bits != "")
            {
                args.AddRange(["-b", bits]);
            }
            Assert.Equal(0, SimulatedHosts.Run("ssh-keygen", args, null, TimeSpan.FromSeconds(60)).ExitCode);
            var keygen = SimulatedHosts.Run("ssh-keygen", ["-lf", file + ".pub"], null, TimeSpan.FromSeconds(10)).Stdout.Trim();

            var key = HostKey.TryParse(File.ReadAllText(file + ".pub"));

            Assert.NotNull(key);
            Assert.Equal(keygen, key.KeygenLine("the-comment"));
            Assert.StartsWith("SHA256:", key.Fingerprint);
            Assert.DoesNotContain("=", key.Fingerprint);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_key_line_is_read_with_or_without_comment_and_refused_when_it_is_not_a_key()
    {
        var key = Key(1);
        Assert.Equal(key, HostKey.TryParse(key.Line));
        Assert.Equal(key, HostKey.TryParse(key.Line + " root@host"));
        Assert.Null(HostKey.TryParse("ssh-ed25519"));
        Assert.Null(HostKey.TryParse("ssh-ed25519 not-base64!"));
        // The type in front must be the type in the blob.
        Assert.Null(HostKey.TryParse("ssh-rsa " + key.Line.Split(' ')[1]));
    }

    [Fact]
    public void Known_hosts_matches_plain_bracketed_hashed_and_wildcard_names_and_honours_negation()
    {
        var known = new KnownHosts();
        known.Add($"10.0.0.1,pbx01 {Key(1).Line}", "a:1");
        known.Add($"[10.0.0.2]:2222 {Key(2).Line}", "a:2");
        known.Add($"{Hashed("10.0.0.3")} {Key(3).Line}", "a:3");
        known.Add($"10.0.9.*,!10.0.9.9 {Key(4).Line}", "a:4");
        known.Add("# a comment", "a:5");
        known.Add($"@cert-authority * {Key(5).Line}", "a:6");

        Assert.Equal(Key(1), Assert.Single(known.For("10.0.0.1", 22)).Key);
        Assert.Empty(known.For("10.0.0.2", 22));
        Assert.Equal(Key(2), Assert.Single(known.For("10.0.0.2", 2222)).Key);
        Assert.Equal(Key(3), Assert.Single(known.For("10.0.0.3", 22)).Key);
        Assert.Equal("a:4", Assert.Single(known.For("10.0.9.7", 22)).Where);
        Assert.Empty(known.For("10.0.9.9", 22));
        Assert.Empty(known.For("10.0.0.4", 22));
    }

    [Fact]
    public void A_shown_key_is_pinned_known_new_or_changed()
    {
        var known = new KnownHosts();
        known.Add($"10.0.0.1 {Key(1).Line}", "known_hosts:1");
        known.Add($"@revoked * {Key(9).Line}", "known_hosts:2");

        Assert.Equal(HostKeyVerdict.Pinned, new HostKeyCheck("10.0.0.1", 22, Key(1), "pbx01HostKey", known).Judge(Key(1)).Verdict);
        var changed = new HostKeyCheck("10.0.0.1", 22, Key(2), "pbx01HostKey in Pulumi.prod.yaml", known).Judge(Key(1));
        Assert.Equal(HostKeyVerdict.Changed, changed.Verdict);
        Assert.Equal($"pbx01HostKey in Pulumi.prod.yaml pins {Key(2).Fingerprint} (ssh-ed25519)", changed.Expected);

        var unpinned = new HostKeyCheck("10.0.0.1", 22, null, "", known);
        Assert.Equal(HostKeyVerdict.Known, unpinned.Judge(Key(1)).Verdict);
        Assert.Equal((HostKeyVerdict.Changed, $"known_hosts:1 records {Key(1).Fingerprint}"), unpinned.Judge(Key(3)));
        Assert.Equal(HostKeyVerdict.New, new HostKeyCheck("10.0.0.7", 22, null, "", known).Judge(Key(3)).Verdict);
        Assert.Equal(HostKeyVerdict.Changed, new HostKeyCheck("10.0.0.7", 22, null, "", known).Judge(Key(9)).Verdict);
    }

    [Fact]
    public void Only_the_pinned_or_known_key_type_is_asked_for()
    {
        var known = new KnownHosts();
        known.Add($"10.0.0.1 {Key(1).Line}", "known_hosts:1");
        Assert.Equal(["ssh-ed25519"], new HostKeyCheck("10.0.0.1", 22, null, "", known).Algorithms());
        Assert.Equal(["ssh-ed25519"], new HostKeyCheck("10.0.0.2", 22, Key(2), "", known).Algorithms());
        Assert.Equal(HostKeyCheck.AnyPlainKey, new HostKeyCheck("10.0.0.2", 22, null, "", known).Algorithms());
    }

    /// <summary>A made-up Ed25519 public key (any 32 bytes make a well-formed blob).</summary>
    public static HostKey Key(int n)
    {
        var type = Encoding.ASCII.GetBytes("ssh-ed25519");
        var blob = new List<byte>();
        blob.AddRange([0, 0, 0, (byte)type.Length]);
        blob.AddRange(type);
        blob.AddRange([0, 0, 0, 32]);
        blob.AddRange(SHA256.HashData([(byte)n]));
        return new HostKey(blob.ToArray());
    }

    private static string Hashed(string host)
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        return $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes(host)))}";
    }
}
