namespace PortsipInfra;

/// <summary>The scripts of one Remote.Command: run on create, on update, and on delete (null: nothing to undo).</summary>
public sealed record RemoteStep(string Create, string Update, string? Delete);

/// <summary>
/// The install, upgrade and remove scripts of each server and service, as their components run them on pbx01:
/// the guides' command lines (<see cref="GuideCommands"/>) wrapped by <see cref="RemoteScript"/>. Pure functions,
/// shared by the components and the tests that run them over SSH.
/// </summary>
public static class ServerScripts
{
    /// <summary>
    /// A Media, Queue, Meeting or IVR server: the update never installs (an upgrade is per role, see
    /// <see cref="RoleUpgrade"/>). <paramref name="adoptFromPortal"/>: a server the Web Portal already shows ONLINE
    /// under its name at its IP is adopted, not installed again (the step then needs the REST helper's stdin).
    /// </summary>
    /// <remarks><paramref name="drain"/> (<see cref="DrainCommands.Drain(ExtendedServerSettings, DrainSettings)"/>): run by the
    /// removal before <c>extend.sh rm</c>, when the server is this step's own (the REST helper's stdin).</remarks>
    public static RemoteStep ExtendedServer(string guide, ExtendedServerSettings server, bool adoptFromPortal = false, string drain = "")
    {
        var what = $"{server.Role.PortalName()} {server.Name} ({server.PrivateIp})";
        var key = $"{server.Role.ScriptFilter()}@{server.PrivateIp}";
        var run = GuideCommands.ExtendRun(guide, server);
        var remove = GuideCommands.ExtendRemove(guide, server.Role, server.PrivateIp);
        // A server built by hand is there when the portal shows it under its name at its IP, ONLINE (the guides
        // name nothing extend.sh leaves on pbx01); the REST helper then needs its connection on stdin.
        var status = adoptFromPortal ? PortalCommands.Status(server.Role, server.Name, server.PrivateIp) : "";
        return new RemoteStep(
            RemoteScript.Install(what, key, server.Name, run, remove, portalStatus: status),
            // A new name, role or IP replaces the server: an update is a new connection, guide folder or script only.
            RemoteScript.Install(what, key, server.Name, run, remove, portalStatus: status, adoptOnly: true),
            RemoteScript.Remove(what, key, server.Name, remove, drain));
    }

    /// <summary>"Upgrading Extended Servers": once per role, when the PBX image changes.</summary>
    public static RemoteStep RoleUpgrade(string guide, ServerRole role, string pbxImage) => new(
        RemoteScript.RecordVersion($"The {role.PortalName()}s", $"extend-{role.Slug()}", pbxImage),
        RemoteScript.Upgrade($"the {role.PortalName()}s", $"extend-{role.Slug()}", pbxImage, GuideCommands.ExtendUpgrade(guide, role),
            SiteFact.Role, VarsFile(guide)),
        null);

    /// <summary>The IM service; a new PBX image or token rotation runs <c>im.sh upgrade</c>.</summary>
    public static RemoteStep Im(string guide, ImSettings im, string pbxImage)
    {
        var what = $"IM service ({im.PrivateIp})";
        var version = $"{pbxImage} (token rotation {im.TokenRotation})";
        return new RemoteStep(
            RemoteScript.Install(what, "im", im.PrivateIp, GuideCommands.ImRun(guide, im), GuideCommands.ImRemove(guide), version),
            RemoteScript.Upgrade("the IM service", "im", version, GuideCommands.ImUpgrade(guide), SiteFact.Recorded),
            RemoteScript.Remove(what, "im", im.PrivateIp, GuideCommands.ImRemove(guide)));
    }

    /// <summary>One SBC server; a new image (or turning the Certificate Manager on) runs <c>sbc.sh upgrade</c> for it.</summary>
    public static RemoteStep Sbc(string guide, SbcServerSettings server, SbcSettings sbc)
    {
        var what = $"SBC server {server.Name} ({server.PrivateIp})";
        var key = $"sbc@{server.PrivateIp}";
        var version = sbc.Image + (sbc.CertificateManager ? " with Certificate Manager" : "");
        return new RemoteStep(
            RemoteScript.Install(what, key, server.PrivateIp, GuideCommands.SbcRun(guide, sbc, server.PrivateIp), GuideCommands.SbcRemove(guide, server.PrivateIp), version),
            RemoteScript.Upgrade(what, key, version, GuideCommands.SbcUpgrade(guide, sbc, server.PrivateIp), SiteFact.Recorded),
            RemoteScript.Remove(what, key, server.PrivateIp, GuideCommands.SbcRemove(guide, server.PrivateIp)));
    }

    /// <summary>The Data Flow service; a new ClickHouse image runs <c>dataflow.sh upgrade</c>.</summary>
    public static RemoteStep DataFlow(string guide, DataFlowSettings df)
    {
        var what = $"Data Flow service ({df.Address})";
        // Without -d the script picks its own ClickHouse image; an upgrade is then only run on request.
        var clickhouse = df.ClickHouseImage ?? "the script's default ClickHouse image";
        return new RemoteStep(
            RemoteScript.Install(what, "dataflow", df.Address, GuideCommands.DataFlowRun(guide, df), GuideCommands.DataFlowRemove(guide), clickhouse),
            RemoteScript.Upgrade(what, "dataflow", clickhouse, GuideCommands.DataFlowUpgrade(guide, df), SiteFact.Recorded),
            RemoteScript.Remove(what, "dataflow", df.Address, GuideCommands.DataFlowRemove(guide)));
    }

    /// <summary>The PBX HA cluster: created as a check that the HA install is there, upgraded with update.sh.</summary>
    public static RemoteStep PbxCluster(PbxClusterSettings pbx)
    {
        var vars = VarsFile(pbx.GuideFolder);
        // Turning the Certificate Manager on is applied by update.sh -c, as the guide says, even with the same image.
        var version = pbx.Image + (pbx.CertificateManager ? " with Certificate Manager" : "");
        return new RemoteStep(
            RemoteScript.CheckPbxAndRecordVersion(vars, "The PBX HA cluster", PbxVersionKey, version),
            RemoteScript.Upgrade("the PBX HA cluster", PbxVersionKey, version, GuideCommands.PbxUpdate(pbx), SiteFact.Pbx, vars),
            null);
    }

    /// <summary>The HA install's settings on pbx01 ("High Availability Installations on Ubuntu"), with <c>pbx_image</c>.</summary>
    public static string VarsFile(string guide) => $"{guide}/res/vars.yml";

    /// <summary>Under this key pbx01 records the PBX image the cluster runs.</summary>
    public const string PbxVersionKey = "pbx";
}
