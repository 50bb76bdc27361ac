using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests;

/// <summary>The lab site (Pulumi.dev.yaml): what a new user previews first.</summary>
public class DevSiteTests
{
    [Fact]
    public async Task The_lab_site_declares_its_two_servers_and_the_IM_service_only()
    {
        var run = await PulumiRun.Stack(StackFile.Load("dev").WithSecrets());
        Assert.Equal(
        [
            "im-claim", "im-install", "im-preflight", "im-restart", "im-state", "im-token", "im-trust", "im-whitelist",
            "lab-media-1-claim", "lab-media-1-install", "lab-media-1-online", "lab-media-1-preflight", "lab-media-1-register", "lab-media-1-restart", "lab-media-1-state", "lab-media-1-trust",
            "lab-queue-1-claim", "lab-queue-1-install", "lab-queue-1-online", "lab-queue-1-preflight", "lab-queue-1-register", "lab-queue-1-restart", "lab-queue-1-state", "lab-queue-1-trust",
            "media-default-server", "media-servers-upgrade", "pbx-ha-upgrade", "queue-default-server", "queue-servers-upgrade",
            "site-owner", "web-portal-helper-folder",
        ], run.Commands.Select(c => c.Name).Order().ToArray());
        Assert.Empty(run.OfType("portsip:cluster:SbcCluster"));
        Assert.Empty(run.OfType("portsip:cluster:DataFlowService"));
        Assert.EndsWith("/bin/bash im.sh run -a 10.10.0.25 -A 203.0.113.25 -f /data/im",
            ScriptText.Parse(run.Named("im-install").Input("create")!)["guide_command"]);
        Assert.Null(await PulumiRun.OutputValue(run.Stack.PublicPortalUrl));
    }

    [Fact]
    public async Task The_lab_site_previews_without_any_secret()
    {
        var run = await PulumiRun.Stack(StackFile.Load("dev"), isPreview: true);
        Assert.Equal(31, run.Commands.Count());
        Assert.All(run.Commands, c => Assert.DoesNotContain("privateKey",
            ((System.Collections.Immutable.ImmutableDictionary<string, object>)c.Inputs["connection"]).Keys));
    }
}
