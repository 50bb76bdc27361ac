using System.Text.Json.Nodes;
using PortsipInfra.Tests.Portal;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// A meeting server's <c>maxRooms</c> and <c>maxParticipants</c> (the REST API's <c>max_rooms</c> and
/// <c>max_participants</c>): checked, rendered into its register step, and set in the portal in place.
/// </summary>
public sealed class MeetingServerLimitsTests : IDisposable
{
    private const string Helper = "python3 \"$HOME/.portsip-infra/portsip_api.py\"";

    private static readonly StackConfig Base = new() { Pbx01 = "192.168.1.131", VirtualIp = "192.168.1.130" };

    private static ServerConfig Meeting(int? rooms = null, int? participants = null) => new()
    {
        Name = "meeting-server-1", PrivateIp = "192.168.1.23", MaxRooms = rooms, MaxParticipants = participants,
    };

    private static SiteValidator.Result Validate(ServerConfig meeting) => SiteValidator.Validate(Base with { MeetingServers = [meeting] });

    [Fact]
    public void A_meeting_server_gets_100_rooms_and_1000_participants_unless_set()
    {
        var server = Validate(Meeting()).Topology!.ExtendedServers.Single();
        Assert.Equal((100, 1000), (server.MaxRooms, server.MaxParticipants));
        server = Validate(Meeting(250, 4000)).Topology!.ExtendedServers.Single();
        Assert.Equal((250, 4000), (server.MaxRooms, server.MaxParticipants));
    }

    [Fact]
    public void Zero_is_the_APIs_minimum_and_accepted()
    {
        var server = Validate(Meeting(0, 0)).Topology!.ExtendedServers.Single();
        Assert.Equal((0, 0), (server.MaxRooms, server.MaxParticipants));
    }

