using System.Net;
using System.Text.RegularExpressions;
using PortsipInfra.Ops.Stack;
using PortsipInfra.Ops.Status;

namespace PortsipInfra.Tests.Ops;

/// <summary>
/// The rules of ops status, on the prod site: pbx01's records as the program's own scripts write them, the portal as
/// the stack's Web Portal steps leave it, and each kind of drift.
/// </summary>
public sealed partial class SiteComparisonTests
{
    private static readonly SiteTopology Site = StackFile.Load("prod", Support.StackFile.RepositoryRoot).Site;

    /// <summary>What pbx01 holds after a full `pulumi up`: every record line of the rendered install scripts, run.</summary>
    private static Dictionary<string, string> RecordsWrittenByTheProgram()
    {
        var guide = Site.Pbx.GuideFolder;
        var scripts = new List<string> { ServerScripts.PbxCluster(Site.Pbx).Create };
        scripts.AddRange(Site.ExtendedServers.Select(s => ServerScripts.ExtendedServer(guide, s).Create));
        scripts.AddRange(ServerRoles.All.Select(r => ServerScripts.RoleUpgrade(guide, r, Site.Pbx.Image).Create));
        scripts.Add(ServerScripts.Im(guide, Site.Im!, Site.Pbx.Image).Create);
        scripts.AddRange(Site.Sbc!.Servers.Select(s => ServerScripts.Sbc(guide, s, Site.Sbc).Create));
        scripts.Add(ServerScripts.DataFlow(guide, Site.DataFlow!).Create);
        // Each install or record-version script writes its header's identity to installed/KEY and its version to versions/KEY.
        var records = new Dictionary<string, string>();
        foreach (var header in scripts.Select(s => Support.ScriptText.Parse(s).Values))
        {
            if (header.TryGetValue("identity", out var identity))
            {
                records[$"installed/{header["key"]}"] = identity;
            }
            if (header.TryGetValue("version", out var version) && version.Length > 0)
            {
                records[$"versions/{header["key"]}"] = version;
            }
        }
        return records;
    }


    private static Pbx01Records Records(Dictionary<string, string> written, string varsImage = "portsip/pbx:22") =>
        Pbx01Records.Parse(string.Join("\n", written.Select(kv => $"{kv.Key}\t{kv.Value}"))
            + $"\nvars.yml\tpresent\nvars.pbx_image\t{varsImage}\nvars.virtual_ip\t\"{Site.Pbx.VirtualIp}\"\n");

    private static PortalView Portal(Func<PortalServer, PortalServer?>? change = null, IEnumerable<PortalServer>? extra = null)
    {
        var servers = Site.ExtendedServers.Select((s, i) => new PortalServer(s.Role, $"id{i}", s.Name, s.PrivateIp, s.PublicIp, true, false,
            s.Role == ServerRole.Media ? s.MaxSessions : null, "ONLINE", s.Role == ServerRole.Media ? 12 : null));
        var builtIn = ServerRoles.All.Select(r => new PortalServer(r, $"internal-{r}", $"Built-in {r}", "127.0.0.1", null, false, true, null, "OFFLINE", null));
        return new PortalView(
            [.. servers.Select(s => change is null ? s : change(s)).OfType<PortalServer>(), .. builtIn, .. extra ?? []],
            Site.Im!.PrivateIp, Site.Im.PublicIp,
            [IPNetwork.Parse(Site.Im.PrivateIp + "/32"), IPNetwork.Parse("192.168.1.0/24")]);
    }

    private static SiteStatus Compare(PortalView portal, Pbx01Records records) => SiteComparison.Compare("Pulumi.prod.yaml", Site, portal, records);

    [Fact]
    public void The_records_the_program_writes_and_the_portal_it_leaves_are_in_sync()
    {
        var status = Compare(Portal(), Records(RecordsWrittenByTheProgram()));

        Assert.True(status.InSync, string.Join("\n", status.Items.SelectMany(i => i.Differences)));
        Assert.Equal(1 + Site.ExtendedServers.Length + 1 + Site.Sbc!.Servers.Length + 1, status.Items.Count);
        Assert.Contains("In sync", StatusReport.ToText(status, "https://192.168.1.130:8887/api", Site.Pbx.Pbx01));
    }

