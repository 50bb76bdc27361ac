using System.Text.Json.Serialization;

namespace PortsipInfra;

/// <summary>
/// The stack config exactly as the operator wrote it, before any check. Plain keys are declared in
/// Pulumi.yaml; the structured ones (server lists, IM, SBC, Data Flow) are JSON objects read with
/// <c>Config.GetObject&lt;T&gt;</c> using the JSON names below.
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
    public string? PortalUser { get; init; }
    public bool? DisableDefaultServers { get; init; }
    public int? OnlineTimeoutSeconds { get; init; }
    public string?[]? PreflightWarnOnly { get; init; }

    public MediaServerConfig?[]? MediaServers { get; init; }
    public ServerConfig?[]? QueueServers { get; init; }
    public ServerConfig?[]? MeetingServers { get; init; }
    public ServerConfig?[]? IvrServers { get; init; }
    public ImConfig? Im { get; init; }
    public SbcConfig? Sbc { get; init; }
    public DataFlowConfig? DataFlow { get; init; }

    /// <summary>Errors met while reading (wrong JSON types, unknown fields); validation adds its own.</summary>
    public IReadOnlyList<ConfigError> ReadErrors { get; init; } = [];
}

/// <summary>One entry of <c>queueServers</c>, <c>meetingServers</c> or <c>ivrServers</c>.</summary>
public sealed record ServerConfig
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("privateIp")] public string? PrivateIp { get; init; }
    [JsonPropertyName("hostKey")] public string? HostKey { get; init; }
}

/// <summary>One entry of <c>mediaServers</c>.</summary>
public sealed record MediaServerConfig
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("privateIp")] public string? PrivateIp { get; init; }
    [JsonPropertyName("publicIp")] public string? PublicIp { get; init; }
    [JsonPropertyName("internetFacing")] public bool? InternetFacing { get; init; }
    [JsonPropertyName("maxSessions")] public int? MaxSessions { get; init; }
    [JsonPropertyName("exceedRecommendedMaxSessions")] public bool? ExceedRecommendedMaxSessions { get; init; }
    [JsonPropertyName("recordsCalls")] public bool? RecordsCalls { get; init; }
    [JsonPropertyName("hostKey")] public string? HostKey { get; init; }
}

/// <summary>The <c>im</c> key.</summary>
public sealed record ImConfig
{
    [JsonPropertyName("privateIp")] public string? PrivateIp { get; init; }
    [JsonPropertyName("publicIp")] public string? PublicIp { get; init; }
    [JsonPropertyName("storagePath")] public string? StoragePath { get; init; }
    [JsonPropertyName("protect")] public bool? Protect { get; init; }
    [JsonPropertyName("tokenRotation")] public int? TokenRotation { get; init; }
    [JsonPropertyName("hostKey")] public string? HostKey { get; init; }
}

/// <summary>The <c>sbc</c> key.</summary>
public sealed record SbcConfig
{
    [JsonPropertyName("image")] public string? Image { get; init; }
    [JsonPropertyName("certificateManager")] public bool? CertificateManager { get; init; }
    [JsonPropertyName("servers")] public SbcServerConfig?[]? Servers { get; init; }
}

public sealed record SbcServerConfig
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("privateIp")] public string? PrivateIp { get; init; }
    [JsonPropertyName("publicIp")] public string? PublicIp { get; init; }
    [JsonPropertyName("hostKey")] public string? HostKey { get; init; }
}

/// <summary>The <c>dataFlow</c> key.</summary>
public sealed record DataFlowConfig
{
    [JsonPropertyName("privateIp")] public string? PrivateIp { get; init; }
    [JsonPropertyName("publicIp")] public string? PublicIp { get; init; }
    [JsonPropertyName("dataPath")] public string? DataPath { get; init; }
    [JsonPropertyName("clickhouseImage")] public string? ClickHouseImage { get; init; }
    [JsonPropertyName("pbxImage")] public string? PbxImage { get; init; }
    [JsonPropertyName("tokenRotation")] public int? TokenRotation { get; init; }
    [JsonPropertyName("hostKey")] public string? HostKey { get; init; }
}
