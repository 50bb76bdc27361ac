using System.Collections.Immutable;
using Moq;
using Pulumi;
using Pulumi.Testing;

namespace PortsipInfra.Tests.Support;

/// <summary>One resource as the mocked engine saw it: its URN, type, name and inputs (secrets unwrapped).</summary>
public sealed record DeclaredResource(string Urn, string Type, string Name, ImmutableDictionary<string, object> Inputs)
{
    /// <summary>
    /// An input; for a command's create, update or delete, its own script, without the owner check that
    /// <see cref="SiteOwnership"/> puts in front of each (<see cref="RawInput"/> has it; SiteOwnershipTests test it).
    /// </summary>
    public string? Input(string name) => RawInput(name) is { } value && name is "create" or "update" or "delete"
        ? OwnerCheck.Without(value)
        : RawInput(name);

    /// <summary>An input exactly as the engine receives it.</summary>
    public string? RawInput(string name) => Inputs.TryGetValue(name, out var v) ? v as string : null;

    /// <summary>A stable text of the inputs, to compare two runs.</summary>
    public string InputsText() => System.Text.Json.JsonSerializer.Serialize(
        Inputs.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key, kv => kv.Value));
}

/// <summary>The result of one program run under mocks.</summary>
public sealed record RunResult(ImmutableArray<Resource> Resources, IReadOnlyList<DeclaredResource> Declared)
{
    public SiteStack Stack => Resources.OfType<SiteStack>().Single();

    public IEnumerable<DeclaredResource> OfType(string type) => Declared.Where(r => r.Type == type);

    public DeclaredResource Named(string name) => Declared.Single(r => r.Name == name);

    public IEnumerable<DeclaredResource> Commands => OfType("command:remote:Command");
}

/// <summary>
/// Runs the real program (<see cref="SiteStack"/>) with Pulumi's test engine: a Moq <see cref="IMocks"/> records every
/// resource it is asked to create and returns its inputs as its state.
/// </summary>
public static class PulumiRun
{
    public const string Project = "portsip-infra";

    /// <summary>Made-up secrets: tests check that they never show up in a command line or a plain output.</summary>
    public const string FakePrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE-KEY-FOR-TESTS-ONLY-7f3a9c\n-----END OPENSSH PRIVATE KEY-----";
    public const string FakePortalPassword = "FAKE-PORTAL-PASSWORD-41c2";
    public const string FakeServerPassword = "FAKE-SERVER-PASSWORD-93be";
    public const string FakeDataFlowToken = "FAKE-DATAFLOW-TOKEN-5d07";
    public const string FakePbx01HostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakePbx01HostKeyForTests0000000000000000000";

    public static readonly string[] FakeSecrets = ["FAKE-KEY-FOR-TESTS-ONLY", FakePortalPassword, FakeServerPassword, FakeDataFlowToken, "FAKE-TOKEN-OF-", "FAKE-DEPLOY-KEY"];

    /// <summary>
    /// What a stack needs for `pulumi up` and keeps out of its file: the secrets, as `pulumi config set --secret` would
    /// add them, and pbx01's pinned host key (unless the stack pins it itself or opts out of pinning).
    /// </summary>
    public static Dictionary<string, string> WithSecrets(this Dictionary<string, string> config)
    {
        if (!config.ContainsKey($"{Project}:trustPbx01OnFirstUse"))
        {
            config.TryAdd($"{Project}:pbx01HostKey", FakePbx01HostKey);
        }
        config[$"{Project}:sshPrivateKey"] = FakePrivateKey;
        config[$"{Project}:portalPassword"] = FakePortalPassword;
        config[$"{Project}:serverPassword"] = FakeServerPassword;
        config[$"{Project}:dataFlowToken"] = FakeDataFlowToken;
        return config;
    }

    public static async Task<RunResult> Stack(IReadOnlyDictionary<string, string> config, bool isPreview = false, string stack = "test")
    {
        var declared = new List<DeclaredResource>();
        var mocks = Mocks(args => declared.Add(new DeclaredResource(Urn(args, stack), args.Type!, args.Name!, args.Inputs)), stack);
        var resources = await WithConfig(config, () => Deployment.TestAsync<SiteStack>(mocks,
            new TestOptions { ProjectName = Project, StackName = stack, IsPreview = isPreview }));
        return new RunResult(resources, declared);
    }

