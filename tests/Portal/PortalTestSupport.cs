using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Portal;

/// <summary>
/// tests/fakes/fake_portsip_api.py running on 127.0.0.1 (a free port), killed on Dispose, with its control
/// endpoints (/__state, /__fail, /__seed).
/// </summary>
public sealed class FakePortsipApi : IDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "Adm1n-S3cret-pw";

    private readonly Process process;
    private readonly HttpClient control;
    private readonly StringBuilder errors = new();

    private FakePortsipApi(Process process, int port, bool tls)
    {
        this.process = process;
        Port = port;
        var scheme = tls ? "https" : "http";
        ApiUrl = $"{scheme}://127.0.0.1:{port}/api";
        // The fake's own certificate is self-signed: the control client accepts it, the helper is what is under test.
        control = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
        {
            BaseAddress = new Uri($"{scheme}://127.0.0.1:{port}/"),
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    public int Port { get; }

    /// <summary>The base URL the helper is given, e.g. http://127.0.0.1:41234/api.</summary>
    public string ApiUrl { get; }

    public static string Script => Path.Combine(StackFile.RepositoryRoot, "tests", "fakes", "fake_portsip_api.py");

    /// <summary>Starts the fake; <paramref name="options"/> are its own (--online-after 2, --never-online, --tls CERT KEY ...).</summary>
    public static FakePortsipApi Start(params string[] options)
    {
        var info = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Script);
        foreach (var arg in new[] { "--port", "0", "--admin", $"{AdminUser}:{AdminPassword}" }.Concat(options))
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        try
        {
            var first = process.StandardOutput.ReadLineAsync();
            if (!first.Wait(TimeSpan.FromSeconds(15)) || first.Result is not { } line || !line.StartsWith("PORT "))
            {
                throw new InvalidOperationException("the fake PortSIP API did not print its port: " + process.StandardError.ReadToEnd());
            }
            var tls = options.Contains("--tls");
            var fake = new FakePortsipApi(process, int.Parse(line["PORT ".Length..]), tls) { Tls = tls };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (fake.errors)
                {
                    fake.errors.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();
            return fake;
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    public bool Tls { get; private init; }

    /// <summary>
    /// The connection JSON the helper reads on stdin, as the stack renders it; over plain http (the fake's default)
    /// with <c>allow_http</c> unless <paramref name="allowHttp"/> says otherwise.
    /// </summary>
    public string Stdin(string? password = null, string? pin = null, string? caPem = null, bool? allowHttp = null) =>
        PortalCommands.ApiStdin(new PortalSettings(ApiUrl, AdminUser, true, 900, pin, caPem, allowHttp ?? !Tls), password ?? AdminPassword);

    public JsonObject State() =>
        control.GetFromJsonAsync<JsonObject>("__state").GetAwaiter().GetResult()
        ?? throw new InvalidOperationException("no state");

    /// <summary>Servers of one kind (media, queue, meeting, ivr) as the fake holds them.</summary>
    public JsonObject[] Servers(string kind) => State()[kind]!.AsArray().Select(n => n!.AsObject()).ToArray();

    public JsonObject[] Rules() => State()["ip_filters"]!.AsArray().Select(n => n!.AsObject()).ToArray();

    public string[] Requests() => State()["requests"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    /// <summary>Makes the next call matching <paramref name="method"/> and <paramref name="path"/> fail.</summary>
    public void Fail(int status, string code, string message, string? method = null, string? path = null) =>
        Post("__fail", new JsonObject { ["status"] = status, ["code"] = code, ["message"] = message, ["method"] = method, ["path"] = path });

    public void Seed(string kind, params JsonObject[] servers) =>
        Post("__seed", new JsonObject { ["kind"] = kind, ["servers"] = new JsonArray(servers.Cast<JsonNode>().ToArray()) });

    /// <summary>The portal's IM server configuration: its private address.</summary>
    public void SeedIm(string privateIp) => Post("__seed", new JsonObject { ["im"] = new JsonObject { ["private_ipv4"] = privateIp } });

    /// <summary>The server's open sessions, one value per status read, the last one kept (fake's /__sessions).</summary>
    public void Sessions(string kind, string name, params int[] series) =>
        Post("__sessions", new JsonObject { ["kind"] = kind, ["name"] = name, ["series"] = new JsonArray(series.Select(n => (JsonNode)n).ToArray()) });

    /// <summary>Every /api call dropped without an answer (the API unreachable), or answered again.</summary>
    public void Down(bool down = true) => Post("__down", new JsonObject { ["down"] = down });

    /// <summary>Each server update, status read and destroy, in order ("update media NAME enabled=false deployed=?").</summary>
    public string[] Events() => State()["events"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    public void SeedRules(params JsonObject[] rules) =>
        Post("__seed", new JsonObject { ["ip_filters"] = new JsonArray(rules.Cast<JsonNode>().ToArray()) });

    private void Post(string path, JsonObject body)
    {
        using var response = control.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"))
            .GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    public string ErrorOutput
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    public void Dispose()
    {
        control.Dispose();
        Kill(process);
        process.Dispose();
    }

    private static void Kill(Process process)
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
    }
}

public sealed record HelperResult(int ExitCode, string Stdout, string Stderr, IReadOnlyList<string> Argv)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the real helper, infra/Scripts/remote/portsip_api.py, with python3 from PATH.</summary>
public static class PortalHelper
{
    public static string Script => Path.Combine(StackFile.RepositoryRoot, PortalCommands.HelperSource);

    public static HelperResult Run(string stdin, params string[] args) => Run(stdin, args, null);

    /// <summary>
    /// Runs python3 portsip_api.py ARGS with <paramref name="stdin"/>; <paramref name="whileRunning"/> gets the
    /// process id once stdin is written. Killed after 30 s.
    /// </summary>
    public static HelperResult Run(string stdin, IReadOnlyList<string> args, Action<int>? whileRunning)
    {
        var info = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return RunProcess(info, stdin, whileRunning);
    }

    /// <summary>Runs one shell line with bash, as a Remote.Command does on pbx01.</summary>
    public static HelperResult RunBash(string line, string stdin, IDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(line);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        return RunProcess(info, stdin, null);
    }

    private static HelperResult RunProcess(ProcessStartInfo info, string stdin, Action<int>? whileRunning)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
            whileRunning?.Invoke(process.Id);
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish in 30 s");
            }
            process.WaitForExit();
            return new HelperResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(),
                [info.FileName, .. info.ArgumentList]);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
