namespace PortsipInfra;

/// <summary>
/// The command lines of the PortSIP guides, letter for letter, filled in from the topology. Each is run on pbx01
/// from the guide folder. Values are validated before they get here and quoted all the same.
/// </summary>
public static class GuideCommands
{
    private static string InGuide(string guideFolder, string script) =>
        $"cd {Shell.Quote(guideFolder.TrimEnd('/') + "/")} && /bin/bash {script}";

    private static string Q(string value) => Shell.Quote(value);

    // Extended servers: "Add a Media Server", "Managing a Specific Server Instance by IP", "Upgrading Extended Servers".
    public static string ExtendRun(string guide, ExtendedServerSettings s) =>
        $"{InGuide(guide, "extend.sh")} run -s {s.Role.ScriptFilter()} -n {Q(s.Name)} -a {Q(s.PrivateIp)}";

    public static string ExtendRemove(string guide, ServerRole role, string privateIp) =>
        $"{InGuide(guide, "extend.sh")} rm -s {role.ScriptFilter()} -a {Q(privateIp)}";

    public static string ExtendUpgrade(string guide, ServerRole role) =>
        $"{InGuide(guide, "extend.sh")} upgrade -s {role.ScriptFilter()}";

    // IM service: "Deploy the IM Service", "Remove the IM Server", "Upgrading the IM Server".
    public static string ImRun(string guide, ImSettings im) =>
        $"{InGuide(guide, "im.sh")} run -a {Q(im.PrivateIp)} -A {Q(im.PublicIp)}"
        + (im.StoragePath is null ? "" : $" -f {Q(im.StoragePath)}");

    public static string ImRemove(string guide) => $"{InGuide(guide, "im.sh")} rm";

    public static string ImUpgrade(string guide) => $"{InGuide(guide, "im.sh")} upgrade";

    // SBC: "Deploying the SBC Servers", "Managing SBC Servers", "Upgrading SBC Servers", one server at a time (-a).
    public static string SbcRun(string guide, SbcSettings sbc, string privateIp) =>
        $"{InGuide(guide, "sbc.sh")} run -a {Q(privateIp)} -i {Q(sbc.Image)}" + (sbc.CertificateManager ? " -c" : "");

    public static string SbcRemove(string guide, string privateIp) => $"{InGuide(guide, "sbc.sh")} rm -a {Q(privateIp)}";

    public static string SbcUpgrade(string guide, SbcSettings sbc, string privateIp) =>
        $"{InGuide(guide, "sbc.sh")} upgrade -a {Q(privateIp)} -i {Q(sbc.Image)}" + (sbc.CertificateManager ? " -c" : "");

    // Data Flow: "Deploy the Data Flow Service", "Remove the Data Flow Server", "Upgrade the Data Flow Server".
    public static string DataFlowRun(string guide, DataFlowSettings df) =>
        $"{InGuide(guide, "dataflow.sh")} run -p {Q(df.DataPath)}"
        + (df.PrivateIp is null ? "" : $" -a {Q(df.PrivateIp)}")
        + (df.PublicIp is null ? "" : $" -A {Q(df.PublicIp)}")
        + (df.ClickHouseImage is null ? "" : $" -d {Q(df.ClickHouseImage)}")
        + $" -i {Q(df.PbxImage)}";

    public static string DataFlowRemove(string guide) => $"{InGuide(guide, "dataflow.sh")} rm";

    public static string DataFlowUpgrade(string guide, DataFlowSettings df) =>
        $"{InGuide(guide, "dataflow.sh")} upgrade" + (df.ClickHouseImage is null ? "" : $" -d {Q(df.ClickHouseImage)}");

    // Run state: start, stop or restart one server or service ("Managing a Specific Server Instance by IP",
    // "Managing SBC Servers", im.sh and dataflow.sh start|stop|restart).
    public static string ExtendControl(string guide, ServerRole role, string privateIp, RunAction action) =>
        $"{InGuide(guide, "extend.sh")} {action.Word()} -s {role.ScriptFilter()} -a {Q(privateIp)}";

    public static string SbcControl(string guide, string privateIp, RunAction action) => $"{InGuide(guide, "sbc.sh")} {action.Word()} -a {Q(privateIp)}";

    public static string ImControl(string guide, RunAction action) => $"{InGuide(guide, "im.sh")} {action.Word()}";

    public static string DataFlowControl(string guide, RunAction action) => $"{InGuide(guide, "dataflow.sh")} {action.Word()}";

    // PBX HA: "Upgrade the PortSIP PBX Image".
    public static string PbxUpdate(PbxClusterSettings pbx) =>
        $"{InGuide(pbx.GuideFolder, "update.sh")} {Q(pbx.Image)}" + (pbx.CertificateManager ? " -c" : "");
}
