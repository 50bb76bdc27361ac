using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace PortsipInfra.Tests.Portal;

/// <summary>
/// The real helper (infra/Scripts/remote/portsip_api.py) against the fake PortSIP API (tests/fakes/fake_portsip_api.py),
/// both on 127.0.0.1.
/// </summary>
public sealed class PortalHelperTests : IDisposable
{
    private readonly List<IDisposable> cleanup = [];

    public void Dispose()
    {
        foreach (var item in cleanup)
        {
            item.Dispose();
        }
    }

    private FakePortsipApi Fake(params string[] options)
    {
        var fake = FakePortsipApi.Start(options);
        cleanup.Add(fake);
        return fake;
    }

    private static HelperResult Ok(HelperResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static HelperResult Failed(HelperResult result, bool progressOnStdout = false)
    {
        Assert.True(result.ExitCode != 0, result.ToString());
        if (!progressOnStdout)
        {
            Assert.Equal("", result.Stdout);
        }
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        return result;
    }

    private static readonly string[] RegisterMedia =
        ["register", "--kind", "media", "--name", "media-server-1", "--private-ip", "192.168.1.21", "--public-ip", "104.101.137.60", "--max-sessions", "3000"];

    private static JsonObject Named(IEnumerable<JsonObject> servers, string name) => Assert.Single(servers, s => (string?)s["name"] == name);

    [Fact]
    public void Register_creates_a_media_server_with_the_spec_fields()
    {
        var api = Fake();
        var result = Ok(PortalHelper.Run(api.Stdin(), RegisterMedia));

        var server = Named(api.Servers("media"), "media-server-1");
        Assert.Equal($"registered media server media-server-1 (id {server["id"]})\n", result.Stdout);
        Assert.Equal("", result.Stderr);
        Assert.Equal("192.168.1.21", (string?)server["private_ipv4"]);
        Assert.Equal("104.101.137.60", (string?)server["public_ipv4"]);
        Assert.Equal(3000, (int?)server["max_concurrency"]);
        Assert.True((bool?)server["enabled"]);
        Assert.Equal("EXTERNAL", (string?)server["type"]);
    }

    [Theory]
    [InlineData("queue", "queue-server-1", "192.168.1.22")]
    [InlineData("meeting", "meeting-server-1", "192.168.1.23")]
    [InlineData("ivr", "ivr-server-1", "192.168.1.24")]
    public void Register_creates_queue_meeting_and_ivr_servers_with_their_ipv4(string kind, string name, string ip)
    {
        var api = Fake();
        var result = Ok(PortalHelper.Run(api.Stdin(), "register", "--kind", kind, "--name", name, "--private-ip", ip, "--enabled", "false"));

        var server = Named(api.Servers(kind), name);
        Assert.Equal($"registered {kind} server {name} (id {server["id"]})\n", result.Stdout);
        Assert.Equal(ip, (string?)server["ipv4"]);
        Assert.False((bool?)server["enabled"]);
        if (kind == "meeting")
        {
            Assert.NotNull(server["max_rooms"]);
            Assert.NotNull(server["max_participants"]);
        }
    }

    [Fact]
    public void Register_adopts_an_existing_server_of_that_name_without_a_duplicate()
    {
        var api = Fake();
        api.Seed("media", new JsonObject
        {
            ["name"] = "media-server-1", ["private_ipv4"] = "192.168.1.21", ["public_ipv4"] = "104.101.137.60", ["max_concurrency"] = 3000,
        });
        var id = (string?)Named(api.Servers("media"), "media-server-1")["id"];

        var first = Ok(PortalHelper.Run(api.Stdin(), RegisterMedia));
        var second = Ok(PortalHelper.Run(api.Stdin(), RegisterMedia));

        Assert.StartsWith($"adopted media server media-server-1 (id {id})", first.Stdout);
        Assert.StartsWith($"adopted media server media-server-1 (id {id})", second.Stdout);
        Assert.Equal(2, api.Servers("media").Length); // the built-in one and ours
        Assert.DoesNotContain("POST /api/media_servers", api.Requests());
    }

    [Fact]
    public void Register_updates_the_maximum_of_sessions_and_enabled_in_place()
    {
        var api = Fake();
        Ok(PortalHelper.Run(api.Stdin(), RegisterMedia));
        var id = (string?)Named(api.Servers("media"), "media-server-1")["id"];

        var result = Ok(PortalHelper.Run(api.Stdin(),
            [.. RegisterMedia[..^1], "4500", "--enabled", "false"]));

        Assert.Equal($"updated media server media-server-1 (id {id}): enabled true -> false, max_concurrency 3000 -> 4500\n", result.Stdout);
        var server = Named(api.Servers("media"), "media-server-1");
        Assert.Equal(id, (string?)server["id"]);
        Assert.Equal(4500, (int?)server["max_concurrency"]);
        Assert.False((bool?)server["enabled"]);
        Assert.Contains($"POST /api/media_servers/{id}", api.Requests());
    }

    [Fact]
    public void Register_refuses_to_adopt_a_server_registered_with_another_address()
    {
        var api = Fake();
        api.Seed("queue", new JsonObject { ["name"] = "queue-server-1", ["ipv4"] = "192.168.1.99" });

        var result = Failed(PortalHelper.Run(api.Stdin(), "register", "--kind", "queue", "--name", "queue-server-1", "--private-ip", "192.168.1.22"));

        Assert.StartsWith("register queue server queue-server-1 failed: ", result.Stderr);
        Assert.Contains("192.168.1.99, not 192.168.1.22", result.Stderr);
        Assert.Equal("192.168.1.99", (string?)Named(api.Servers("queue"), "queue-server-1")["ipv4"]);
    }

    [Fact]
    public void Register_finds_a_server_beyond_the_first_page_of_the_list()
    {
        var api = Fake();
        api.Seed("ivr", Enumerable.Range(1, 150)
            .Select(i => new JsonObject { ["name"] = $"ivr-server-{i}", ["ipv4"] = $"10.0.{i / 200}.{i % 200 + 1}" }).ToArray());

        var result = Ok(PortalHelper.Run(api.Stdin(), "register", "--kind", "ivr", "--name", "ivr-server-140", "--private-ip", "10.0.0.141"));

        Assert.StartsWith("adopted ivr server ivr-server-140", result.Stdout);
        Assert.Equal(151, api.Servers("ivr").Length);
    }

    [Fact]
    public void Unregister_deletes_the_server_and_a_missing_one_is_success()
    {
        var api = Fake();
        Ok(PortalHelper.Run(api.Stdin(), RegisterMedia));
        var id = (string?)Named(api.Servers("media"), "media-server-1")["id"];

        var first = Ok(PortalHelper.Run(api.Stdin(), "unregister", "--kind", "media", "--name", "media-server-1"));
        var second = Ok(PortalHelper.Run(api.Stdin(), "unregister", "--kind", "media", "--name", "media-server-1"));

        Assert.Equal($"unregistered media server media-server-1 (id {id})\n", first.Stdout);
        Assert.Equal("media server media-server-1 was not registered; nothing to do\n", second.Stdout);
        Assert.DoesNotContain(api.Servers("media"), s => (string?)s["name"] == "media-server-1");
        Assert.Single(api.Servers("media"), s => (string?)s["type"] == "INTERNAL");
    }

    private static JsonObject BuiltIn(FakePortsipApi api, string kind) => Assert.Single(api.Servers(kind), s => (string?)s["type"] == "INTERNAL");

    [Fact]
    public void Set_defaults_enabled_switches_the_built_in_server_of_its_kind_only()
    {
        var api = Fake();
        Ok(PortalHelper.Run(api.Stdin(), RegisterMedia));
        var imBefore = api.State()["im"]!.ToJsonString();

        var off = Ok(PortalHelper.Run(api.Stdin(), "set-defaults-enabled", "--kind", "media", "--enabled", "false"));

        var media = BuiltIn(api, "media");
        Assert.False((bool?)media["enabled"]);
        Assert.Equal($"disabled built-in media server {media["name"]} (id {media["id"]})\n", off.Stdout);
        foreach (var kind in new[] { "queue", "meeting", "ivr" })
        {
            Assert.True((bool?)BuiltIn(api, kind)["enabled"], kind);
        }
        Assert.True((bool?)Named(api.Servers("media"), "media-server-1")["enabled"]);
        Assert.Equal(imBefore, api.State()["im"]!.ToJsonString());

        var again = Ok(PortalHelper.Run(api.Stdin(), "set-defaults-enabled", "--kind", "media", "--enabled", "false"));
        Assert.Equal($"built-in media server {media["name"]} (id {media["id"]}) is disabled already\n", again.Stdout);

        var on = Ok(PortalHelper.Run(api.Stdin(), "set-defaults-enabled", "--kind", "media", "--enabled", "true"));
        Assert.Equal($"enabled built-in media server {media["name"]} (id {media["id"]})\n", on.Stdout);
        Assert.All(new[] { "media", "queue", "meeting", "ivr" }, kind => Assert.True((bool?)BuiltIn(api, kind)["enabled"], kind));
        Assert.Equal(imBefore, api.State()["im"]!.ToJsonString());
    }

    [Fact]
    public void Set_defaults_enabled_names_its_kind_when_it_fails()
    {
        var api = Fake();
        api.Fail(500, "INTERNAL_ERROR", "database is locked", "POST", $"/api/conference_servers/{BuiltIn(api, "meeting")["id"]}");

        var result = Failed(PortalHelper.Run(api.Stdin(), "set-defaults-enabled", "--kind", "meeting", "--enabled", "false"));

        Assert.Equal("set-defaults-enabled false (built-in meeting server) failed: HTTP 500 INTERNAL_ERROR: database is locked\n", result.Stderr);
        Assert.True((bool?)BuiltIn(api, "meeting")["enabled"]);
    }

    [Fact]
    public void Disabling_needs_a_kind()
    {
        var api = Fake();

        var result = Failed(PortalHelper.Run(api.Stdin(), "set-defaults-enabled", "--enabled", "false"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--enabled false needs --kind", result.Stderr);
        Assert.All(new[] { "media", "queue", "meeting", "ivr" }, kind => Assert.True((bool?)BuiltIn(api, kind)["enabled"], kind));
    }

    [Fact]
    public void The_delete_command_of_older_stacks_gives_back_only_the_built_in_servers_of_kinds_without_extended_servers()
    {
        // Versions before --kind stored "set-defaults-enabled --enabled true" as the delete of one step for all kinds;
        // it runs, with this helper, when that step leaves the stack.
        var api = Fake();
        Ok(PortalHelper.Run(api.Stdin(), RegisterMedia));
        foreach (var kind in new[] { "media", "queue", "meeting", "ivr" })
        {
            Ok(PortalHelper.Run(api.Stdin(), "set-defaults-enabled", "--kind", kind, "--enabled", "false"));
        }

        var result = Ok(PortalHelper.Run(api.Stdin(), "set-defaults-enabled", "--enabled", "true"));

        Assert.False((bool?)BuiltIn(api, "media")["enabled"]);
        Assert.Contains("built-in media server left as it is: extended media servers are registered (media-server-1)", result.Stdout);
        Assert.All(new[] { "queue", "meeting", "ivr" }, kind => Assert.True((bool?)BuiltIn(api, kind)["enabled"], kind));
    }

    [Fact]
    public void The_delete_command_of_older_stacks_says_what_was_done_when_it_fails_half_way()
    {
        var api = Fake();
        foreach (var kind in new[] { "media", "queue", "meeting", "ivr" })
        {
            Ok(PortalHelper.Run(api.Stdin(), "set-defaults-enabled", "--kind", kind, "--enabled", "false"));
        }
        api.Fail(500, "INTERNAL_ERROR", "database is locked", "POST", $"/api/conference_servers/{BuiltIn(api, "meeting")["id"]}");

        var result = Failed(PortalHelper.Run(api.Stdin(), "set-defaults-enabled", "--enabled", "true"), progressOnStdout: true);

        Assert.StartsWith("set-defaults-enabled true (built-in servers of the kinds without extended servers) failed: HTTP 500 INTERNAL_ERROR: database is locked;", result.Stderr);
        Assert.Contains("changed before the failure: media Built-in Media Server, queue Built-in Queue Server; not done: meeting, ivr", result.Stderr);
        Assert.False((bool?)BuiltIn(api, "meeting")["enabled"]);
        Assert.False((bool?)BuiltIn(api, "ivr")["enabled"]);
    }

    [Fact]
    public void Whitelist_add_twice_makes_one_ACCEPT_rule_with_a_long_expiry_and_remove_deletes_it()
    {
        var api = Fake();
        api.SeedRules(new JsonObject { ["cidr"] = "192.168.1.25/32", ["target"] = "DENY", ["description"] = "someone else's" });

        var first = Ok(PortalHelper.Run(api.Stdin(), "whitelist-add", "--ip", "192.168.1.25", "--description", "PortSIP IM server"));
        var second = Ok(PortalHelper.Run(api.Stdin(), "whitelist-add", "--ip", "192.168.1.25", "--description", "PortSIP IM server"));

        var rule = Assert.Single(api.Rules(), r => (string?)r["target"] == "ACCEPT");
        Assert.Equal("192.168.1.25/32", (string?)rule["cidr"]);
        Assert.Equal("PortSIP IM server", (string?)rule["description"]);
        Assert.True(DateTimeOffset.Parse((string)rule["expire_at"]!) > DateTimeOffset.UtcNow.AddYears(10));
        Assert.StartsWith($"whitelisted 192.168.1.25/32 (rule id {rule["id"]}", first.Stdout);
        Assert.StartsWith($"adopted whitelist rule 192.168.1.25/32 (id {rule["id"]})", second.Stdout);

        var removed = Ok(PortalHelper.Run(api.Stdin(), "whitelist-remove", "--ip", "192.168.1.25"));
        var again = Ok(PortalHelper.Run(api.Stdin(), "whitelist-remove", "--ip", "192.168.1.25"));

        Assert.Equal($"removed whitelist rule 192.168.1.25/32 (id {rule["id"]})\n", removed.Stdout);
        Assert.Equal("192.168.1.25/32 was not whitelisted; nothing to do\n", again.Stdout);
        Assert.Equal("DENY", (string?)Assert.Single(api.Rules())["target"]);
    }

    [Fact]
    public void Im_token_prints_only_the_token_and_regenerates_only_when_asked()
    {
        var api = Fake();

        var first = Ok(PortalHelper.Run(api.Stdin(), "im-token"));
        var token = (string?)api.State()["im_token"];
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal(token, first.Stdout);
        Assert.Equal("", first.Stderr);

        Assert.Equal(token, Ok(PortalHelper.Run(api.Stdin(), "im-token")).Stdout);

        var regenerated = Ok(PortalHelper.Run(api.Stdin(), "im-token", "--regenerate")).Stdout;
        Assert.NotEqual(token, regenerated);
        Assert.Equal((string?)api.State()["im_token"], regenerated);

        var sbc = Ok(PortalHelper.Run(api.Stdin(), "sbc-token")).Stdout;
        Assert.Equal((string?)api.State()["sbc_token"], sbc);
        Assert.Equal(regenerated, (string?)api.State()["im_token"]);
    }

    [Fact]
    public void Wait_online_returns_once_the_server_is_ONLINE()
    {
        var api = Fake("--online-after", "2");
        Ok(PortalHelper.Run(api.Stdin(), RegisterMedia));

        var clock = Stopwatch.StartNew();
        var result = Ok(PortalHelper.Run(api.Stdin(), "wait-online", "--kind", "media", "--name", "media-server-1", "--timeout", "15", "--interval", "0.3"));

        Assert.InRange(clock.Elapsed.TotalSeconds, 1.0, 10.0);
        Assert.StartsWith("media server media-server-1 (id ", result.Stdout);
        Assert.EndsWith(") is ONLINE\n", result.Stdout);
    }

    [Fact]
    public void Wait_online_times_out_naming_the_server_and_its_last_status()
    {
        var api = Fake("--never-online");
        Ok(PortalHelper.Run(api.Stdin(), "register", "--kind", "ivr", "--name", "ivr-server-1", "--private-ip", "192.168.1.24"));

        var clock = Stopwatch.StartNew();
        var result = Failed(PortalHelper.Run(api.Stdin(), "wait-online", "--kind", "ivr", "--name", "ivr-server-1", "--timeout", "2", "--interval", "0.5"));

        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 10.0);
        Assert.Equal("ivr server ivr-server-1 is not ONLINE after 2s; last status: OFFLINE\n", result.Stderr);
    }

    [Fact]
    public void A_wrong_password_is_reported_as_refused_admin_credentials()
    {
        var api = Fake();

        var result = Failed(PortalHelper.Run(api.Stdin(password: "not-the-password"), RegisterMedia));

        Assert.StartsWith("register media server media-server-1 failed: the PortSIP API refused the admin credentials (HTTP 401 UNAUTHORIZED", result.Stderr);
        Assert.Single(api.Servers("media"));
    }

    [Fact]
    public void VALIDATE_FAILED_is_quoted_with_its_code_and_message()
    {
        var api = Fake();
        api.Fail(400, "VALIDATE_FAILED", "name already exists", "POST", "/api/media_servers");

        var injected = Failed(PortalHelper.Run(api.Stdin(), RegisterMedia));
        var tooLong = Failed(PortalHelper.Run(api.Stdin(), "register", "--kind", "queue", "--name", new string('q', 65), "--private-ip", "192.168.1.22"));

        Assert.Equal("register media server media-server-1 failed: HTTP 400 VALIDATE_FAILED: name already exists; nothing was created\n", injected.Stderr);
        Assert.Contains("failed: HTTP 400 VALIDATE_FAILED: name must be 1 to 64 characters long; nothing was created", tooLong.Stderr);
        Assert.Single(api.Servers("media"));
    }

    [Fact]
    public void An_API_that_is_down_is_reported_as_unreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var url = $"http://127.0.0.1:{port}/api";

        var result = Failed(PortalHelper.Run(
            PortalCommands.ApiStdin(new PortalSettings(url, "admin", true, 900, AllowHttp: true), FakePortsipApi.AdminPassword), RegisterMedia));

        Assert.StartsWith($"register media server media-server-1 failed: PortSIP API at {url} is unreachable: ", result.Stderr);
    }

    [Fact]
    public void Falls_back_to_the_OAuth_token_endpoint_when_the_JSON_login_gives_no_token()
    {
        var api = Fake("--json-login-without-token");

        Ok(PortalHelper.Run(api.Stdin(), RegisterMedia));

        Assert.Contains("POST /api/login/oauth/token", api.Requests());
        Named(api.Servers("media"), "media-server-1");
    }

    [Fact]
    public void No_secret_appears_in_the_output_or_on_the_command_line()
    {
        var api = Fake("--never-online");
        var password = FakePortsipApi.AdminPassword;
        // An API error that echoes the password back must not carry it to the log either.
        api.Fail(400, "VALIDATE_FAILED", $"password {password} is weak", "POST", "/api/ip_filters");
        var runs = new List<HelperResult>
        {
            PortalHelper.Run(api.Stdin(), RegisterMedia),
            PortalHelper.Run(api.Stdin(), "set-defaults-enabled", "--kind", "ivr", "--enabled", "false"),
            PortalHelper.Run(api.Stdin(), "whitelist-add", "--ip", "192.168.1.25", "--description", "IM"),
            PortalHelper.Run(api.Stdin(), "whitelist-add", "--ip", "192.168.1.25", "--description", "IM"),
            PortalHelper.Run(api.Stdin(password: password + "x"), "im-token"),
        };
        var cmdline = "";
        runs.Add(PortalHelper.Run(api.Stdin(), ["wait-online", "--kind", "media", "--name", "media-server-1", "--timeout", "1", "--interval", "0.2"],
            pid =>
            {
                var proc = $"/proc/{pid}/cmdline";
                cmdline = File.Exists(proc) ? File.ReadAllText(proc).Replace('\0', ' ') : "";
            }));
        Assert.Contains("wait-online", cmdline);
        Assert.Contains("***", runs[2].Stderr);

        var accessTokens = api.State()["access_tokens"]!.AsArray().Select(t => (string)t!).ToArray();
        Assert.NotEmpty(accessTokens);
        foreach (var run in runs)
        {
            foreach (var secret in accessTokens.Append(password))
            {
                Assert.DoesNotContain(secret, run.Stdout);
                Assert.DoesNotContain(secret, run.Stderr);
                Assert.DoesNotContain(run.Argv, a => a.Contains(secret));
            }
        }
        Assert.DoesNotContain(password, cmdline);
    }

    [Fact]
    public void Unregister_with_an_address_leaves_a_server_of_that_name_at_another_address()
    {
        var api = Fake();
        var home = Directory.CreateTempSubdirectory("portsip-home-");
        try
        {
            Directory.CreateDirectory(Path.Combine(home.FullName, ".portsip-infra"));
            File.Copy(PortalHelper.Script, Path.Combine(home.FullName, ".portsip-infra", "portsip_api.py"));
            var env = new Dictionary<string, string> { ["HOME"] = home.FullName };
            var server = new ExtendedServerSettings(ServerRole.Queue, "queue-server-1", "192.168.1.22");
            Ok(PortalHelper.RunBash(PortalCommands.Register(server, enabled: true), api.Stdin(), env));

            var other = PortalHelper.RunBash(PortalCommands.Unregister(ServerRole.Queue, "queue-server-1", "192.168.1.42"), api.Stdin(), env);
            Ok(other);
            Assert.Contains("left as it is: the portal shows it at 192.168.1.22, not 192.168.1.42", other.Stdout);
            Assert.Single(api.Servers("queue"), s => (string?)s["name"] == "queue-server-1");

            var own = PortalHelper.RunBash(PortalCommands.Unregister(ServerRole.Queue, "queue-server-1", "192.168.1.22"), api.Stdin(), env);
            Ok(own);
            Assert.StartsWith("unregistered queue server queue-server-1", own.Stdout);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_rendered_commands_run_the_uploaded_helper_through_the_shell()
    {
        var api = Fake();
        var home = Directory.CreateTempSubdirectory("portsip-home-");
        try
        {
            Directory.CreateDirectory(Path.Combine(home.FullName, ".portsip-infra"));
            File.Copy(PortalHelper.Script, Path.Combine(home.FullName, ".portsip-infra", "portsip_api.py"));
            var env = new Dictionary<string, string> { ["HOME"] = home.FullName };
            var server = new ExtendedServerSettings(ServerRole.Meeting, "meeting server 'one'", "192.168.1.23");

            var registered = PortalHelper.RunBash(PortalCommands.Register(server, enabled: true), api.Stdin(), env);
            var whitelisted = PortalHelper.RunBash(PortalCommands.WhitelistAdd("192.168.1.25", "IM server; don't remove"), api.Stdin(), env);
            var disabled = PortalHelper.RunBash(PortalCommands.SetDefaultsEnabled(ServerRole.Meeting, enabled: false), api.Stdin(), env);
            var token = PortalHelper.RunBash(PortalCommands.ImToken(regenerate: false), api.Stdin(), env);
            var online = PortalHelper.RunBash(PortalCommands.WaitOnline(ServerRole.Meeting, server.Name, 5, 1), api.Stdin(), env);
            var unregistered = PortalHelper.RunBash(PortalCommands.Unregister(ServerRole.Meeting, server.Name), api.Stdin(), env);
            var removed = PortalHelper.RunBash(PortalCommands.WhitelistRemove("192.168.1.25"), api.Stdin(), env);

            foreach (var run in new[] { registered, whitelisted, disabled, token, online, unregistered, removed })
            {
                Ok(run);
            }
            Assert.StartsWith("registered meeting server meeting server 'one' (id ", registered.Stdout);
            Assert.Equal((string?)api.State()["im_token"], token.Stdout);
            Assert.StartsWith("unregistered meeting server meeting server 'one'", unregistered.Stdout);
            Assert.Empty(api.Rules());
            Assert.Contains("POST /api/ip_filters", api.Requests());
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