    [Fact]
    public void Below_zero_is_refused_naming_the_key_and_value()
    {
        Assert.Equal(["meetingServers[0].maxRooms: -1 is not a number of conference rooms, 0 or more (the REST API's max_rooms)",
            "meetingServers[0].maxParticipants: -5 is not a number of conference participants, 0 or more (the REST API's max_participants)"],
            Validate(Meeting(-1, -5)).Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Other_roles_have_no_rooms()
    {
        var site = SiteValidator.Validate(Base with
        {
            QueueServers = [new ServerConfig { Name = "queue-server-1", PrivateIp = "192.168.1.22" }],
            IvrServers = [new ServerConfig { Name = "ivr-server-1", PrivateIp = "192.168.1.24" }],
        }).Topology!;
        Assert.All(site.ExtendedServers, s => Assert.Null(s.MaxRooms));
        Assert.All(site.ExtendedServers, s => Assert.Null(s.MaxParticipants));
        var read = StackConfigReader.Read(new Dictionary<string, string> { ["queueServers"] = """[{"name":"q","privateIp":"192.168.1.22","maxRooms":5}]""" });
        Assert.Equal("queueServers[0].maxRooms: is not a field of a queue server (value 5); the fields are name, privateIp, hostKey, renamedFrom, state, restart, drainTimeoutSeconds",
            Assert.Single(read.ReadErrors).ToString());
    }

    [Theory]
    [InlineData("""[{"name":"m","privateIp":"192.168.1.23","maxRooms":"lots"}]""", "meetingServers[0].maxRooms: 'lots' is not a whole number; give a number of conference rooms, 0 or more (the REST API's max_rooms)")]
    [InlineData("""[{"name":"m","privateIp":"192.168.1.23","maxParticipants":3000000000}]""", "meetingServers[0].maxParticipants: 3000000000 is not a whole number; give a number of conference participants, 0 or more (the REST API's max_participants)")]
    [InlineData("""[{"name":"m","privateIp":"192.168.1.23","maxRoom":5}]""", "meetingServers[0].maxRoom: is not a field of a meeting server (value 5); the fields are name, privateIp, hostKey, renamedFrom, state, restart, drainTimeoutSeconds, maxRooms, maxParticipants; did you mean maxRooms?")]
    public void The_reader_names_the_field(string json, string error)
    {
        var read = StackConfigReader.Read(new Dictionary<string, string> { ["meetingServers"] = json });
        Assert.Equal(error, Assert.Single(read.ReadErrors).ToString());
    }

    [Fact]
    public void The_reader_reads_both_fields()
    {
        var read = StackConfigReader.Read(new Dictionary<string, string> { ["meetingServers"] = """[{"name":"m","privateIp":"192.168.1.23","maxRooms":"20","maxParticipants":200}]""" });
        Assert.Empty(read.ReadErrors);
        Assert.Equal(new ServerConfig { Name = "m", PrivateIp = "192.168.1.23", MaxRooms = 20, MaxParticipants = 200 }, Assert.Single(read.MeetingServers!));
    }

    [Fact]
    public void Register_renders_the_rooms_and_participants_of_a_meeting_server()
    {
        var server = Validate(Meeting(250, 4000)).Topology!.ExtendedServers.Single();
        Assert.Equal($"{Helper} register --kind meeting --name meeting-server-1 --private-ip 192.168.1.23 --max-rooms 250 --max-participants 4000 --enabled true",
            PortalCommands.Register(server, enabled: true));
    }

    [Fact]
    public async Task The_register_step_of_the_guides_site_sends_the_defaults()
    {
        var run = await PulumiRun.Stack(Sites.Prod());
        Assert.Equal($"{Helper} register --kind meeting --name meeting-server-1 --private-ip 192.168.1.23 --max-rooms 100 --max-participants 1000 --enabled true",
            run.Named("meeting-server-1-register").Input("create"));
    }

    [Fact]
    public async Task A_new_maximum_changes_only_the_register_step_and_never_its_triggers()
    {
        var before = await PulumiRun.Stack(Sites.Prod());
        var after = await PulumiRun.Stack(Sites.ProdWith("meetingServers", """[{"name":"meeting-server-1","privateIp":"192.168.1.23","maxRooms":300}]"""));
        var old = before.Declared.ToDictionary(r => r.Urn, r => r.InputsText());
        var changed = after.Declared.Where(r => !old.TryGetValue(r.Urn, out var inputs) || inputs != r.InputsText()).Select(r => r.Name).ToList();
        Assert.Equal(before.Declared.Count, after.Declared.Count);
        // An update in place of the registration: its triggers (what replaces, reinstalls) are the same.
        Assert.Equal(["meeting-server-1-register"], changed);
        Assert.Equal(before.Named("meeting-server-1-register").Inputs["triggers"], after.Named("meeting-server-1-register").Inputs["triggers"]);
        Assert.Contains("--max-rooms 300 --max-participants 1000", after.Named("meeting-server-1-register").Input("create"));
    }

    // The rendered step against the fake PortSIP API

    private readonly List<IDisposable> cleanup = [];

    public void Dispose()
    {
        foreach (var item in cleanup)
        {
            item.Dispose();
        }
    }

    [Fact]
    public void The_meeting_figures_reach_the_portal_and_a_change_updates_the_record_in_place()
    {
        var api = FakePortsipApi.Start();
        cleanup.Add(api);
        var home = Directory.CreateTempSubdirectory("portsip-home-");
        try
        {
            Directory.CreateDirectory(Path.Combine(home.FullName, ".portsip-infra"));
            File.Copy(PortalHelper.Script, Path.Combine(home.FullName, ".portsip-infra", "portsip_api.py"));
            var env = new Dictionary<string, string> { ["HOME"] = home.FullName };
            var server = Validate(Meeting(250, 4000)).Topology!.ExtendedServers.Single();

            var created = PortalHelper.RunBash(PortalCommands.Register(server, enabled: true), api.Stdin(), env);
            Assert.True(created.ExitCode == 0, created.ToString());
            var record = Assert.Single(api.Servers("meeting"), s => (string?)s["name"] == "meeting-server-1");
            var id = (string?)record["id"];
            Assert.Equal(250, (int?)record["max_rooms"]);
            Assert.Equal(4000, (int?)record["max_participants"]);

            var changed = PortalHelper.RunBash(PortalCommands.Register(server with { MaxRooms = 300 }, enabled: true), api.Stdin(), env);
            Assert.True(changed.ExitCode == 0, changed.ToString());
            Assert.Equal($"updated meeting server meeting-server-1 (id {id}): max_rooms 250 -> 300\n", changed.Stdout);
            record = Assert.Single(api.Servers("meeting"), s => (string?)s["name"] == "meeting-server-1");
            Assert.Equal(id, (string?)record["id"]);
            Assert.Equal(300, (int?)record["max_rooms"]);
            Assert.Equal(4000, (int?)record["max_participants"]);
            Assert.Single(api.Requests(), r => r == "POST /api/conference_servers");

            var again = PortalHelper.RunBash(PortalCommands.Register(server with { MaxRooms = 300 }, enabled: true), api.Stdin(), env);
            Assert.StartsWith($"adopted meeting server meeting-server-1 (id {id}); it is registered with these settings already", again.Stdout);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
