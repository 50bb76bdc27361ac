using System.Collections.Immutable;
using PortsipInfra.Components;
using PortsipInfra.Tests.OverSsh;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// One stack owns a site (issue #10, item 4): two stacks on one simulated pbx01, a handover, a destroy, and an
/// existing site taking this version, each played as `pulumi up` would play it (see <see cref="StepPlanner"/>).
/// </summary>
[Collection(OverSshCollection.Name)]
public sealed class SiteOwnershipTransitionTests(SimulatedHosts hosts)
{
    private static readonly SiteConfig Guides = SiteConfig.Empty
        .Media("media-server-1", "media1", "203.0.113.21")
        .Queue("queue-server-1", "queue1");

    private const string Project = PulumiRun.Project;

    private static string StackOf(SimulatedSite site) => OwnerScripts.StackName("organization", Project, site.StackName);

    private string Mark() => File.Exists(MarkPath) ? File.ReadAllText(MarkPath) : "";

    private string MarkPath => hosts.Home("pbx01", ".portsip-infra/site-owner");

    private static string MarkOf(SimulatedSite site) => $"id={PulumiRun.SiteId(site.StackName)}\nstack={StackOf(site)}\n";

    /// <summary>The steps that ran a script on pbx01, as "create site-owner".</summary>
    private static string[] Ran(UpResult up) => [.. up.Ran.Where(r => r.Script is not null).Select(r => r.Step.ToString())];

    [SkippableFact]
    public async Task A_second_stack_on_the_same_pbx01_is_refused_naming_both_and_nothing_changes()
    {
        using var first = SimulatedSite.Start(hosts);
        await first.Apply(Guides);
        Assert.Equal(MarkOf(first), Mark());
        var before = first.Snapshot();
        var calls = first.GuideCalls();
        var registered = first.Registered();

        var copy = first.OtherStack("copy");
        var up = await copy.Up(Guides.Ivr("ivr-server-1", "dataflow1"));

        Assert.Equal("create site-owner", up.Failed?.Step.ToString());
        Assert.Equal(["create site-owner"], Ran(up));
        Assert.Contains($"{StackOf(copy)} (site id {PulumiRun.SiteId("copy")}): refused, nothing was changed: pbx01 belongs to stack "
            + $"{StackOf(first)} (site id {PulumiRun.SiteId("test")})", up.FailureMessage);
        Assert.Empty(first.TouchedSince(before));
        Assert.Equal(calls, first.GuideCalls());
        Assert.Equal(registered, first.Registered());
        Assert.Equal(MarkOf(first), Mark());

        // The owner goes on as before.
        Assert.Empty((await first.Apply(Guides)).Changes);
        first.AssertIs(Guides);
    }

    [SkippableFact]
    public async Task After_a_handover_the_new_stack_drives_the_site_and_the_old_one_is_refused()
    {
        using var first = SimulatedSite.Start(hosts);
        await first.Apply(Guides);
        var calls = first.GuideCalls();
        var next = first.OtherStack("next");

        // A wrong id takes nothing over.
        var wrong = await next.Up(Guides.With(SiteHandover.Key, PulumiRun.SiteId("elsewhere")));
        Assert.Equal(["create site-owner"], Ran(wrong));
        Assert.Contains($"takeOverSiteFrom is {PulumiRun.SiteId("elsewhere")}, but pbx01 belongs to stack {StackOf(first)} (site id {PulumiRun.SiteId("test")})",
            wrong.FailureMessage);
        Assert.Equal(MarkOf(first), Mark());

        // The right one: the site is adopted as it is, nothing installed again.
        var before = first.Snapshot();
        await next.Apply(Guides.With(SiteHandover.Key, PulumiRun.SiteId("test")));
        Assert.Equal(MarkOf(next), Mark());
        next.AssertIs(Guides);
        Assert.Equal(calls, first.GuideCalls());
        Assert.Empty(first.TouchedSince(before));

        // The key removed again: only the owner step's script changes, and it finds its own mark.
        Assert.Equal(["update site-owner"], (await next.Apply(Guides)).Changes.Where(c => !c.Contains("site-ownership")).ToArray());

        // The new owner adds a server; the old stack is refused at its first step on pbx01, naming both.
        var added = Guides.Ivr("ivr-server-1", "dataflow1");
        await next.Apply(added);
        next.AssertIs(added);
        before = first.Snapshot();
        calls = first.GuideCalls();
        var old = await first.Up(Guides.Meeting("meeting-server-1", "im1"));
        Assert.NotNull(old.Failed);
        Assert.Single(Ran(old));
        Assert.Contains($"{StackOf(first)} (site id {PulumiRun.SiteId("test")}): refused, nothing was changed: pbx01 belongs to stack {StackOf(next)} (site id {PulumiRun.SiteId("next")})",
            old.FailureMessage);
        Assert.Empty(first.TouchedSince(before));
        Assert.Equal(calls, first.GuideCalls());
        next.AssertIs(added);
    }

