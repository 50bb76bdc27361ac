using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace PortsipInfra.Ops.Status;

/// <summary>One server as the Web Portal records it, with its live status.</summary>
public sealed record PortalServer(
    ServerRole Role, string Id, string Name, string? Ip, string? PublicIp, bool Enabled, bool BuiltIn,
    int? MaxSessions, string? Status, int? CurrentSessions);

/// <summary>What status reads from the Web Portal (REST API).</summary>
public sealed record PortalView(IReadOnlyList<PortalServer> Servers, string? ImPrivateIp, string? ImPublicIp, IReadOnlyList<IPNetwork> Accepted);

/// <summary>
/// The PortSIP REST API, reached through a tunnel while the HTTPS name and certificate checks use the portal's own
/// address (the virtual IP, or --portal-name): the certificate must chain to the system's roots or to --portal-ca.
/// Reads only.
/// </summary>
public sealed class PortalApi : IDisposable
{
    private const string OAuthClientId = "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a";
    private readonly HttpClient http;
    private readonly Ssh.Tunnel tunnel;
    private readonly string user;
    private readonly string password;
    private string? certificateProblem;

    public PortalApi(Uri baseUri, Ssh.Tunnel tunnel, X509Certificate2Collection? trustedRoots, string user, string password)
    {
        this.tunnel = tunnel;
        this.user = user;
        this.password = password;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(tunnel.Local.Host, tunnel.Local.Port, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    if (errors != SslPolicyErrors.None)
                    {
                        certificateProblem = Describe(errors, chain, certificate);
                    }
                    return errors == SslPolicyErrors.None;
                },
            },
        };
        if (trustedRoots is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(trustedRoots);
            handler.SslOptions.CertificateChainPolicy = policy;
        }
        BaseUri = baseUri;
        http = new HttpClient(handler) { BaseAddress = new Uri(baseUri.ToString().TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUri { get; }

    public PortalView Read()
    {
        Login();
        var servers = new List<PortalServer>();
        foreach (var role in ServerRoles.All)
        {
            foreach (var item in List(Collection(role)))
            {
                var id = item["id"]?.ToString() ?? "";
                var status = Get($"{Collection(role)}/{id}/status") as JsonObject;
                servers.Add(new PortalServer(role, id, Text(item["name"]) ?? "",
                    Text(item[role == ServerRole.Media ? "private_ipv4" : "ipv4"]), Text(item["public_ipv4"]),
                    Flag(item["enabled"]) ?? true, Text(item["type"]) == "INTERNAL",
                    Number(item["max_concurrency"]), Text(status?["status"]), Number(status?["current_concurrency"])));
            }
        }
        var im = Get("im") as JsonObject;
        var accepted = List("ip_filters")
            .Where(r => Text(r["target"]) == "ACCEPT" && Text(r["cidr"]) is { } cidr && IPNetwork.TryParse(cidr.Contains('/') ? cidr : cidr + "/32", out _))
            .Select(r => { var c = Text(r["cidr"])!; return IPNetwork.Parse(c.Contains('/') ? c : c + "/32"); })
            .ToList();
        return new PortalView(servers, Text(im?["private_ipv4"]), Text(im?["public_ipv4"]), accepted);
    }

    public static string Collection(ServerRole role) => role switch
    {
        ServerRole.Media => "media_servers",
        ServerRole.Queue => "call_queue_servers",
        ServerRole.Meeting => "conference_servers",
        _ => "ivr_servers",
    };

    private void Login()
    {
        // A string body, so that it goes with a Content-Length (not chunked), as every HTTP server reads it.
        var login = new JsonObject { ["username"] = user, ["password"] = password }.ToJsonString();
        var (status, body) = Send(HttpMethod.Post, "login", new StringContent(login, System.Text.Encoding.UTF8, "application/json"));
        if (status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented
            || status == HttpStatusCode.OK && Text(body?["access_token"]) is null)
        {
            // No JSON login on this PBX (or one that answers without a token): the OAuth password grant of the API guide.
            (status, body) = Send(HttpMethod.Post, "login/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = user, ["password"] = password, ["scope"] = "all", ["client_id"] = OAuthClientId,
            }));
        }
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            || status == HttpStatusCode.BadRequest && (body?.ToJsonString() ?? "").Contains("UNAUTHORIZED", StringComparison.OrdinalIgnoreCase))
        {
            throw new OpsError($"the Web Portal at {BaseUri} refused the password of '{user}' ({Ssh.Credentials.PortalPasswordVariable}): {Error(body)}");
        }
        if (status != HttpStatusCode.OK || Text(body?["access_token"]) is not { } token)
        {
            throw new OpsError($"login to the Web Portal at {BaseUri} failed: HTTP {(int)status} {Error(body)}");
        }
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    private List<JsonObject> List(string path)
    {
        var items = new List<JsonObject>();
        while (true)
        {
            var page = Get($"{path}?skip={items.Count}&top=100") as JsonObject;
            var batch = page?["items"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            items.AddRange(batch);
            if (batch.Count < 100 || items.Count >= (Number(page?["count"]) ?? int.MaxValue))
            {
                return items;
            }
        }
    }

    private JsonNode? Get(string path)
    {
        var (status, body) = Send(HttpMethod.Get, path, null);
        return status == HttpStatusCode.OK ? body : throw new OpsError($"GET {BaseUri}/{path} answered HTTP {(int)status} {Error(body)}");
    }

    private (HttpStatusCode Status, JsonNode? Body) Send(HttpMethod method, string path, HttpContent? content)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            using var response = http.Send(request);
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            JsonNode? body = null;
            try
            {
                body = text.Length > 0 ? JsonNode.Parse(text) : null;
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON: the status code says enough.
            }
            return (response.StatusCode, body);
        }
        catch (HttpRequestException e) when (certificateProblem is not null || e.InnerException is AuthenticationException)
        {
            throw new OpsError($"the Web Portal's certificate at {BaseUri} is not trusted: {certificateProblem ?? e.InnerException?.Message}. "
                + "Give the CA that issued it (or the PBX's own certificate) with --portal-ca FILE, and the name it is issued for with --portal-name NAME");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            throw new OpsError(tunnel.Error is { } why
                ? $"pbx01 cannot reach the Web Portal at {BaseUri.Host}:{BaseUri.Port} through the tunnel: {why}"
                : $"the Web Portal at {BaseUri} does not answer through the tunnel via pbx01: {e.Message}");
        }
    }

    private static string Describe(SslPolicyErrors errors, X509Chain? chain, X509Certificate? certificate)
    {
        var parts = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            parts.Add("it is not issued for this name");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var why = chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct() ?? [];
            parts.Add($"its chain is not trusted ({string.Join("; ", why)})");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            parts.Add("the server sent none");
        }
        return $"{string.Join(", ", parts)} (subject {certificate?.Subject})";
    }

    private static string Error(JsonNode? body) =>
        body?["errors"]?.AsArray().FirstOrDefault() is JsonObject e ? $"{Text(e["code"])}: {Text(e["message"])}" : "";

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToString();

    private static bool? Flag(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    private static int? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;

    public void Dispose() => http.Dispose();
}
