using System.Text.Json.Nodes;
using PortsipInfra.Tests.Portal;
using PortsipInfra.Tests.OverSsh;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Scripts;

/// <summary>
/// claim.sh, run in a scratch home with the real REST helper in place and the fake PortSIP API behind it: an address
/// is free for a server only when neither pbx01's records nor the Web Portal show another server or service there.
/// </summary>
public sealed class ClaimScriptTests : IDisposable
{
    private readonly FakePortsipApi portal = FakePortsipApi.Start();
    private readonly ScratchHome home = new();

    public ClaimScriptTests() =>
        home.Write(".portsip-infra/portsip_api.py", File.ReadAllText(PortalHelper.Script));

    public void Dispose()
    {
        home.Dispose();
        portal.Dispose();
    }

    private SshResult ClaimForMediaServer1(string? previous = null) =>
        home.Run(RemoteScript.Claim("media-server-1 (10.0.0.21)", "10.0.0.21", "media-server-only@10.0.0.21", "media-server-1", previous, "media"),
            portal.Stdin());

    private static JsonObject Server(string name, string ip, string ipField = "ipv4") =>
        new() { ["name"] = name, [ipField] = ip };

    [Theory]
    [InlineData("media-server-only@10.0.0.21", "media-server-1", null, true)]            // its own record: free
    [InlineData("media-server-only@10.0.0.21", "media-server-0", "media-server-0", true)] // renamed from that name
    [InlineData("media-server-only@10.0.0.21", "media-server-0", null, false)]           // a rename without renamedFrom
    [InlineData("queue-server-only@10.0.0.21", "media-server-1", null, false)]           // another role there
    [InlineData("media-server-only@10.0.0.22", "media-server-2", null, true)]            // another address
    [InlineData("im", "10.0.0.21", null, false)]                                         // the IM service there
    [InlineData("im", "10.0.0.25", null, true)]                                          // the IM service elsewhere
    public void Claim_refuses_an_address_where_pbx01_records_another_server(string recordKey, string recordValue, string? previous, bool free)
    {
        home.Write($".portsip-infra/installed/{recordKey}", recordValue + "\n");
        var result = ClaimForMediaServer1(previous);
        Assert.True(free == (result.ExitCode == 0), result.ToString());
        if (!free)
        {
            Assert.Contains($"media-server-1 (10.0.0.21): refused, nothing was changed: pbx01's records show {recordValue}", result.Stderr);
            Assert.Contains("set renamedFrom", result.Stderr);
        }
    }

    // pbx01 rebuilt, or a site built by hand: no records, but the portal still knows who is where.
    [Theory]
    [InlineData("media", "media-server-1", null, true)]             // itself (adopted, or a re-run)
    [InlineData("media", "media-server-0", "media-server-0", true)] // the name it is renamed from
    [InlineData("media", "media-server-2", null, false)]            // another media server: a swap or a reuse
    [InlineData("queue", "media-server-1", null, false)]            // the same name, but as a queue server
    [InlineData("meeting", "meeting-server-1", null, false)]
    public void With_no_records_the_claim_refuses_an_address_the_portal_gives_another_server(string kind, string name, string? previous, bool free)
    {
        portal.Seed(kind, Server(name, "10.0.0.21", kind == "media" ? "private_ipv4" : "ipv4"));
        var result = ClaimForMediaServer1(previous);
        Assert.True(free == (result.ExitCode == 0), result.ToString());
        if (!free)
        {
            Assert.Contains($"refused, nothing was changed: the Web Portal shows {name} ({kind} server) at 10.0.0.21", result.Stderr);
        }
    }

    [Fact]
    public void The_portals_built_in_servers_and_servers_elsewhere_do_not_hold_the_address()
    {
        portal.Seed("media", new JsonObject { ["name"] = "default", ["private_ipv4"] = "10.0.0.21", ["type"] = "INTERNAL" });
        portal.Seed("queue", Server("queue-server-1", "10.0.0.22"));
        var result = ClaimForMediaServer1();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("10.0.0.21 is free for it (pbx01's records and the Web Portal show no other server there)", result.Stdout);
    }

    [Fact]
    public void The_IM_server_configured_at_the_address_holds_it_for_everything_but_the_IM_service()
    {
        portal.SeedIm("10.0.0.21");
        var media = ClaimForMediaServer1();
        Assert.Equal(1, media.ExitCode);
        Assert.Contains("the Web Portal shows the IM server at 10.0.0.21", media.Stderr);

        var im = home.Run(RemoteScript.Claim("IM service (10.0.0.21)", "10.0.0.21", "im", "10.0.0.21", null, "im"), portal.Stdin());
        Assert.True(im.ExitCode == 0, im.ToString());
    }

    [Fact]
    public void Both_what_pbx01_records_and_what_the_portal_shows_are_named()
    {
        home.Write(".portsip-infra/installed/queue-server-only@10.0.0.21", "queue-server-1\n");
        portal.Seed("ivr", Server("ivr-server-1", "10.0.0.21"));
        var result = ClaimForMediaServer1();
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pbx01's records show queue-server-1 (queue-server-only) installed at 10.0.0.21; the Web Portal shows ivr-server-1 (ivr server) at 10.0.0.21.", result.Stderr);
    }

    [Fact]
    public void An_unreachable_portal_refuses_the_claim_rather_than_guess()
    {
        var stdin = portal.Stdin();
        portal.Dispose();
        var result = home.Run(RemoteScript.Claim("media-server-1 (10.0.0.21)", "10.0.0.21", "media-server-only@10.0.0.21", "media-server-1", null, "media"), stdin);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("could not ask the Web Portal what is registered at 10.0.0.21", result.Stderr);
    }

    [Fact]
    public void Without_the_helper_on_pbx01_the_claim_refuses()
    {
        File.Delete(home.File(".portsip-infra/portsip_api.py"));
        var result = ClaimForMediaServer1();
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the REST helper is not on pbx01", result.Stderr);
    }
}
