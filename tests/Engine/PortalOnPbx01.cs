using System.Diagnostics;
using System.Text.Json.Nodes;
using PortsipInfra.Tests.OverSsh;
using PortsipInfra.Tests.Portal;

namespace PortsipInfra.Tests.Engine;

/// <summary>
/// The fake PortSIP API (tests/fakes/fake_portsip_api.py) inside pbx01's network namespace, so that the REST
/// helper the stack uploads to pbx01 reaches it at <c>http://127.0.0.1:PORT/api</c> from there, as it reaches the
/// PBX's own API on a real site. Plain http: the fake serves TLS only with a certificate file, and the site config
/// names this URL explicitly (<see cref="ApiUrl"/>, <c>portalInsecureTls: false</c>).
/// The fake binds 127.0.0.1 of that namespace only, so its control endpoints (/__state) are read from inside
/// the namespace too (<c>ip netns exec</c>).
/// </summary>
public sealed class PortalOnPbx01 : IDisposable
{
    /// <summary>pbx01's network namespace (tests/hosts/hosts.conf.sh: NS_PREFIX + host name).</summary>
    public const string Namespace = "psim-pbx01";

    private readonly Process process;

    public int Port { get; }

    public string ApiUrl => $"http://127.0.0.1:{Port}/api";

    public string AdminUser => FakePortsipApi.AdminUser;
    public string AdminPassword => FakePortsipApi.AdminPassword;

    private PortalOnPbx01(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    /// <param name="deployed">pbx01's stand-in extend.sh inventory: a server is ONLINE once it is deployed there.</param>
    public static PortalOnPbx01 Start(string deployed)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "netns", "exec", Namespace, "python3", FakePortsipApi.Script, "--port", "0",
                     "--admin", $"{FakePortsipApi.AdminUser}:{FakePortsipApi.AdminPassword}", "--online-if-deployed", deployed })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("ip netns exec did not start");
        var first = process.StandardOutput.ReadLineAsync();
        if (!first.Wait(TimeSpan.FromSeconds(15)) || first.Result is not { } line || !line.StartsWith("PORT "))
        {
            Stop(process);
            throw new InvalidOperationException("the fake PortSIP API did not start in pbx01's namespace: " + process.StandardError.ReadToEnd());
        }
        process.StandardError.ReadToEndAsync();
        return new PortalOnPbx01(process, int.Parse(line["PORT ".Length..]));
    }

    /// <summary>The fake's whole state (servers by kind, ip_filters, tokens, request log).</summary>
    public JsonObject State()
    {
        var read = SimulatedHosts.Run("ip",
        [
            "netns", "exec", Namespace, "python3", "-c",
            "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())",
            $"http://127.0.0.1:{Port}/__state",
        ], null, TimeSpan.FromSeconds(20));
        if (read.ExitCode != 0)
        {
            throw new InvalidOperationException($"cannot read the fake portal's state: {read}");
        }
        return JsonNode.Parse(read.Stdout)!.AsObject();
    }

    /// <summary>A control call of the fake (/__sessions, /__down), from inside pbx01's namespace.</summary>
    public void Control(string path, JsonObject body)
    {
        var post = SimulatedHosts.Run("ip",
        [
            "netns", "exec", Namespace, "python3", "-c",
            "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method='POST'), timeout=10).read()",
            $"http://127.0.0.1:{Port}/{path}", body.ToJsonString(),
        ], null, TimeSpan.FromSeconds(20));
        if (post.ExitCode != 0)
        {
            throw new InvalidOperationException($"the fake portal refused {path}: {post}");
        }
    }

    /// <summary>The server's open sessions, one value per status read, the last one kept.</summary>
    public void Sessions(string kind, string name, params int[] series) =>
        Control("__sessions", new JsonObject { ["kind"] = kind, ["name"] = name, ["series"] = new JsonArray(series.Select(n => (JsonNode)n).ToArray()) });

    /// <summary>Each server update, status read and destroy, with whether the server was deployed then.</summary>
    public string[] Events() => State()["events"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    /// <summary>The portal's servers of one kind (media, queue, meeting, ivr), built-in ones included.</summary>
    public static IEnumerable<JsonObject> Servers(JsonObject state, string kind) => state[kind]!.AsArray().Select(n => n!.AsObject());

    public void Dispose() => Stop(process);

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
        process.Dispose();
    }
}
