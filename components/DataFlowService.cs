using Pulumi;
using Pulumi.Command.Remote;

namespace PortsipInfra.Components;

/// <summary>
/// The Data Flow analytics service (ClickHouse) on its own server, in the guide's steps: its IP whitelisted in the
/// Web Portal, then <c>dataflow.sh run</c> on pbx01 with the Data Flow token on stdin. The guide says to delete and
/// recreate it when the PBX IP changes, when a new token is generated, and after a PBX upgrade: all three are
/// replacements here, and the guide notes that they keep the analytics data. A new ClickHouse image upgrades it
/// with <c>dataflow.sh upgrade</c>.
/// </summary>
public sealed class DataFlowService : ComponentResource
{
    [Output("privateIp")] public Output<string> PrivateIp { get; private set; }
    [Output("publicIp")] public Output<string?> PublicIp { get; private set; }
    /// <summary>The desired run state: running or stopped.</summary>
    [Output("state")] public Output<string> State { get; private set; }

    public Command Whitelist { get; }
    public Command Install { get; }

    /// <summary>Its run state (dataflow.sh start|stop) and restarts, after the install.</summary>
    public RunStateSteps RunState { get; }

    public Command Preflight { get; }

    public DataFlowService(string name, DataFlowSettings df, PbxClusterSettings pbx, Pbx01 pbx01, ServerAccess access, WebPortal portal,
        Output<string>? token, ComponentResourceOptions? options = null)
        : base("portsip:cluster:DataFlowService", name, options)
    {
        var guide = pbx01.GuideFolder;
        var what = $"Data Flow service ({df.Address})";

        // Step 2: "Configure the IP Address Whitelist" (mandatory).
        Whitelist = PortalWhitelist.Add($"{name}-whitelist", df.Address, "PortSIP Data Flow service (portsip-infra)", pbx01, portal, this);

        // Steps 1 and 4: prepare the server, password-free SSH from pbx01.
        var host = PreparedHost.Prepare(name, what, df.Address, df.HostKey, PreflightChecks.MinDiskGb(false),
            new InstallRecord("dataflow", df.Address), pbx01, access, portal, this);
        Preflight = host.Preflight;

        var scripts = ServerScripts.DataFlow(guide, df);
        string[] identity = [df.PrivateIp ?? "", df.PublicIp ?? "", df.DataPath, df.PbxImage, pbx.VirtualIp,
            df.TokenRotation.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        Install = new Command($"{name}-install", new CommandArgs
        {
            Connection = pbx01.Connection,
            Create = scripts.Create,
            // A stopped Data Flow service's upgrade (a new ClickHouse image) waits until it runs again.
            Update = RunStateScripts.UpgradeOrWait(scripts.Update, "the Data Flow service's", df.Run.Stopped ? ["the Data Flow service"] : []),
            Delete = scripts.Delete!,
            Stdin = PortalToken.AsStdin(token),
            // Recreate, as the guide says: its own address, path or PBX image, the PBX's IP, or a new token.
            // After the trust step (ReplaceWhen.After): a move removes the old installation before pbx01's key leaves it.
            Triggers = ReplaceWhen.After(host.Trust, identity),
        }, ReplaceWhen.OldOneFirst(this, pbx01.DependsOn().Concat(Whitelist).Concat(Preflight)));

        RunState = RunStateSteps.Add(name, what, "dataflow", df.Run, action => GuideCommands.DataFlowControl(guide, action), Install,
            identity, pbx01, this);

        PrivateIp = Output.Create(df.Address);
        PublicIp = Output.Create(df.PublicIp);
        State = Output.Create(df.Run.Word);
        RegisterOutputs();
    }
}
