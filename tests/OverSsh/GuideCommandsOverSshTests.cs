using System.Collections.Immutable;

namespace PortsipInfra.Tests.OverSsh;

/// <summary>
/// The install, upgrade and delete commands, built from <see cref="RemoteScript"/> and <see cref="GuideCommands"/>
/// exactly as the components build them, run on the simulated pbx01 whose guide scripts are stand-ins that check
/// their command lines as the guides document them and record, on the target host over SSH, what they did.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class GuideCommandsOverSshTests(SimulatedHosts hosts)
{
    private const string Guide = SimulatedHosts.GuideFolder;
    private const string User = SimulatedHosts.User;
    private const string PbxImage = "portsip/pbx:22";
    private const string NewPbxImage = "portsip/pbx:22.4";
    private const string Token = "portal-token-5f1c\n";

    private static readonly string[] ServerHosts = ["media1", "queue1", "im1", "sbc1", "sbc2", "dataflow1"];

    // ---- The commands, as components/*.cs build them (infra/ServerScripts.cs). ----

    private sealed record Step(string Create, string? Update, string? Delete, string? Stdin = null);

    private static Step From(RemoteStep step, string? stdin = null) => new(step.Create, step.Update, step.Delete, stdin);

    private static Step Extended(ExtendedServerSettings server) => From(ServerScripts.ExtendedServer(Guide, server));

    private static Step Im(ImSettings im, string pbxImage) => From(ServerScripts.Im(Guide, im, pbxImage), Token);

    private static Step Sbc(SbcServerSettings server, SbcSettings sbc) => From(ServerScripts.Sbc(Guide, server, sbc));

    private static Step DataFlow(DataFlowSettings df) => From(ServerScripts.DataFlow(Guide, df), Token);

    private static Step Pbx(PbxClusterSettings pbx) => From(ServerScripts.PbxCluster(pbx));

    private static Step RoleUpgrade(ServerRole role, string pbxImage) => From(ServerScripts.RoleUpgrade(Guide, role, pbxImage));

    // ---- The simulated site. ----

    private ExtendedServerSettings Media => new(ServerRole.Media, "media-server-1", hosts.Ip("media1"), RecordsCalls: true);
    private ExtendedServerSettings Queue => new(ServerRole.Queue, "queue-server-1", hosts.Ip("queue1"));
    private ImSettings ImOn => new(hosts.Ip("im1"), "203.0.113.25", "/data/im", Protect: true);
    private SbcSettings SbcCluster(string image) => new(image, false,
        [new SbcServerSettings("sbc1", hosts.Ip("sbc1"), "203.0.113.11"), new SbcServerSettings("sbc2", hosts.Ip("sbc2"), "203.0.113.12")]);
    private DataFlowSettings Df(string? clickhouse) => new(hosts.Ip("dataflow1"), null, "/var/lib/portsip", clickhouse, PbxImage);
    private PbxClusterSettings PbxSettings(string image) =>
        new(hosts.Pbx01, "10.213.57.130", null, Guide, image, false, new SshSettings(User, 22, null, null));

    /// <summary>components/PreparedHost.cs: the trust step (and the preflight) before every install.</summary>
    private void Prepare(params string[] names) => Prepare(false, names);

    private void Prepare(bool preflight, params string[] names)
    {
        foreach (var host in names)
        {
            var trust = hosts.OnPbx01(HostPreparation.Trust(User, hosts.Ip(host), null), hosts.Password + "\n");
            Assert.True(trust.ExitCode == 0, trust.ToString());
            if (preflight)
            {
                var check = hosts.OnPbx01(HostPreparation.Preflight(new PreflightTarget($"{host} ({hosts.Ip(host)})", User, hosts.Ip(host), 128, new HashSet<string>())));
                Assert.True(check.ExitCode == 0, check.ToString());
            }
        }
    }

    private SshResult Ok(string command, string? stdin = null)
    {
        var result = hosts.OnPbx01(command, stdin);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private SshResult Create(Step step) => Ok(step.Create, step.Stdin);
    private SshResult Update(Step step) => Ok(step.Update!, step.Stdin);
    private SshResult Delete(Step step) => Ok(step.Delete!, step.Stdin);

    private string[] Roles(string host)
    {
        var dir = hosts.Home(host, ".standin/roles");
        return Directory.Exists(dir) ? Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order().ToArray() : [];
    }

    private string[] Actions(string host) => hosts.StandinLog(host).Select(l => string.Join(' ', l.Split(' ').Take(2))).ToArray();

    private string[] Recorded(string folder) =>
        Directory.Exists(hosts.Home("pbx01", $".portsip-infra/{folder}"))
            ? Directory.GetFiles(hosts.Home("pbx01", $".portsip-infra/{folder}")).Select(f => Path.GetFileName(f)).Order().ToArray()
            : [];

    private void NoDisaster() => Assert.Empty(hosts.Disasters());

    [SkippableFact]
    public void An_extended_server_installs_once_on_its_own_host_however_often_create_and_update_run()
    {
        hosts.Require();
        Prepare("media1", "queue1");
        var media = Extended(Media);
        var queue = Extended(Queue);

        Assert.Contains("is installed", Create(media).Stdout);
        Assert.Contains("already installed; nothing to do", Create(media).Stdout);
        Assert.Contains("already installed; nothing to do", Update(media).Stdout);
        Create(queue);
        Update(queue);

        Assert.Equal([$"install media-server-only name=media-server-1 ip={hosts.Ip("media1")} host=media1"], hosts.StandinLog("media1"));
        Assert.Equal([$"install queue-server-only name=queue-server-1 ip={hosts.Ip("queue1")} host=queue1"], hosts.StandinLog("queue1"));
        foreach (var other in hosts.AllHosts.Except(["media1", "queue1"]))
        {
            Assert.Empty(hosts.StandinLog(other));
        }
        Assert.Equal(
        [
            $"extend.sh run -s media-server-only -n media-server-1 -a {hosts.Ip("media1")}",
            $"extend.sh run -s queue-server-only -n queue-server-1 -a {hosts.Ip("queue1")}",
        ], hosts.GuideCalls());
        Assert.Equal([$"media-server-only@{hosts.Ip("media1")}", $"queue-server-only@{hosts.Ip("queue1")}"], Recorded("installed"));
        NoDisaster();
    }

    [SkippableFact]
    public void Every_delete_removes_its_own_server_and_leaves_every_other_one_alone()
    {
        hosts.Require();
        Prepare(preflight: true, ServerHosts);
        var steps = new (string Host, string Role, Step Step)[]
        {
            ("media1", "media-server-only", Extended(Media)),
            ("queue1", "queue-server-only", Extended(Queue)),
            ("im1", "im", Im(ImOn, PbxImage)),
            ("sbc1", "sbc", Sbc(SbcCluster("portsip/sbc:11").Servers[0], SbcCluster("portsip/sbc:11"))),
            ("sbc2", "sbc", Sbc(SbcCluster("portsip/sbc:11").Servers[1], SbcCluster("portsip/sbc:11"))),
            ("dataflow1", "dataflow", DataFlow(Df("portsip/clickhouse:26.3"))),
        };
        foreach (var (_, _, step) in steps)
        {
            Create(step);
        }
        foreach (var (host, role, _) in steps)
        {
            Assert.Equal([role], Roles(host));
        }

        for (var i = 0; i < steps.Length; i++)
        {
            var (host, role, step) = steps[i];
            Assert.Contains("is removed", Delete(step).Stdout);
            Assert.Empty(Roles(host));
            Assert.Equal($"remove {role}", Actions(host).Last());
            foreach (var (other, otherRole, _) in steps.Skip(i + 1))
            {
                Assert.Equal([otherRole], Roles(other));
                Assert.DoesNotContain(Actions(other), a => a.StartsWith("remove", StringComparison.Ordinal));
            }
            NoDisaster();
        }
        Assert.Empty(Recorded("installed"));
        Assert.All(ServerHosts, h => Assert.Single(Actions(h), a => a.StartsWith("install", StringComparison.Ordinal)));
        Assert.DoesNotContain(ServerHosts.SelectMany(Actions), a => a.StartsWith("reinstall", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Installs_that_Pulumi_runs_in_parallel_take_turns_on_pbx01()
    {
        hosts.Require();
        Prepare("media1", "queue1", "sbc1", "sbc2");
        var sbc = SbcCluster("portsip/sbc:11");
        var steps = new[] { Extended(Media), Extended(Queue), Sbc(sbc.Servers[0], sbc), Sbc(sbc.Servers[1], sbc) };
        // Each twice, all at once: the lock on pbx01 keeps the guide scripts (and their inventories) apart.
        var runs = await Task.WhenAll(steps.Concat(steps).Select(step => Task.Run(() => hosts.OnPbx01(step.Create))));
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));

        Assert.Equal(["install media-server-only"], Actions("media1"));
        Assert.Equal(["install queue-server-only"], Actions("queue1"));
        Assert.Equal(["install sbc"], Actions("sbc1"));
        Assert.Equal(["install sbc"], Actions("sbc2"));
        Assert.Equal(4, hosts.GuideCalls().Length);
        Assert.Equal(2, hosts.Lines("pbx01", ".standin/extend.sh").Length);
        Assert.Equal(2, hosts.Lines("pbx01", ".standin/sbc.sh").Length);
    }

    [SkippableFact]
    public void A_deleted_server_can_be_installed_again()
    {
        hosts.Require();
        Prepare("media1");
        var media = Extended(Media);
        Create(media);
        Delete(media);
        Create(media);
        Assert.Equal(["install media-server-only", "remove media-server-only", "install media-server-only"], Actions("media1"));
        Assert.Equal(["media-server-only"], Roles("media1"));
    }

    [SkippableFact]
    public void A_failed_install_is_not_recorded_and_is_tried_again()
    {
        hosts.Require();
        Prepare("media1");
        Create(Extended(Media));
        // A second role on the same server: the installer refuses it (one role per server).
        var wrong = Extended(new ExtendedServerSettings(ServerRole.Queue, "queue-server-2", hosts.Ip("media1")));
        var first = hosts.OnPbx01(wrong.Create);
        Assert.NotEqual(0, first.ExitCode);
        // The guide script's output (stdout and stderr) is its log on pbx01, which the step follows on stdout.
        Assert.Contains("a server can run only one role", first.Stdout);
        Assert.Equal([$"media-server-only@{hosts.Ip("media1")}"], Recorded("installed"));
        Assert.NotEqual(0, hosts.OnPbx01(wrong.Create).ExitCode);
        Assert.Equal(2, hosts.GuideCalls().Count(c => c.Contains("queue-server-2", StringComparison.Ordinal)));
        Assert.Equal(["media-server-only"], Roles("media1"));
    }

    [SkippableFact]
    public void The_IM_service_installs_once_and_upgrades_once_per_version()
    {
        hosts.Require();
        Prepare("im1");
        var v1 = Im(ImOn, PbxImage);
        Create(v1);
        Create(v1);
        Assert.Contains("at portsip/pbx:22 (token rotation 0) already; nothing to do", Update(v1).Stdout);

        var v2 = Im(ImOn, NewPbxImage);
        Assert.Contains("Upgrading the IM service to portsip/pbx:22.4", Update(v2).Stdout);
        Assert.Contains("already; nothing to do", Update(v2).Stdout);

        Assert.Equal(
        [
            "install im public=203.0.113.25 storage=/data/im token=given host=im1",
            "upgrade im token=given host=im1",
        ], hosts.StandinLog("im1"));
        Assert.Equal(
            [$"im.sh run -a {hosts.Ip("im1")} -A 203.0.113.25 -f /data/im", "im.sh upgrade"],
            hosts.GuideCalls());
        Assert.All(hosts.AllHosts.Except(["im1"]), h => Assert.Empty(hosts.StandinLog(h)));
    }

    [SkippableFact]
    public void Each_SBC_server_installs_and_upgrades_once_on_its_own_host()
    {
        hosts.Require();
        Prepare("sbc1", "sbc2");
        var v11 = SbcCluster("portsip/sbc:11");
        var v12 = SbcCluster("portsip/sbc:12");
        foreach (var server in v11.Servers)
        {
            Create(Sbc(server, v11));
            Create(Sbc(server, v11));
        }
        Update(Sbc(v12.Servers[0], v12));
        Assert.Contains("already; nothing to do", Update(Sbc(v12.Servers[0], v12)).Stdout);

        Assert.Equal(
        [
            "install sbc image=portsip/sbc:11 certificate-manager=no host=sbc1",
            "upgrade sbc image=portsip/sbc:12 certificate-manager=no host=sbc1",
        ], hosts.StandinLog("sbc1"));
        Assert.Equal(["install sbc image=portsip/sbc:11 certificate-manager=no host=sbc2"], hosts.StandinLog("sbc2"));
        Assert.Equal(
        [
            $"sbc.sh run -a {hosts.Ip("sbc1")} -i portsip/sbc:11",
            $"sbc.sh run -a {hosts.Ip("sbc2")} -i portsip/sbc:11",
            $"sbc.sh upgrade -a {hosts.Ip("sbc1")} -i portsip/sbc:12",
        ], hosts.GuideCalls());
        NoDisaster();
    }

    [SkippableFact]
    public void Data_Flow_installs_once_and_upgrades_once_per_ClickHouse_image()
    {
        hosts.Require();
        Prepare("dataflow1");
        Create(DataFlow(Df("portsip/clickhouse:26.3")));
        Create(DataFlow(Df("portsip/clickhouse:26.3")));
        Update(DataFlow(Df("portsip/clickhouse:26.4")));
        Update(DataFlow(Df("portsip/clickhouse:26.4")));

        Assert.Equal(
        [
            "install dataflow path=/var/lib/portsip clickhouse=portsip/clickhouse:26.3 pbx=portsip/pbx:22 public=none token=given host=dataflow1",
            "upgrade dataflow clickhouse=portsip/clickhouse:26.4 host=dataflow1",
        ], hosts.StandinLog("dataflow1"));
        Assert.Equal(
        [
            $"dataflow.sh run -p /var/lib/portsip -a {hosts.Ip("dataflow1")} -d portsip/clickhouse:26.3 -i portsip/pbx:22",
            "dataflow.sh upgrade -d portsip/clickhouse:26.4",
        ], hosts.GuideCalls());
    }

    [SkippableFact]
    public void The_PBX_and_each_role_upgrade_once_per_version()
    {
        hosts.Require();
        Prepare("media1", "queue1");
        Create(Extended(Media));
        Create(Extended(Queue));
        Assert.Contains("The PBX HA cluster runs portsip/pbx:22", Create(Pbx(PbxSettings(PbxImage))).Stdout);
        Create(RoleUpgrade(ServerRole.Media, PbxImage));
        Create(RoleUpgrade(ServerRole.Queue, PbxImage));

        for (var i = 0; i < 2; i++)
        {
            Update(Pbx(PbxSettings(NewPbxImage)));
            Update(RoleUpgrade(ServerRole.Media, NewPbxImage));
        }

        Assert.Equal([$"update pbx image={NewPbxImage} certificate-manager=no host=pbx01"], hosts.StandinLog("pbx01"));
        Assert.Equal(["install media-server-only", "upgrade media-server-only"], Actions("media1"));
        Assert.Equal(["install queue-server-only"], Actions("queue1")); // its role upgrade did not run
        Assert.Equal(
        [
            $"extend.sh run -s media-server-only -n media-server-1 -a {hosts.Ip("media1")}",
            $"extend.sh run -s queue-server-only -n queue-server-1 -a {hosts.Ip("queue1")}",
            $"update.sh {NewPbxImage}",
            "extend.sh upgrade -s media-server-only",
        ], hosts.GuideCalls());
    }

    [SkippableFact]
    public void The_stand_ins_check_their_command_lines_as_the_guides_document_them()
    {
        hosts.Require();
        Prepare("media1");
        Create(Extended(Media));
        var ip = hosts.Ip("media1");
        var cd = $"cd {Guide}/ && /bin/bash ";
        var usages = new[]
        {
            "extend.sh run -s media-server-only -a " + ip, // no -n
            "extend.sh run -s media-server -n m -a " + ip, // unknown type
            "extend.sh rm -a " + ip, // -a needs -s
            "extend.sh upgrade -s media-server-only -a " + ip, // upgrade takes no -a
            "extend.sh rm -s media-server-only -a " + ip + " -x",
            "im.sh run -a " + ip, // no -A
            "im.sh rm -a " + ip,
            "sbc.sh run -a " + ip, // no -i
            "sbc.sh upgrade -i portsip/sbc:11",
            "dataflow.sh run -p /var/lib/portsip -a " + ip, // no -i
            "dataflow.sh upgrade -i portsip/pbx:22",
            "update.sh",
            "update.sh portsip/pbx:22 -x",
        };
        // One session for all of them: each prints "<exit code> <usage lines on stderr>".
        var batch = Ok(string.Join("\n", usages.Select(u => $"( {cd}{u} ) 2>&1 >/dev/null | grep -c '^usage:' | tr '\\n' ' '; ( {cd}{u} ) >/dev/null 2>&1; echo $?")));
        var lines = batch.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(usages.Length, lines.Length);
        for (var i = 0; i < usages.Length; i++)
        {
            Assert.True(lines[i] == "1 2", $"{usages[i]}: usage lines and exit code were '{lines[i]}', expected one usage line and exit 2");
        }
        Assert.Equal(["install media-server-only"], Actions("media1"));
        NoDisaster();

        // Outside the guide folder the scripts refuse to run.
        Assert.Equal(1, hosts.OnPbx01($"cd / && /bin/bash {Guide}/extend.sh upgrade").ExitCode);

        // What no command of the program may ever run: the disaster detector works.
        Ok(cd + "extend.sh rm -s media-server-only");
        Assert.Single(hosts.Disasters());
        Assert.Equal(["install media-server-only", "remove media-server-only"], Actions("media1"));
        Ok(cd + "extend.sh rm");
        Ok(cd + "sbc.sh rm");
        Assert.Equal(3, hosts.Disasters().Length);
    }

    [Fact]
    public void Every_guide_command_of_the_tests_is_the_guides_command_line()
    {
        // The stand-ins parse what GuideCommands renders; pin the shapes the tests rely on.
        var media = new ExtendedServerSettings(ServerRole.Media, "media-server-1", "192.168.1.21");
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash extend.sh rm -s media-server-only -a 192.168.1.21",
            GuideCommands.ExtendRemove(Guide, media.Role, media.PrivateIp));
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash sbc.sh rm -a 192.168.1.11", GuideCommands.SbcRemove(Guide, "192.168.1.11"));
        Assert.Equal(ImmutableArray<SbcServerSettings>.Empty, new SbcSettings("portsip/sbc:11", false, []).Servers);
    }
}
