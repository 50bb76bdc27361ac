using System.Text.Json.Nodes;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>
/// Changing one server in the config changes only that server's resources: comparing two runs of the program
/// (URN and inputs of every resource) shows what `pulumi up` would plan.
/// </summary>
public class ScalingTests
{
    private sealed record Plan(string[] Created, string[] Deleted, string[] Changed);

    private static async Task<Plan> Compare(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        var old = (await PulumiRun.Stack(before)).Declared.ToDictionary(r => r.Urn, r => r.InputsText());
        var @new = (await PulumiRun.Stack(after)).Declared.ToDictionary(r => r.Urn, r => r.InputsText());
        static string Name(string urn) => urn[(urn.LastIndexOf("::", StringComparison.Ordinal) + 2)..];
        return new Plan(
            @new.Keys.Except(old.Keys).Select(Name).Order().ToArray(),
            old.Keys.Except(@new.Keys).Select(Name).Order().ToArray(),
            @new.Keys.Intersect(old.Keys).Where(k => old[k] != @new[k]).Select(Name).Order().ToArray());
    }

    /// <summary>What one extended server is made of: its component and its steps.</summary>
    private static string[] ExtendedServer(string name) =>
        [name, $"{name}-claim", $"{name}-install", $"{name}-online", $"{name}-preflight", $"{name}-register", $"{name}-restart", $"{name}-state", $"{name}-trust"];

    private static Dictionary<string, string> ProdEditing(string key, Action<JsonNode> edit)
    {
        var config = Sites.Prod();
        var node = JsonNode.Parse(config[Sites.P + key])!;
        edit(node);
        config[Sites.P + key] = node.ToJsonString();
        return config;
    }

    [Fact]
    public async Task Adding_a_media_server_creates_only_that_server()
    {
        var after = ProdEditing("mediaServers", list => list.AsArray().Add(JsonNode.Parse(
            """{"name":"media-server-2","privateIp":"192.168.1.27","publicIp":"104.101.137.61","maxSessions":3000}""")));
        var plan = await Compare(Sites.Prod(), after);
        Assert.Equal(ExtendedServer("media-server-2"), plan.Created);
        Assert.Empty(plan.Deleted);
        Assert.Empty(plan.Changed);
    }

    [Fact]
    public async Task Removing_the_IVR_server_deletes_only_that_server_and_its_role_upgrade()
    {
        var plan = await Compare(Sites.Prod(), Sites.ProdWithout("ivrServers"));
        Assert.Empty(plan.Created);
        // With no IVR server left, there is nothing for `extend.sh upgrade -s ivr-server-only` to upgrade, and the
        // built-in IVR server is enabled again.
        Assert.Equal(["ivr-default-server", .. ExtendedServer("ivr-server-1"), "ivr-servers-upgrade"], plan.Deleted);
        Assert.Empty(plan.Changed);
    }

    [Fact]
    public async Task Removing_one_of_two_IVR_servers_deletes_only_that_server()
    {
        var two = ProdEditing("ivrServers", list => list.AsArray().Add(JsonNode.Parse("""{"name":"ivr-server-2","privateIp":"192.168.1.28"}""")));
        var plan = await Compare(two, Sites.Prod());
        Assert.Empty(plan.Created);
        Assert.Equal(ExtendedServer("ivr-server-2"), plan.Deleted);
        Assert.Empty(plan.Changed);
    }

    [Fact]
    public async Task Renaming_a_queue_server_replaces_only_that_server()
    {
        var after = ProdEditing("queueServers", list => list[0]!["name"] = "queue-server-9");
        var plan = await Compare(Sites.Prod(), after);
        Assert.Equal(ExtendedServer("queue-server-9"), plan.Created);
        Assert.Equal(ExtendedServer("queue-server-1"), plan.Deleted);
        Assert.Empty(plan.Changed);
    }

    [Fact]
    public async Task Re_addressing_a_meeting_server_replaces_it_old_one_removed_first()
    {
        var before = await PulumiRun.Stack(Sites.Prod());
        var after = await PulumiRun.Stack(ProdEditing("meetingServers", list => list[0]!["privateIp"] = "192.168.1.33"));
        var plan = await Compare(Sites.Prod(), ProdEditing("meetingServers", list => list[0]!["privateIp"] = "192.168.1.33"));
        Assert.Equal(ExtendedServer("meeting-server-1")[1..], plan.Changed);
        // (ResourceOptionsTests checks that every install replaces on a change of triggers, deleting the old one first.)
        Assert.NotEqual(before.Named("meeting-server-1-install").Inputs["triggers"], after.Named("meeting-server-1-install").Inputs["triggers"]);
    }