    [SkippableFact]
    public async Task Destroy_removes_everything_then_the_mark_last()
    {
        using var site = SimulatedSite.Start(hosts);
        await site.Apply(Guides);

        var destroy = site.Destroy();

        Assert.Null(destroy.Failed);
        Assert.Equal("delete site-owner", Ran(destroy)[^1]);
        Assert.False(File.Exists(MarkPath));
        site.AssertIs(SiteConfig.Empty);
        Assert.Empty(site.State.Resources);

        // Another stack may now take the site from scratch.
        using var other = site.OtherStack("other");
        await other.Apply(Guides);
        Assert.Equal(MarkOf(other), Mark());
    }

    [SkippableFact]
    public async Task An_existing_site_takes_this_version_without_installing_upgrading_or_removing_anything()
    {
        using var site = SimulatedSite.Start(hosts);
        var config = Guides.Im("im1");
        await site.Apply(config);
        // The state and pbx01 as the previous version of the program left them: no owner, no check in any script.
        AsPreviousVersion(site.State);
        File.Delete(MarkPath);
        var before = site.Snapshot();
        var calls = site.GuideCalls();
        var registered = site.Registered();
        var portal = site.Portal.State();

        var up = await site.Apply(config);

        Assert.Equal(MarkOf(site), Mark());
        Assert.Empty(site.TouchedSince(before));
        Assert.Equal(calls, site.GuideCalls());
        Assert.Equal(registered, site.Registered());
        var after = site.Portal.State();
        Assert.Equal(PortalRecords(portal), PortalRecords(after));
        // Each portal step ran again: it logged in and read, and wrote nothing.
        var requests = after["requests"]!.AsArray().Skip(portal["requests"]!.AsArray().Count).Select(r => r!.ToJsonString()).ToList();
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Matches("^\"(GET |POST /api/(account/)?(login|token))", r));
        site.AssertIs(config);
        // The owner is made first; then every command runs once more, with the check in front (each is idempotent).
        Assert.Equal(["create site-ownership", "create site-id", "create site-owner"], up.Changes.Take(3));
        var commands = site.State.Resources.Where(r => r.Type == "command:remote:Command" && r.Name != SiteOwner.StepName).Select(r => $"update {r.Name}");
        Assert.Equal(commands.Order(), up.Changes.Skip(3).Order());
        Assert.Empty((await site.Apply(config)).Changes);
    }

    /// <summary>The portal's servers, IP rules and tokens (without the log-ins, the request log and the event log).</summary>
    private static string PortalRecords(System.Text.Json.Nodes.JsonObject state)
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(state.ToJsonString())!.AsObject();
        copy.Remove("access_tokens");
        copy.Remove("requests");
        copy.Remove("events");
        return copy.ToJsonString();
    }

    private static void AsPreviousVersion(EngineState state)
    {
        var owner = state.Resources.Where(r => r.Type is "portsip:cluster:SiteOwner" or "random:index/randomUuid:RandomUuid" || r.Name == SiteOwner.StepName).ToList();
        var urns = owner.Select(r => r.Urn).ToHashSet();
        foreach (var r in owner)
        {
            state.Remove(r);
        }
        foreach (var r in state.Resources.ToList())
        {
            var inputs = r.Inputs;
            foreach (var key in new[] { "create", "update", "delete" })
            {
                if (inputs.TryGetValue(key, out var v) && v is string script)
                {
                    inputs = inputs.SetItem(key, OwnerCheck.Without(script));
                }
            }
            state.Put(r with
            {
                Inputs = inputs,
                DependsOn = [.. r.DependsOn.Where(d => !urns.Contains(d))],
                PropertyDependencies = r.PropertyDependencies
                    .Select(p => (p.Key, Value: p.Value.Where(d => !urns.Contains(d)).ToImmutableArray()))
                    .Where(p => p.Value.Length > 0)
                    .ToImmutableDictionary(p => p.Key, p => p.Value),
            });
        }
    }
}
