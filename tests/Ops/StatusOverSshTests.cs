using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PortsipInfra.Ops.Ssh;
using PortsipInfra.Tests.OverSsh;
using PortsipInfra.Tests.Portal;

namespace PortsipInfra.Tests.Ops;

/// <summary>
/// ops status against the simulated hosts and the fake PortSIP API. The fake plays the portal at the virtual IP
/// (<see cref="VirtualIpRelay"/>) with a certificate issued for that IP; ops reaches it only through a tunnel via
/// pbx01 and checks the certificate against --portal-ca.
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class StatusOverSshTests(SimulatedHosts hosts)
{
    private sealed class Setup : IDisposable
    {
        public required OpsProject Project { get; init; }
        public required FakePortsipApi Fake { get; init; }
        public required VirtualIpRelay Relay { get; init; }
        public required string CaFile { get; init; }

        public void Dispose()
        {
            Relay.Dispose();
            Fake.Dispose();
            Project.Dispose();
        }
    }

    /// <summary>A site in sync: the portal and pbx01 record exactly what the stack file says.</summary>
    private Setup InSyncSite(params string[] fakeOptions)
    {
        hosts.Require();
        var project = new OpsProject(SimulatedSite.StackText(hosts, pbx01HostKey: hosts.HostKey("pbx01")));
        project.Environment[Credentials.PortalPasswordVariable] = FakePortsipApi.AdminPassword;
        var vip = VirtualIpRelay.SimulatedVirtualIp();
        var cert = Path.Combine(project.Dir, "portal.crt");
        var key = Path.Combine(project.Dir, "portal.key");
        var openssl = SimulatedHosts.Run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-days", "2", "-subj", "/CN=PortSIP test portal", "-addext", $"subjectAltName=IP:{vip}", "-keyout", key, "-out", cert], null, TimeSpan.FromSeconds(30));
        Assert.True(openssl.ExitCode == 0, openssl.ToString());
        var fake = FakePortsipApi.Start(["--tls", cert, key, .. fakeOptions]);
        VirtualIpRelay? relay = null;
        try
        {
            relay = new VirtualIpRelay(vip, fake.Port);
            Prepare(fake);
        }
        catch
        {
            relay?.Dispose();
            fake.Dispose();
            project.Dispose();
            throw;
        }
        return new Setup { Project = project, Fake = fake, Relay = relay, CaFile = cert };
    }

    private void Prepare(FakePortsipApi fake)
    {

        fake.Seed("media", new JsonObject { ["name"] = "media-server-1", ["private_ipv4"] = hosts.Ip("media1"), ["public_ipv4"] = "104.101.137.60", ["max_concurrency"] = 5000 });
        fake.Seed("queue", new JsonObject { ["name"] = "queue-server-1", ["ipv4"] = hosts.Ip("queue1") });
        fake.SeedRules(new JsonObject { ["cidr"] = $"{hosts.Ip("im1")}/32", ["target"] = "ACCEPT" }, new JsonObject { ["cidr"] = $"{hosts.Ip("dataflow1")}/32", ["target"] = "ACCEPT" });
        SetImConfig(fake, hosts.Ip("im1"), "104.18.36.110");

        Record("versions", "pbx", "portsip/pbx:22");
        Record("installed", $"media-server-only@{hosts.Ip("media1")}", "media-server-1");
        Record("versions", "extend-media", "portsip/pbx:22");
        Record("installed", $"queue-server-only@{hosts.Ip("queue1")}", "queue-server-1");
        Record("versions", "extend-queue", "portsip/pbx:22");
        Record("installed", "im", hosts.Ip("im1"));
        Record("versions", "im", "portsip/pbx:22 (token rotation 0)");
        foreach (var sbc in new[] { "sbc1", "sbc2" })
        {
            Record("installed", $"sbc@{hosts.Ip(sbc)}", hosts.Ip(sbc));
            Record("versions", $"sbc@{hosts.Ip(sbc)}", "portsip/sbc:11");
        }
        Record("installed", "dataflow", hosts.Ip("dataflow1"));
        Record("versions", "dataflow", "the script's default ClickHouse image");
    }

    private void Record(string kind, string key, string value)
    {
        var path = hosts.Home("pbx01", $".portsip-infra/{kind}/{key}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, value + "\n");
    }

    private static void SetImConfig(FakePortsipApi fake, string privateIp, string publicIp)
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        LogIn(http, fake);
        http.PostAsync($"{fake.ApiUrl}/im", Json(new JsonObject { ["private_ipv4"] = privateIp, ["public_ipv4"] = publicIp })).GetAwaiter().GetResult().EnsureSuccessStatusCode();
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private static void LogIn(HttpClient http, FakePortsipApi fake)
    {
        var login = http.PostAsync($"{fake.ApiUrl}/login", Json(new JsonObject { ["username"] = FakePortsipApi.AdminUser, ["password"] = FakePortsipApi.AdminPassword }))
            .GetAwaiter().GetResult().EnsureSuccessStatusCode();
        var token = login.Content.ReadFromJsonAsync<JsonObject>().GetAwaiter().GetResult()!["access_token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
    }

    private OpsResult Status(Setup s, params string[] extra)
    {
        var result = s.Project.Run(["status", "--stack", "sim", "--key", Path.Combine(hosts.Dir, "test_key"), "--known-hosts", "/dev/null", .. extra]);
        // Secrets never reach the output.
        Assert.DoesNotContain(FakePortsipApi.AdminPassword, result.Stdout + result.Stderr);
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(hosts.Dir, "test_key"))[1], result.Stdout + result.Stderr);
        return result;
    }

    [SkippableFact]
    public void A_site_in_sync_exits_0_with_every_server_side_by_side()
    {
        using var s = InSyncSite();

        var status = Status(s, "--portal-ca", s.CaFile);

        Assert.True(status.Exit == 0, status.ToString());
        Assert.Contains($"media     media-server-1     {hosts.Ip("media1")}", status.Stdout);
        Assert.Contains($"media-server-1 {hosts.Ip("media1")} public 104.101.137.60 enabled ONLINE 0/5000 sessions", status.Stdout);
        Assert.Contains("installed: media-server-1, portsip/pbx:22", status.Stdout);
        Assert.Contains("In sync: the site is what Pulumi.sim.yaml says.", status.Stdout);
        Assert.DoesNotContain("!", status.Stdout);
        // Only the portal's own API calls went to the fake, through the tunnel.
        Assert.Contains("POST /api/login", s.Fake.Requests());
        Assert.DoesNotContain(s.Fake.Requests(), r => r.StartsWith("POST /api/") && r != "POST /api/login" && r != "POST /api/im");
    }

    [SkippableFact]
    public void A_drifted_site_exits_2_and_marks_each_difference()
    {
        using var s = InSyncSite();
        // The queue server was removed from the portal by hand, the media server renamed there, a server added
        // there by hand, and sbc2's install record is gone from pbx01.
        s.Fake.Seed("ivr", new JsonObject { ["name"] = "ivr-by-hand", ["ipv4"] = hosts.Ip("legacy") });
        RenameAndRemove(s.Fake);
        File.Delete(hosts.Home("pbx01", $".portsip-infra/installed/sbc@{hosts.Ip("sbc2")}"));

        var status = Status(s, "--portal-ca", s.CaFile);

        Assert.True(status.Exit == 2, status.ToString());
        Assert.Contains("! the portal names it 'media-renamed', the stack file 'media-server-1' (renamed in the portal?)", status.Stdout);
        Assert.Contains("! the portal has no record of it (removed by hand?)", status.Stdout);
        Assert.Contains("ivr-by-hand", status.Stdout);
        Assert.Contains("! the portal has this IVR Server, the stack file does not (added by hand? pulumi up leaves it alone)", status.Stdout);
        Assert.Contains($"! pbx01 has no record of its install (~/.portsip-infra/installed/sbc@{hosts.Ip("sbc2")})", status.Stdout);
        Assert.Contains("DRIFT: 4 differences between Pulumi.sim.yaml and the site (marked !).", status.Stdout);

        var json = Status(s, "--portal-ca", s.CaFile, "--json");

        Assert.Equal(2, json.Exit);
        var report = JsonNode.Parse(json.Stdout)!;
        Assert.False(report["inSync"]!.GetValue<bool>());
        Assert.Equal(4, report["differences"]!.GetValue<int>());
        var media = report["items"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "media-server-1")!;
        Assert.Equal("media-renamed", media["portal"]!["name"]!.GetValue<string>());
        Assert.Equal("media-server-1", media["pbx01"]!["installed"]!.GetValue<string>());
    }

    private static void RenameAndRemove(FakePortsipApi fake)
    {
        // The fake has no rename; a record "renamed by hand" is the same server under another name.
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        LogIn(http, fake);
        foreach (var (kind, collection) in new[] { ("media", "media_servers"), ("queue", "call_queue_servers") })
        {
            var server = fake.Servers(kind).Single(x => x["type"]!.GetValue<string>() == "EXTERNAL");
            http.PostAsync($"{fake.ApiUrl}/{collection}/{server["id"]}/destroy", null).GetAwaiter().GetResult().EnsureSuccessStatusCode();
            if (kind == "media")
            {
                server["name"] = "media-renamed";
                server.Remove("id");
                fake.Seed("media", server.DeepClone().AsObject());
            }
        }
    }

    [SkippableFact]
    public void Stopped_servers_are_drift()
    {
        using var s = InSyncSite("--never-online");

        var status = Status(s, "--portal-ca", s.CaFile);

        Assert.True(status.Exit == 2, status.ToString());
        Assert.Equal(2, status.Stdout.Split('\n').Count(l => l.Contains("! OFFLINE in the portal (stopped or down?)")));
    }

    [SkippableFact]
    public void A_wrong_password_and_an_untrusted_certificate_are_errors_that_say_so()
    {
        using var s = InSyncSite();

        var untrusted = Status(s);

        Assert.Equal(1, untrusted.Exit);
        Assert.Contains($"ops: the Web Portal's certificate at https://{s.Relay.VirtualIp}:8887/api is not trusted: its chain is not trusted", untrusted.Stderr);
        Assert.Contains("--portal-ca FILE", untrusted.Stderr);

        var wrongName = Status(s, "--portal-ca", s.CaFile, "--portal-name", "pbx.example.com");

        Assert.Equal(1, wrongName.Exit);
        Assert.Contains("it is not issued for this name", wrongName.Stderr);

        s.Project.Environment[Credentials.PortalPasswordVariable] = "not-the-password";
        var refused = Status(s, "--portal-ca", s.CaFile);

        Assert.Equal(1, refused.Exit);
        Assert.Contains($"ops: the Web Portal at https://{s.Relay.VirtualIp}:8887/api refused the password of 'admin' (PORTSIP_PORTAL_PASSWORD)", refused.Stderr);
        Assert.DoesNotContain("not-the-password", refused.Stdout + refused.Stderr);
    }

    [SkippableFact]
    public void Status_logs_in_only_to_a_pbx01_whose_key_is_pinned_or_known()
    {
        hosts.Require();
        using var project = new OpsProject(SimulatedSite.StackText(hosts));
        project.Environment[Credentials.PortalPasswordVariable] = "unused";
        var pbx01 = HostKey.TryParse(hosts.HostKey("pbx01"))!;

        var unknown = project.Run("status", "--stack", "sim", "--key", Path.Combine(hosts.Dir, "test_key"), "--known-hosts", "/dev/null");

        Assert.Equal(1, unknown.Exit);
        Assert.Contains($"ops: pbx01 ({hosts.Pbx01}) shows the host key {pbx01.Fingerprint} (ssh-ed25519), which is neither pinned in the stack file nor in known_hosts. Run ops keyscan --stack sim --write", unknown.Stderr);

        var known = project.Run("status", "--stack", "sim", "--key", Path.Combine(hosts.Dir, "test_key"), "--known-hosts", Path.Combine(hosts.Dir, "known_hosts"));

        // Past the host key check: the login works and only the portal (not set up here) is missing.
        Assert.Equal(1, known.Exit);
        Assert.Contains("Web Portal", known.Stderr);
        Assert.DoesNotContain("host key", known.Stderr);
    }
}
