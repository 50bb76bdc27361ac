using PortsipInfra.Components;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.OverSsh;

/// <summary>
/// The deploy key's line (<see cref="DeployKey.AuthorizedKeysLine"/>) on the simulated pbx01's real sshd: OpenSSH
/// takes <c>restrict,from="..."</c>, lets the key run commands from the listed addresses only, refuses forwarding,
/// and the authorize and revoke scripts add and take off exactly that line.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class DeployKeyOverSshTests(SimulatedHosts hosts)
{
    private SshResult WithKey(string key, params string[] command) => SimulatedHosts.Run("ssh",
    [
        "-F", "/dev/null",
        "-o", $"BindInterface={SimulatedHosts.Uplink}",
        "-i", key,
        "-o", "IdentitiesOnly=yes",
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes",
        "-o", $"UserKnownHostsFile={Path.Combine(hosts.Dir, "known_hosts")}",
        "-o", "ConnectTimeout=5",
        "-o", "LogLevel=ERROR",
        .. command.Length > 0 && command[0] == "-W" ? command : [],
        $"{SimulatedHosts.User}@{hosts.Pbx01}",
        .. command.Length > 0 && command[0] == "-W" ? [] : command,
    ], null, TimeSpan.FromSeconds(30));

    private string[] DeployKeyLines(string blob) => hosts.Lines("pbx01", ".ssh/authorized_keys").Where(l => l.Contains(blob)).ToArray();

    [SkippableFact]
    public async Task The_restricted_line_lets_the_deploy_key_in_from_the_runners_only_and_is_taken_off_exactly()
    {
        hosts.Require();
        var run = await PulumiRun.Stack(Sites.ProdWith("deployKey", "true"));
        var authorize = run.Named("deploy-key-authorize").Input("create")!;
        var revoke = run.Named("deploy-key-authorize").Input("delete")!;

        var dir = Directory.CreateTempSubdirectory("portsip-deploy-key-");
        try
        {
            var key = Path.Combine(dir.FullName, "key");
            var keygen = SimulatedHosts.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", DeployKey.Marker, "-f", key], null, TimeSpan.FromSeconds(10));
            Assert.True(keygen.ExitCode == 0, keygen.ToString());
            var publicKey = File.ReadAllText(key + ".pub").Trim();
            var blob = publicKey.Split(' ')[1];
            // The address pbx01 sees this test (the pipeline runner) connect from.
            var runner = hosts.OnPbx01("""printf '%s' "${SSH_CLIENT%% *}" """).Stdout;
            Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", runner);

            var line = DeployKey.AuthorizedKeysLine(publicKey, [runner]);
            Assert.StartsWith($"restrict,from=\"{runner}\" ssh-ed25519 ", line);
            for (var i = 0; i < 2; i++)
            {
                var added = hosts.OnPbx01(authorize, line + "\n");
                Assert.True(added.ExitCode == 0, added.ToString());
            }
            Assert.Equal([line], DeployKeyLines(blob));

            var login = WithKey(key, "echo deploy-key-in");
            Assert.True(login.ExitCode == 0, login.ToString());
            Assert.Equal("deploy-key-in", login.Stdout.Trim());
            var forward = WithKey(key, "-W", $"{hosts.Pbx01}:22");
            Assert.NotEqual(0, forward.ExitCode);

            // Other runners: the replacement adds the new line, then the old step's delete takes off its own line.
            var elsewhere = DeployKey.AuthorizedKeysLine(publicKey, ["192.0.2.5", "198.51.100.0/24"]);
            Assert.Equal(0, hosts.OnPbx01(authorize, elsewhere + "\n").ExitCode);
            Assert.Equal(0, hosts.OnPbx01(revoke, line + "\n").ExitCode);
            Assert.Equal([elsewhere], DeployKeyLines(blob));
            Assert.NotEqual(0, WithKey(key, "echo deploy-key-in").ExitCode);
            // The test's own key (another line) still logs in.
            Assert.Equal(0, hosts.OnPbx01("true").ExitCode);

            Assert.Equal(0, hosts.OnPbx01(revoke, elsewhere + "\n").ExitCode);
            Assert.Empty(DeployKeyLines(blob));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
