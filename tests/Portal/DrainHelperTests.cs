using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace PortsipInfra.Tests.Portal;

/// <summary>
/// The REST helper's <c>drain</c> and <c>enable</c> (infra/Scripts/remote/portsip_api.py) against the fake PortSIP API,
/// with session figures that fall to zero, that never fall, and the API down. The lines are the ones the stack renders
/// (<see cref="DrainCommands"/>), run with bash as on pbx01.
/// </summary>
public sealed class DrainHelperTests : IDisposable
{
    private readonly List<IDisposable> cleanup = [];

    public void Dispose()
    {
        foreach (var item in cleanup)
        {
            item.Dispose();
        }
    }

    private FakePortsipApi Fake()
    {
        var fake = FakePortsipApi.Start();
        cleanup.Add(fake);
        return fake;
    }

    private static FakePortsipApi WithMedia(FakePortsipApi api, string name = "media-server-1", string ip = "192.168.1.21")
    {
        api.Seed("media", new JsonObject { ["name"] = name, ["private_ipv4"] = ip, ["public_ipv4"] = "104.101.137.60" });
        return api;
    }

    /// <summary>The rendered line, with the helper's path pointed at this repository's copy, run with bash.</summary>
    private static HelperResult Run(FakePortsipApi api, string line) =>
        PortalHelper.RunBash(line.Replace($"\"{PortalCommands.HelperPath}\"", $"\"{PortalHelper.Script}\"", StringComparison.Ordinal),
            api.Stdin(), new Dictionary<string, string>());

    private static string Drain(int timeout, DrainTimeoutAction action, ServerRole role = ServerRole.Media, string name = "media-server-1",
        string? ip = "192.168.1.21") => DrainCommands.Drain(role, name, timeout, action, ip);

    private static JsonObject Server(FakePortsipApi api, string kind, string name) => Assert.Single(api.Servers(kind), s => (string?)s["name"] == name);

    [Fact]
    public void Sessions_that_fall_to_zero_are_awaited_with_progress_then_the_drain_succeeds()
    {
        var api = WithMedia(Fake());
        api.Sessions("media", "media-server-1", 12, 5, 0);

        var result = Run(api, Drain(600, DrainTimeoutAction.Fail));

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.StartsWith("media-server-1: disabled in the Web Portal (id ", lines[0]);
        Assert.Matches(@"^media-server-1: 12 sessions left, \d+ s left$", lines[1]);
        Assert.Matches(@"^media-server-1: 5 sessions left, \d+ s left$", lines[2]);
        Assert.Equal("media-server-1: 0 sessions left; drained", lines[3]);
        Assert.Equal(4, lines.Length);
        Assert.False((bool?)Server(api, "media", "media-server-1")["enabled"]);
        // Disabled first, so that new sessions go elsewhere, then the figure read until it is 0.
        Assert.Equal(
        [
            "update media media-server-1 enabled=false deployed=?",
            "status media media-server-1 current_concurrency=12 deployed=?",
            "status media media-server-1 current_concurrency=5 deployed=?",
            "status media media-server-1 current_concurrency=0 deployed=?",
        ], api.Events());
    }

    [Fact]
    public void Sessions_that_never_end_fail_at_the_timeout_naming_the_server_and_its_open_sessions()
    {
        var api = WithMedia(Fake());
        api.Sessions("media", "media-server-1", 7);

        var result = Run(api, Drain(1, DrainTimeoutAction.Fail));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("media-server-1: 7 sessions still open after 1 s of draining; stopped, nothing removed or restarted "
            + "(drainTimeoutAction: fail). The server stays disabled; wait for the calls to end, or raise drainTimeoutSeconds, then run again\n",
            result.Stderr);
        Assert.Contains("media-server-1: 7 sessions left, ", result.Stdout);
        Assert.False((bool?)Server(api, "media", "media-server-1")["enabled"]);
    }

    [Fact]
    public void Sessions_that_never_end_are_cut_with_a_warning_when_the_action_is_proceed()
    {
        var api = WithMedia(Fake());
        api.Sessions("media", "media-server-1", 7);

        var result = Run(api, Drain(1, DrainTimeoutAction.Proceed));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("warning: media-server-1: 7 sessions still open after 1 s of draining; going on (drainTimeoutAction: proceed): they are cut\n",
            result.Stderr);
    }

