using System.Collections.Immutable;

namespace PortsipInfra;

/// <summary>
/// The validated, immutable description of one site: everything the program declares is built from this
/// and nothing else. It is produced once at start-up by <see cref="SiteValidator"/>.
/// </summary>
public sealed record SiteTopology(
    PbxClusterSettings Pbx,
    ImmutableArray<ExtendedServerSettings> ExtendedServers,
    ImSettings? Im,
    SbcSettings? Sbc,
    DataFlowSettings? DataFlow,
    PortalSettings Portal,
    HostPreparationSettings HostPreparation)
{
    public IEnumerable<ExtendedServerSettings> ServersOf(ServerRole role) => ExtendedServers.Where(s => s.Role == role);

    /// <summary><c>capacity</c>: the call target and redundancy of the media servers (none by default).</summary>
    public CapacitySettings Capacity { get; init; } = CapacitySettings.Default;

    /// <summary><c>takeOverSiteFrom</c>: the site id of the stack this one takes the site over from (a handover), or null.</summary>
    public string? TakeOverSiteFrom { get; init; }

    /// <summary>Draining servers before their calls are dropped, and each role's upgrade strategy (Drain.cs).</summary>
    public DrainSettings Drain { get; init; } = DrainSettings.Default;
}

/// <summary>The existing PBX HA main cluster: pbx01 (where every command runs), its virtual IP and how to reach it.</summary>
public sealed record PbxClusterSettings(
    string Pbx01,
    string VirtualIp,
    string? PublicIp,
    string GuideFolder,
    string Image,
    bool CertificateManager,
    SshSettings Ssh);

/// <summary>How the program logs in to pbx01 over SSH. The private key itself is a secret and is not kept here.</summary>
public sealed record SshSettings(string User, int Port, string? HostKey, BastionSettings? Bastion, bool DeployKey = false)
{
    /// <summary><c>trustPbx01OnFirstUse</c>: `pulumi up` may run with pbx01's (and the bastion's) host key unpinned.</summary>
    public bool TrustOnFirstUse { get; init; }

    /// <summary><c>deployKeyFrom</c>: the only addresses (IPv4 or CIDR) pbx01 accepts the deploy key from; empty: any.</summary>
    public ImmutableArray<string> DeployKeyFrom { get; init; } = [];
}

/// <summary>A jump host between the workstation (or pipeline) and pbx01.</summary>
public sealed record BastionSettings(string Host, int Port, string User, string? HostKey);

/// <summary>A Media, Queue, Meeting or IVR server, named exactly as it is registered in the Web Portal.</summary>
public sealed record ExtendedServerSettings(
    ServerRole Role,
    string Name,
    string PrivateIp,
    string? PublicIp = null,
    int? MaxSessions = null,
    bool RecordsCalls = false,
    string? HostKey = null,
    string? RenamedFrom = null)
{
    /// <summary>Meeting servers only: the REST API's max_rooms and max_participants.</summary>
    public int? MaxRooms { get; init; }
    public int? MaxParticipants { get; init; }

    /// <summary><c>state</c> and <c>restart</c> (<see cref="RunState"/>).</summary>
    public RunState Run { get; init; } = RunState.Running;

    /// <summary>This server's own <c>drainTimeoutSeconds</c> (null: the site's).</summary>
    public int? DrainTimeoutSeconds { get; init; }
}

/// <summary>The Instant Messaging service (im.sh).</summary>
public sealed record ImSettings(string PrivateIp, string PublicIp, string? StoragePath, bool Protect, int TokenRotation = 0, string? HostKey = null)
{
    /// <summary><c>state</c> and <c>restart</c> (<see cref="RunState"/>).</summary>
    public RunState Run { get; init; } = RunState.Running;
}

/// <summary>The SBC cluster (sbc.sh): one image for all its servers.</summary>
public sealed record SbcSettings(string Image, bool CertificateManager, ImmutableArray<SbcServerSettings> Servers);

public sealed record SbcServerSettings(string Name, string PrivateIp, string? PublicIp, string? HostKey = null)
{
    /// <summary><c>state</c> and <c>restart</c> (<see cref="RunState"/>).</summary>
    public RunState Run { get; init; } = RunState.Running;
}

/// <summary>
/// The Data Flow analytics service (dataflow.sh). The guide allows a server without a static private IP, reached
/// on its static public IP (-A alone); <see cref="Address"/> is where pbx01 reaches it.
/// </summary>
public sealed record DataFlowSettings(
    string? PrivateIp,
    string? PublicIp,
    string DataPath,
    string? ClickHouseImage,
    string PbxImage,
    int TokenRotation = 0,
    string? HostKey = null)
{
    public string Address => PrivateIp ?? PublicIp ?? throw new InvalidOperationException("a Data Flow service needs a private or a public IP");

    /// <summary><c>state</c> and <c>restart</c> (<see cref="RunState"/>).</summary>
    public RunState Run { get; init; } = RunState.Running;
}

/// <summary>
/// How the Web Portal steps are done through the PortSIP REST API, from pbx01 (the admin password is a secret
/// and not kept here). The API's certificate is checked against <see cref="CertificateSha256"/> (lower-case hex)
/// when set, else against the CAs of <see cref="CaPem"/>, else against the system's CAs.
/// </summary>
public sealed record PortalSettings(string ApiUrl, string AdminUser, bool DisableDefaultServers, int OnlineTimeoutSeconds,
    string? CertificateSha256 = null, string? CaPem = null, bool AllowHttp = false)
{
    /// <summary>The REST API on the virtual IP: the guide does all administration there, whichever node is master.</summary>
    public static PortalSettings Default(string virtualIp) => new($"https://{virtualIp}:8887/api", DefaultAdminUser, true, 900);

    public const string DefaultAdminUser = "admin";
}

/// <summary>Host preparation: which preflight checks only warn instead of stopping the install.</summary>
public sealed record HostPreparationSettings(ImmutableHashSet<string> WarnOnly)
{
    public static readonly HostPreparationSettings Default = new(ImmutableHashSet<string>.Empty);
}
