namespace PortsipInfra;

/// <summary>
/// The stack config exactly as the operator wrote it, before any check. Plain keys are declared in
/// Pulumi.yaml; the structured ones (server lists, IM, SBC, Data Flow) arrive as JSON text and are read field
/// by field (<see cref="StackConfigReader"/>), their field names as in <see cref="ConfigKeys"/>.
/// </summary>
public sealed record StackConfig
{
    public string? Pbx01 { get; init; }
    public string? VirtualIp { get; init; }
    public string? PublicIp { get; init; }
    public string? GuideFolder { get; init; }
    public string? PbxImage { get; init; }
    public bool? CertificateManager { get; init; }
    public string? SshUser { get; init; }
    public int? SshPort { get; init; }
    public string? Pbx01HostKey { get; init; }
    public string? BastionHost { get; init; }
    public int? BastionPort { get; init; }
    public string? BastionUser { get; init; }
    public string? BastionHostKey { get; init; }
    public bool? DeployKey { get; init; }
    public string?[]? DeployKeyFrom { get; init; }
    public bool? TrustPbx01OnFirstUse { get; init; }
    public string? PortalApiUrl { get; init; }
    public bool? PortalInsecureTls { get; init; }
    public string? PortalCertificateSha256 { get; init; }
    public string? PortalCaFile { get; init; }
    /// <summary>The content of <see cref="PortalCaFile"/>, read with the config (null when unset or unreadable).</summary>
    public string? PortalCaPem { get; init; }
    public bool? PortalAllowHttp { get; init; }
    public string? PortalUser { get; init; }
    public bool? DisableDefaultServers { get; init; }
    public int? OnlineTimeoutSeconds { get; init; }
    public string?[]? PreflightWarnOnly { get; init; }
    public string? TakeOverSiteFrom { get; init; }
    public int? DrainTimeoutSeconds { get; init; }
    public string? DrainTimeoutAction { get; init; }
    /// <summary><c>upgradeStrategy</c>: role word (media, queue, meeting, ivr) to its strategy as written.</summary>
    public IReadOnlyDictionary<string, string?>? UpgradeStrategy { get; init; }

    public MediaServerConfig?[]? MediaServers { get; init; }
    public ServerConfig?[]? QueueServers { get; init; }
    public ServerConfig?[]? MeetingServers { get; init; }
    public ServerConfig?[]? IvrServers { get; init; }
    public ImConfig? Im { get; init; }
    public SbcConfig? Sbc { get; init; }
    public DataFlowConfig? DataFlow { get; init; }
    public CapacityConfig? Capacity { get; init; }

    /// <summary>Errors met while reading (wrong types, unknown keys and fields); validation adds its own.</summary>
    public IReadOnlyList<ConfigError> ReadErrors { get; init; } = [];
}

/// <summary>One entry of <c>queueServers</c>, <c>meetingServers</c> or <c>ivrServers</c>.</summary>
public sealed record ServerConfig
{
    public string? Name { get; init; }
    public string? PrivateIp { get; init; }
    public string? HostKey { get; init; }
    public string? RenamedFrom { get; init; }
    /// <summary>Meeting servers only.</summary>
    public int? MaxRooms { get; init; }
    /// <summary>Meeting servers only.</summary>
    public int? MaxParticipants { get; init; }
    public string? State { get; init; }
    public int? Restart { get; init; }
    public int? DrainTimeoutSeconds { get; init; }
}

/// <summary>One entry of <c>mediaServers</c>.</summary>
public sealed record MediaServerConfig
{
    public string? Name { get; init; }
    public string? PrivateIp { get; init; }
    public string? PublicIp { get; init; }
    public bool? InternetFacing { get; init; }
    public int? MaxSessions { get; init; }
    public bool? ExceedRecommendedMaxSessions { get; init; }
    public bool? RecordsCalls { get; init; }
    public string? HostKey { get; init; }
    public string? RenamedFrom { get; init; }
    public string? State { get; init; }
    public int? Restart { get; init; }
    public int? DrainTimeoutSeconds { get; init; }
}

/// <summary>The <c>im</c> key.</summary>
public sealed record ImConfig
{
    public string? PrivateIp { get; init; }
    public string? PublicIp { get; init; }
    public string? StoragePath { get; init; }
    public bool? Protect { get; init; }
    public int? TokenRotation { get; init; }
    public string? HostKey { get; init; }
    public string? State { get; init; }
    public int? Restart { get; init; }
}

/// <summary>The <c>sbc</c> key.</summary>
public sealed record SbcConfig
{
    public string? Image { get; init; }
    public bool? CertificateManager { get; init; }
    public SbcServerConfig?[]? Servers { get; init; }
}

public sealed record SbcServerConfig
{
    public string? Name { get; init; }
    public string? PrivateIp { get; init; }
    public string? PublicIp { get; init; }
    public string? HostKey { get; init; }
    public string? State { get; init; }
    public int? Restart { get; init; }
}

/// <summary>The <c>dataFlow</c> key.</summary>
public sealed record DataFlowConfig
{
    public string? PrivateIp { get; init; }
    public string? PublicIp { get; init; }
    public string? DataPath { get; init; }
    public string? ClickHouseImage { get; init; }
    public string? PbxImage { get; init; }
    public int? TokenRotation { get; init; }
    public string? HostKey { get; init; }
    public string? State { get; init; }
    public int? Restart { get; init; }
}

/// <summary>The <c>capacity</c> key (<see cref="CapacityRules"/>).</summary>
public sealed record CapacityConfig
{
    public int? TargetConcurrentCalls { get; init; }
    public int? Redundancy { get; init; }
    public int? ConcurrentUsers { get; init; }
}