    [Fact]
    public void The_API_down_fails_the_drain_with_a_clear_message_whatever_the_action()
    {
        var api = WithMedia(Fake());
        api.Down();

        var result = Run(api, Drain(600, DrainTimeoutAction.Proceed));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"drain media server media-server-1 failed: PortSIP API at {api.ApiUrl} is unreachable: Remote end closed connection without response\n",
            result.Stderr);
        Assert.Equal("", result.Stdout);
        api.Down(false);
        Assert.True((bool?)Server(api, "media", "media-server-1")["enabled"]);
    }

    [Fact]
    public void No_API_listening_fails_the_drain_naming_the_refused_connection()
    {
        var api = Fake();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var stdin = api.Stdin().Replace($":{api.Port}/", $":{port}/", StringComparison.Ordinal);

        var result = PortalHelper.Run(stdin, "drain", "--kind", "media", "--name", "media-server-1", "--timeout", "600");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"drain media server media-server-1 failed: PortSIP API at http://127.0.0.1:{port}/api is unreachable: connection refused\n", result.Stderr);
    }

    [Fact]
    public void A_server_the_portal_no_longer_lists_has_nothing_to_drain()
    {
        var api = Fake();

        var result = Run(api, Drain(600, DrainTimeoutAction.Fail));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("media-server-1: no media server of that name is registered; nothing to drain\n", result.Stdout);
        Assert.DoesNotContain(api.Requests(), r => r.StartsWith("POST /api/media_servers/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_server_of_that_name_at_another_address_is_another_server_and_left_as_it_is()
    {
        var api = WithMedia(Fake(), ip: "192.168.1.99");
        api.Sessions("media", "media-server-1", 9);

        var result = Run(api, Drain(600, DrainTimeoutAction.Fail));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("media-server-1: the portal shows it at 192.168.1.99, not 192.168.1.21, so it is another server now; left as it is\n", result.Stdout);
        Assert.True((bool?)Server(api, "media", "media-server-1")["enabled"]);
    }

    [Fact]
    public void A_meeting_server_is_drained_on_its_participants()
    {
        var api = Fake();
        api.Seed("meeting", new JsonObject { ["name"] = "meeting-server-1", ["ipv4"] = "192.168.1.23", ["max_rooms"] = 100, ["max_participants"] = 1000 });
        api.Sessions("meeting", "meeting-server-1", 3, 0);

        var result = Run(api, Drain(600, DrainTimeoutAction.Fail, ServerRole.Meeting, "meeting-server-1", "192.168.1.23"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("meeting-server-1: 3 participants left, ", result.Stdout);
        Assert.EndsWith("meeting-server-1: 0 participants left; drained\n", result.Stdout);
    }

    [Theory]
    [InlineData(ServerRole.Queue, "queue")]
    [InlineData(ServerRole.Ivr, "ivr")]
    public void Queue_and_IVR_servers_report_no_figure_so_they_are_disabled_and_not_waited_for(ServerRole role, string kind)
    {
        var api = Fake();
        api.Seed(kind, new JsonObject { ["name"] = $"{kind}-server-1", ["ipv4"] = "192.168.1.22" });

        var result = Run(api, Drain(600, DrainTimeoutAction.Fail, role, $"{kind}-server-1", "192.168.1.22"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith($"{kind}-server-1: the API reports no session figure for {kind} servers; not waited for\n", result.Stdout);
        Assert.False((bool?)Server(api, kind, $"{kind}-server-1")["enabled"]);
        Assert.DoesNotContain(api.Requests(), r => r.EndsWith("/status", StringComparison.Ordinal));
    }

    [Fact]
    public void Enable_turns_a_drained_server_on_again_and_is_idempotent()
    {
        var api = WithMedia(Fake());
        Assert.Equal(0, Run(api, Drain(600, DrainTimeoutAction.Fail)).ExitCode);

        var first = Run(api, DrainCommands.Enable(ServerRole.Media, "media-server-1", "192.168.1.21"));
        var second = Run(api, DrainCommands.Enable(ServerRole.Media, "media-server-1", "192.168.1.21"));

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.StartsWith("media-server-1: enabled in the Web Portal (id ", first.Stdout);
        Assert.Equal("media-server-1: enabled in the Web Portal already\n", second.Stdout);
        Assert.True((bool?)Server(api, "media", "media-server-1")["enabled"]);
    }

    [Fact]
    public void The_built_in_server_is_never_drained()
    {
        var api = Fake();

        var result = Run(api, Drain(600, DrainTimeoutAction.Fail, name: "Built-in Media Server", ip: null));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is the built-in INTERNAL media server", result.Stderr);
    }
}