    [Fact]
    public async Task Changing_a_media_servers_max_sessions_touches_nothing_else()
    {
        var after = ProdEditing("mediaServers", list => list[0]!["maxSessions"] = 4000);
        var plan = await Compare(Sites.Prod(), after);
        Assert.Empty(plan.Created);
        Assert.Empty(plan.Deleted);
        // Only its registration in the Web Portal, updated in place.
        Assert.Equal(["media-server-1-register"], plan.Changed);
    }

    [Fact]
    public async Task Adding_an_SBC_server_creates_only_that_server()
    {
        var after = ProdEditing("sbc", sbc => sbc["servers"]!.AsArray().Add(JsonNode.Parse(
            """{"name":"sbc4","privateIp":"192.168.1.14","publicIp":"72.247.113.14"}""")));
        var plan = await Compare(Sites.Prod(), after);
        Assert.Equal(["sbc4", "sbc4-claim", "sbc4-install", "sbc4-preflight", "sbc4-restart", "sbc4-state", "sbc4-trust"], plan.Created);
        Assert.Empty(plan.Deleted);
        Assert.Empty(plan.Changed);
    }

    [Fact]
    public async Task A_new_PBX_image_upgrades_the_cluster_every_role_and_the_services_and_recreates_Data_Flow()
    {
        var plan = await Compare(Sites.Prod(), Sites.ProdWith("pbxImage", "portsip/pbx:22.4"));
        Assert.Empty(plan.Created);
        Assert.Empty(plan.Deleted);
        Assert.Equal(
        [
            "dataflow-install", "dataflow-restart", "dataflow-state", "im-install", "im-token", "ivr-servers-upgrade", "media-servers-upgrade", "meeting-servers-upgrade",
            "pbx-ha-upgrade", "queue-servers-upgrade",
        ], plan.Changed);
    }

    [Fact]
    public async Task Rotating_the_IM_token_makes_a_new_token_and_upgrades_the_IM_service_with_it()
    {
        var after = ProdEditing("im", im => im["tokenRotation"] = 1);
        var plan = await Compare(Sites.Prod(), after);
        Assert.Equal(["im-install", "im-token"], plan.Changed);
        Assert.Empty(plan.Created);
        Assert.Empty(plan.Deleted);
    }

    [Fact]
    public async Task A_new_Data_Flow_token_recreates_the_Data_Flow_service()
    {
        var before = await PulumiRun.Stack(Sites.Prod());
        var after = await PulumiRun.Stack(ProdEditing("dataFlow", df => df["tokenRotation"] = 1));
        Assert.NotEqual(before.Named("dataflow-install").Inputs["triggers"], after.Named("dataflow-install").Inputs["triggers"]);
        var plan = await Compare(Sites.Prod(), ProdEditing("dataFlow", df => df["tokenRotation"] = 1));
        Assert.Equal(["dataflow-install", "dataflow-restart", "dataflow-state"], plan.Changed); // the run state follows the recreated service
    }

    [Fact]
    public async Task Turning_on_the_SBC_certificate_manager_upgrades_each_SBC_server_with_c()
    {
        var after = ProdEditing("sbc", sbc => sbc["certificateManager"] = true);
        var plan = await Compare(Sites.Prod(), after);
        Assert.Equal(["sbc1-install", "sbc2-install", "sbc3-install"], plan.Changed);
        var run = await PulumiRun.Stack(after);
        var update = ScriptText.Parse(run.Named("sbc1-install").Input("update")!);
        Assert.EndsWith("/bin/bash sbc.sh upgrade -a 192.168.1.11 -i portsip/sbc:11 -c", update["guide_command"]);
        Assert.Equal("portsip/sbc:11 with Certificate Manager", update["version"]);
    }

    [Fact]
    public async Task A_new_SBC_image_upgrades_each_SBC_server_and_nothing_else()
    {
        var after = ProdEditing("sbc", sbc => sbc["image"] = "portsip/sbc:12");
        var plan = await Compare(Sites.Prod(), after);
        Assert.Equal(["sbc1-install", "sbc2-install", "sbc3-install"], plan.Changed);
        Assert.Empty(plan.Created);
        Assert.Empty(plan.Deleted);
    }
}