    [Fact]
    public void A_server_removed_renamed_stopped_or_disabled_in_the_portal_is_drift()
    {
        var portal = Portal(s => s.Name switch
        {
            "queue-server-1" => null,
            "meeting-server-1" => s with { Name = "meeting-renamed" },
            "ivr-server-1" => s with { Status = "OFFLINE" },
            "media-server-1" => s with { Enabled = false },
            _ => s,
        });

        var status = Compare(portal, Records(RecordsWrittenByTheProgram()));

        Assert.False(status.InSync);
        Assert.Equal(["the portal has no record of it (removed by hand?)"], Differences(status, "queue-server-1"));
        Assert.Equal(["the portal names it 'meeting-renamed', the stack file 'meeting-server-1' (renamed in the portal?)"], Differences(status, "meeting-server-1"));
        Assert.Equal(["OFFLINE in the portal (stopped or down?)"], Differences(status, "ivr-server-1"));
        Assert.Equal(["disabled in the portal"], Differences(status, "media-server-1"));
        Assert.Equal(4, status.DifferenceCount);
    }

    [Fact]
    public void What_the_portal_or_pbx01_has_beyond_the_stack_file_is_drift()
    {
        var records = RecordsWrittenByTheProgram();
        records["installed/ivr-server-only@192.168.1.99"] = "ivr-old";
        records["installed/sbc@192.168.1.19"] = "192.168.1.19";
        records.Remove("installed/sbc@192.168.1.12");
        var extra = new PortalServer(ServerRole.Media, "x", "media-by-hand", "192.168.1.98", null, true, false, 2000, "ONLINE", 0);

        var status = Compare(Portal(extra: [extra]), Records(records));

        Assert.Equal(["the portal has this Media Server, the stack file does not (added by hand? pulumi up leaves it alone)"], Differences(status, "media-by-hand"));
        Assert.Equal(["pbx01 records it installed (ivr-server-only@192.168.1.99), the stack file does not have it"], Differences(status, "ivr-old"));
        Assert.Equal(["pbx01 records an SBC server at 192.168.1.19, the stack file does not have it"], Differences(status, "192.168.1.19"));
        Assert.Equal(["pbx01 has no record of its install (~/.portsip-infra/installed/sbc@192.168.1.12)"], Differences(status, "sbc2"));
    }

    [Fact]
    public void A_different_image_IP_or_IM_configuration_is_drift()
    {
        var records = RecordsWrittenByTheProgram();
        records["versions/extend-queue"] = "portsip/pbx:21";
        var portal = Portal(s => s.Name == "media-server-1" ? s with { Ip = "192.168.1.77", MaxSessions = 2000 } : s) with { ImPublicIp = "1.2.3.4", Accepted = [] };

        var status = Compare(portal, Records(records, varsImage: "portsip/pbx:21"));

        Assert.Equal(
        [
            "res/vars.yml says pbx_image portsip/pbx:21, the stack file pbxImage portsip/pbx:22 (pulumi up upgrades)",
            "pbx01 records the Queue Servers at portsip/pbx:21, the stack file wants portsip/pbx:22",
        ], Differences(status, "PBX HA cluster"));
        Assert.Equal(["the portal has it at 192.168.1.77, the stack file at 192.168.1.21", "the portal allows 2000 sessions, the stack file maxSessions 5000"],
            Differences(status, "media-server-1"));
        Assert.Equal(["the portal's IM server is 192.168.1.25 (public 1.2.3.4), the stack file's 192.168.1.25 (public 104.18.36.110)",
            "no ACCEPT rule for 192.168.1.25 in the portal's IP blacklist page"], Differences(status, "IM service"));
        Assert.Equal(["no ACCEPT rule for 192.168.1.26 in the portal's IP blacklist page"], Differences(status, "Data Flow service"));
    }

    private static IReadOnlyList<string> Differences(SiteStatus status, string name) => status.Items.Single(i => i.Name == name).Differences;
}
