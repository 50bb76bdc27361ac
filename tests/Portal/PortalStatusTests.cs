namespace PortsipInfra.Tests.Portal;

/// <summary>
/// The helper's read-only <c>status</c> action (how an install step tells a server built by hand from a new one)
/// against the fake PortSIP API.
/// </summary>
public sealed class PortalStatusTests : IDisposable
{
    private readonly List<IDisposable> cleanup = [];

    public void Dispose() => cleanup.ForEach(d => d.Dispose());

    private FakePortsipApi Fake(params string[] options)
    {
        var fake = FakePortsipApi.Start(options);
        cleanup.Add(fake);
        return fake;
    }

    private static string Status(FakePortsipApi api, string kind, string name, string ip)
    {
        var result = PortalHelper.Run(api.Stdin(), "status", "--kind", kind, "--name", name, "--private-ip", ip);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        return result.Stdout;
    }

    [Fact]
    public void Online_only_for_the_server_of_that_name_at_that_ip_and_nothing_is_changed()
    {
        var api = Fake();
        Assert.Equal("absent\n", Status(api, "queue", "queue-server-1", "192.168.1.22"));
        var register = PortalHelper.Run(api.Stdin(), "register", "--kind", "queue", "--name", "queue-server-1", "--private-ip", "192.168.1.22");
        Assert.Equal(0, register.ExitCode);
        var before = api.State()["queue"]!.ToJsonString();
        var requestsBefore = api.Requests().Length;

        Assert.Equal("online\n", Status(api, "queue", "queue-server-1", "192.168.1.22"));
        Assert.Equal("other-ip\n", Status(api, "queue", "queue-server-1", "192.168.1.99"));
        Assert.Equal("absent\n", Status(api, "ivr", "queue-server-1", "192.168.1.22"));
        Assert.Equal(before, api.State()["queue"]!.ToJsonString());
        // Read only: nothing but logins and GETs.
        Assert.All(api.Requests().Skip(requestsBefore), r => Assert.True(r.StartsWith("GET ", StringComparison.Ordinal) || r.Contains("/login", StringComparison.Ordinal), r));
    }

    [Fact]
    public void A_registered_server_that_is_not_online_is_not_online()
    {
        var api = Fake("--never-online");
        Assert.Equal(0, PortalHelper.Run(api.Stdin(), "register", "--kind", "media", "--name", "m1", "--private-ip", "192.168.1.21").ExitCode);
        Assert.Equal("not-online\n", Status(api, "media", "m1", "192.168.1.21"));
    }

    [Fact]
    public void The_built_in_server_is_never_taken_for_an_extended_one()
    {
        var api = Fake();
        var builtIn = api.Servers("media").Single(s => (string?)s["type"] == "INTERNAL");
        Assert.Equal("other-ip\n", Status(api, "media", (string)builtIn["name"]!, (string?)builtIn["private_ipv4"] ?? "192.168.1.21"));
    }
}
