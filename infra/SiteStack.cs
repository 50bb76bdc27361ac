using System.Collections.Immutable;
using Pulumi;
using PortsipInfra.Components;

namespace PortsipInfra;

/// <summary>
/// The stack: reads and validates the site's config once, then declares the site from the validated model.
/// Bad config ends the run here, with every problem listed, before any resource (and so any remote command)
/// exists.
/// </summary>
public sealed class SiteStack : Stack
{
    [Output("inventory")] public Output<ImmutableArray<ImmutableDictionary<string, string>>> Inventory { get; private set; }

    /// <summary>The media servers' call capacity: total, with capacity.redundancy of them down, headroom above the target.</summary>
    [Output("capacity")] public Output<ImmutableDictionary<string, int>> Capacity { get; private set; }

    /// <summary>The PBX Web Portal, on the virtual IP as the guide says (never a node's own address).</summary>
    [Output("portalUrl")] public Output<string> PortalUrl { get; private set; }
    [Output("publicPortalUrl")] public Output<string?> PublicPortalUrl { get; private set; }
    [Output("pbx01")] public Output<string> Pbx01Address { get; private set; }
    [Output("virtualIp")] public Output<string> VirtualIp { get; private set; }
    [Output("pbxImage")] public Output<string> PbxImage { get; private set; }
    [Output("imClientPort")] public Output<int?> ImClientPort { get; private set; }
    [Output("sbcWebPortals")] public Output<ImmutableArray<string>> SbcWebPortals { get; private set; }
    [Output("webRtcClientPort")] public Output<int?> WebRtcClientPort { get; private set; }

    /// <summary>The public half of the stack's own SSH key for pbx01, when <c>deployKey</c> is on.</summary>
    [Output("deployPublicKey")] public Output<string?> DeployPublicKey { get; private set; }

    /// <summary>The SBC token for the SBC's configuration (a secret: `pulumi stack output sbcToken --show-secrets`).</summary>
    [Output("sbcToken")] public Output<string?> SbcToken { get; private set; }

    /// <summary>The stack's site id, written on pbx01 as its owner mark; another stack names it in takeOverSiteFrom to take the site over.</summary>
    [Output("siteId")] public Output<string> SiteId { get; private set; }

    public SiteStack()
    {
        var config = new Config();
        var project = Deployment.Instance.ProjectName;
        var result = SiteValidator.Validate(StackConfigReader.Read(config, project));
        if (result.Topology is not { } site)
        {
            throw new RunException(new ConfigurationException(project, result.Errors).Message);
        }

        if (Deployment.Instance.IsDryRun)
        {
            foreach (var warning in HostKeyWarnings.For(site))
            {
                Log.Warn(warning);
            }
            foreach (var warning in CapacityWarnings.For(site, CapacityPlan.Of(site)).Concat(RunStateMessages.Warnings(site)))
            {
                Log.Warn(warning);
            }
        }
        BeforeUp.Check("Host keys missing for this site", Pbx01HostKeys.Missing(site, Deployment.Instance.StackName), project, Deployment.Instance.IsDryRun);
        var secrets = SiteSecrets.Read(config, site, project, Deployment.Instance.IsDryRun);
        var siteComponent = new Site("site", site, secrets);

        Inventory = siteComponent.Inventory;
        Capacity = siteComponent.Capacity;
        PortalUrl = Output.Create($"https://{site.Pbx.VirtualIp}:8887");
        PublicPortalUrl = Output.Create(site.Pbx.PublicIp is null ? null : $"https://{site.Pbx.PublicIp}:8887");
        Pbx01Address = Output.Create(site.Pbx.Pbx01);
        VirtualIp = Output.Create(site.Pbx.VirtualIp);
        PbxImage = Output.Create(site.Pbx.Image);
        // IM clients need TCP 8887 open in any firewall in front of the IM server (IM guide).
        ImClientPort = Output.Create<int?>(site.Im is null ? null : 8887);
        SbcWebPortals = siteComponent.Sbc?.WebPortals ?? Output.Create(ImmutableArray<string>.Empty);
        WebRtcClientPort = Output.Create<int?>(site.Sbc is null ? null : 10443);
        DeployPublicKey = siteComponent.DeployKey?.PublicKey.Apply(k => (string?)k) ?? Output.Create((string?)null);
        SiteId = siteComponent.Owner.SiteId;
        SbcToken = siteComponent.Sbc is { } sbc ? sbc.Token.Apply(t => (string?)t) : Output.Create((string?)null);
    }
}