    /// <summary>
    /// The mocked engine: every resource gets <see cref="State"/> back, and <paramref name="seen"/> (called under a
    /// lock, resources are registered concurrently) hears of each.
    /// </summary>
    public static IMocks Mocks(Action<MockResourceArgs>? seen = null, string stack = "test")
    {
        var gate = new object();
        var mocks = new Mock<IMocks>();
        mocks.Setup(m => m.NewResourceAsync(It.IsAny<MockResourceArgs>()))
            .ReturnsAsync((MockResourceArgs args) =>
            {
                lock (gate)
                {
                    seen?.Invoke(args);
                }
                return (args.Name + "-id", (object)State(args, stack));
            });
        mocks.Setup(m => m.CallAsync(It.IsAny<MockCallArgs>())).ReturnsAsync((MockCallArgs args) => (object)args.Args);
        return mocks.Object;
    }

    /// <summary>Runs <paramref name="run"/> with <paramref name="config"/> as the stack config (PULUMI_CONFIG), as the CLI would pass it.</summary>
    public static async Task<T> WithConfig<T>(IReadOnlyDictionary<string, string> config, Func<Task<T>> run)
    {
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", StackFile.ToPulumiConfigJson(config));
        try
        {
            return await run();
        }
        finally
        {
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);
        }
    }

    /// <summary>What the mocked provider answers: the inputs, and for a command its stdout (a token for the token commands).</summary>
    public static ImmutableDictionary<string, object> State(MockResourceArgs args, string stack = "test") => args.Type switch
    {
        "random:index/randomUuid:RandomUuid" => args.Inputs.SetItem("result", SiteId(stack)),
        "command:remote:Command" => args.Inputs.SetItem("stdout", args.Name!.EndsWith("-token") ? FakeToken(args.Name) : ""),
        "tls:index/privateKey:PrivateKey" => args.Inputs
            .SetItem("privateKeyOpenssh", FakeDeployPrivateKey)
            .SetItem("publicKeyOpenssh", FakeDeployPublicKey + "\n"),
        _ => args.Inputs,
    };

    public const string FakeDeployPrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE-DEPLOY-KEY-0b1d\n-----END OPENSSH PRIVATE KEY-----";
    public const string FakeDeployPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeDeployKey";

    public static string FakeToken(string command) => $"FAKE-TOKEN-OF-{command}";

    /// <summary>
    /// The site id (RandomUuid) the mocked provider gives the stack <paramref name="stack"/>: the same on every run, as the
    /// state keeps it, and another one for each stack.
    /// </summary>
    public static string SiteId(string stack) =>
        new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes("site-id:" + stack))).ToString("D");

    // MockResourceArgs has no URN; type and name identify a resource uniquely within this program.
    private static string Urn(MockResourceArgs args, string stack) => $"urn:pulumi:{stack}::{Project}::{args.Type}::{args.Name}";

    /// <summary>Runs a program that must fail; returns its message and how many resources it had declared.</summary>
    public static async Task<(string Message, int Declared)> Failure(IReadOnlyDictionary<string, string> config, bool isPreview = true)
    {
        var declared = 0;
        var mocks = Mocks(_ => declared++);
        var e = await WithConfig(config, () => Assert.ThrowsAnyAsync<Exception>(() => Deployment.TestAsync<SiteStack>(mocks,
            new TestOptions { ProjectName = Project, StackName = "test", IsPreview = isPreview })));
        // The SDK sets the process's exit code after a failed run, as a real program's would be.
        Environment.ExitCode = 0;
        var message = e is AggregateException agg
            ? string.Join("\n", agg.Flatten().InnerExceptions.Select(x => x.Message))
            : e.Message;
        return (message, declared);
    }

    public static async Task<T> OutputValue<T>(Output<T> output)
    {
        var tcs = new TaskCompletionSource<T>();
        output.Apply(v =>
        {
            tcs.TrySetResult(v);
            return v;
        });
        return await tcs.Task;
    }
}
