using PortsipInfra.Ops;
using PortsipInfra.Ops.Stack;

namespace PortsipInfra.Tests.Ops;

/// <summary>
/// ops reads a stack file with the program's own rules, and pins host keys in it by editing only the values it
/// sets: every other line (comments, order, quoting, flow or block style) stays byte for byte.
/// </summary>
public sealed class StackFileEditTests
{
    private static readonly string Prod = File.ReadAllText(Path.Combine(Support.StackFile.RepositoryRoot, "Pulumi.prod.yaml"));
    private static readonly string KeyA = HostKeyTests.Key(1).Line;
    private static readonly string KeyB = HostKeyTests.Key(2).Line;

    [Fact]
    public async Task The_prod_stack_file_reads_as_the_program_reads_it_under_Pulumi()
    {
        var stack = StackFile.Load("prod", Support.StackFile.RepositoryRoot);
        await Support.PulumiRun.WithConfig(Support.StackFile.Load("prod"), () => Pulumi.Deployment.TestAsync<ConfigCapture>(
            Support.PulumiRun.Mocks(), new Pulumi.Testing.TestOptions { ProjectName = "portsip-infra", StackName = "prod", IsPreview = true }));
        var expected = SiteValidator.Validate(ConfigCapture.Read!).Topology!;

        Assert.Equal("portsip-infra", stack.Project);
        Assert.Equal(expected.Pbx, stack.Site.Pbx);
        Assert.Equal(expected.ExtendedServers.AsEnumerable(), stack.Site.ExtendedServers.AsEnumerable());
        Assert.Equal(expected.Im, stack.Site.Im);
        Assert.Equal(expected.Sbc!.Servers.AsEnumerable(), stack.Site.Sbc!.Servers.AsEnumerable());
        Assert.Equal(expected.DataFlow, stack.Site.DataFlow);
        Assert.Equal(expected.Portal, stack.Site.Portal);
    }

    [Fact]
    public void A_bad_stack_file_is_refused_with_every_problem_named_by_key()
    {
        var text = Prod.Replace("privateIp: 192.168.1.22", "privateIP: 192.168.1.22").Replace("pbx01: 192.168.1.131", "pbx01: 192.168.1.300");

        var error = Assert.Throws<OpsError>(() => StackFile.FromText("/x/Pulumi.prod.yaml", "portsip-infra", text));

        Assert.StartsWith("Pulumi.prod.yaml has 3 problems:", error.Message);
        Assert.Contains("portsip-infra:pbx01: '192.168.1.300' is not an IPv4 address", error.Message);
        Assert.Contains("portsip-infra:queueServers[0]", error.Message);
        Assert.Contains("privateIP", error.Message);
    }

    [Fact]
    public void Pinning_adds_each_missing_key_as_one_line_and_changes_nothing_else()
    {
        var text = Prod;
        text = HostKeyEditor.Set(text, "portsip-infra", "pbx01HostKey", KeyA, "pbx01");
        text = HostKeyEditor.Set(text, "portsip-infra", "mediaServers[0].hostKey", KeyA);
        text = HostKeyEditor.Set(text, "portsip-infra", "sbc.servers[2].hostKey", KeyB);
        text = HostKeyEditor.Set(text, "portsip-infra", "im.hostKey", KeyB);
        text = HostKeyEditor.Set(text, "portsip-infra", "dataFlow.hostKey", KeyA);

        var added = Lines(text).Except(Lines(Prod)).ToList();
        Assert.Equal(
        [
            $"  portsip-infra:pbx01HostKey: {KeyA}",
            $"      hostKey: {KeyA}",
            $"    hostKey: {KeyB}",
            $"        hostKey: {KeyB}",
            $"    hostKey: {KeyA}",
        ], added);
        Assert.Equal(Lines(Prod), Lines(text).Where(l => !added.Contains(l)));
        // Right after the line it belongs to.
        Assert.Contains($"portsip-infra:pbx01: 192.168.1.131\n  portsip-infra:pbx01HostKey: {KeyA}\n", text);
        Assert.Contains($"maxSessions: 5000\n      hostKey: {KeyA}\n", text);

        var site = StackFile.FromText("/x/Pulumi.prod.yaml", "portsip-infra", text).Site;
        Assert.Equal(KeyA, site.Pbx.Ssh.HostKey);
        Assert.Equal(KeyA, site.ExtendedServers[0].HostKey);
        Assert.Equal([null, null, KeyB], site.Sbc!.Servers.Select(s => s.HostKey));
        Assert.Equal(KeyB, site.Im!.HostKey);
        Assert.Equal(KeyA, site.DataFlow!.HostKey);
    }

    [Fact]
    public void Pinning_replaces_only_the_value_of_an_existing_key_and_keeps_its_comment()
    {
        var text = Prod.Replace("  portsip-infra:sshUser: pbx\n", $"  portsip-infra:sshUser: pbx\n  portsip-infra:pbx01HostKey: \"{KeyB}\"  # from the console\n");

        var edited = HostKeyEditor.Set(text, "portsip-infra", "pbx01HostKey", KeyA, "pbx01");

        Assert.Equal(text.Replace($"\"{KeyB}\"", KeyA), edited);
        Assert.Same(edited, HostKeyEditor.Set(edited, "portsip-infra", "pbx01HostKey", KeyA, "pbx01"));
    }

    [Fact]
    public void Pinning_in_a_flow_style_entry_stays_in_flow_style()
    {
        var text = "config:\n  portsip-infra:pbx01: 10.0.0.1\n  portsip-infra:virtualIp: 10.0.0.2\n"
            + "  portsip-infra:queueServers: [{ name: queue-server-1, privateIp: 10.0.0.22 }]  # the queue\n";

        var edited = HostKeyEditor.Set(text, "portsip-infra", "queueServers[0].hostKey", KeyA);

        Assert.Equal(text.Replace("10.0.0.22 }", $"10.0.0.22, hostKey: {KeyA} }}"), edited);
        Assert.Equal(KeyA, StackFile.FromText("/x/Pulumi.s.yaml", "portsip-infra", edited).Site.ExtendedServers[0].HostKey);
    }

    [Fact]
    public void Windows_line_ends_are_kept()
    {
        var text = Prod.ReplaceLineEndings("\r\n");

        var edited = HostKeyEditor.Set(text, "portsip-infra", "ivrServers[0].hostKey", KeyA);

        Assert.Contains($"privateIp: 192.168.1.24\r\n      hostKey: {KeyA}\r\n", edited);
        Assert.DoesNotContain("\n", edited.Replace("\r\n", ""));
    }

    private static string[] Lines(string text) => text.Split('\n');

    /// <summary>A stack that only reads the config, as the program does (StackConfigReader needs a Pulumi run).</summary>
    public sealed class ConfigCapture : Pulumi.Stack
    {
        public static StackConfig? Read { get; private set; }

        public ConfigCapture() => Read = StackConfigReader.Read(new Pulumi.Config(), PortsipInfra.Tests.Support.PulumiRun.Project);
    }
}
