using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// The Data Flow analytics service (ClickHouse) on its own server (dataflow.sh). The guide says to delete and
/// recreate it when the PBX IP changes or the PBX is upgraded; both are replacements here, and the guide
/// notes that they keep the analytics data. A new ClickHouse image upgrades it with <c>dataflow.sh upgrade</c>.
/// </summary>
public sealed class DataFlowService : ComponentResource
{
    [Output("privateIp")] public Output<string> PrivateIp { get; private set; }
    [Output("publicIp")] public Output<string?> PublicIp { get; private set; }

    public Command Install { get; }

    public DataFlowService(string name, DataFlowSettings df, PbxClusterSettings pbx, Pbx01 pbx01, ComponentResourceOptions? options = null)
        : base("portsip:cluster:DataFlowService", name, options)
    {
        var guide = pbx01.GuideFolder;
        var what = $"Data Flow service ({df.PrivateIp})";
        // Without -d the script picks its own ClickHouse image; an upgrade is then only run on request.
        var clickhouse = df.ClickHouseImage ?? "the script's default ClickHouse image";
        Install = new Command($"{name}-install", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = RemoteScript.Install(what, "dataflow", df.PrivateIp, GuideCommands.DataFlowRun(guide, df), clickhouse),
            Update = RemoteScript.Upgrade(what, "dataflow", clickhouse, GuideCommands.DataFlowUpgrade(guide, df)),
            Delete = RemoteScript.Remove(what, "dataflow", GuideCommands.DataFlowRemove(guide)),
            // Recreate, as the guide says, when the service's own address, path or PBX image changes, or the PBX's IP.
            Triggers = ReplaceWhen.AnyChanges(df.PrivateIp, df.PublicIp ?? "", df.DataPath, df.PbxImage, pbx.VirtualIp),
        }, new CustomResourceOptions
        {
            Parent = this,
            DependsOn = pbx01.DependsOn(),
            DeleteBeforeReplace = true,
            ReplaceOnChanges = { "triggers" },
        });

        PrivateIp = Output.Create(df.PrivateIp);
        PublicIp = Output.Create(df.PublicIp);
        RegisterOutputs();
    }
}
