using System.Collections.Immutable;

namespace PortsipInfra.Tests;

/// <summary>The command lines are the guides' own, letter for letter, and no value can break out of them.</summary>
public class GuideCommandsTests
{
    private const string Guide = "/opt/portsip-pbx-ha-guide";

    [Fact]
    public void Step_3_deploy_the_media_server()
    {
        var server = new ExtendedServerSettings(ServerRole.Media, "media-server-1", "192.168.1.21", "104.101.137.60", 5000);
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash extend.sh run -s media-server-only -n media-server-1 -a 192.168.1.21",
            GuideCommands.ExtendRun(Guide, server));
    }

    [Fact]
    public void Remove_the_server_names_its_role_and_IP()
    {
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash extend.sh rm -s ivr-server-only -a 192.168.1.24",
            GuideCommands.ExtendRemove(Guide, ServerRole.Ivr, "192.168.1.24"));
    }

    [Fact]
    public void Upgrade_a_specific_type_of_extended_server()
    {
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash extend.sh upgrade -s meeting-server-only",
            GuideCommands.ExtendUpgrade(Guide, ServerRole.Meeting));
    }

    [Fact]
    public void Deploy_the_IM_service_with_a_custom_storage_path()
    {
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash im.sh run -a 192.168.1.25 -A 104.18.36.110 -f /data/im",
            GuideCommands.ImRun(Guide, new ImSettings("192.168.1.25", "104.18.36.110", "/data/im", true)));
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash im.sh run -a 192.168.1.25 -A 104.18.36.110",
            GuideCommands.ImRun(Guide, new ImSettings("192.168.1.25", "104.18.36.110", null, true)));
    }

    [Fact]
    public void Deploy_an_SBC_server_with_the_certificate_manager()
    {
        var sbc = new SbcSettings("portsip/sbc:11", true, ImmutableArray<SbcServerSettings>.Empty);
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash sbc.sh run -a 192.168.1.11 -i portsip/sbc:11 -c",
            GuideCommands.SbcRun(Guide, sbc, "192.168.1.11"));
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash sbc.sh upgrade -a 192.168.1.11 -i portsip/sbc:11 -c",
            GuideCommands.SbcUpgrade(Guide, sbc, "192.168.1.11"));
    }

    [Fact]
    public void Deploy_the_Data_Flow_service_with_every_option()
    {
        var df = new DataFlowSettings("192.168.1.26", "104.18.36.126", "/var/lib/portsip", "portsip/clickhouse:26.3", "portsip/pbx:22");
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash dataflow.sh run -p /var/lib/portsip -a 192.168.1.26 -A 104.18.36.126 -d portsip/clickhouse:26.3 -i portsip/pbx:22",
            GuideCommands.DataFlowRun(Guide, df));
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash dataflow.sh upgrade -d portsip/clickhouse:26.3",
            GuideCommands.DataFlowUpgrade(Guide, df));
    }

    [Fact]
    public void Upgrade_the_PBX_image()
    {
        var pbx = new PbxClusterSettings("192.168.1.131", "192.168.1.130", null, Guide, "portsip/pbx:22", true,
            new SshSettings("pbx", 22, null, null));
        Assert.Equal("cd /opt/portsip-pbx-ha-guide/ && /bin/bash update.sh portsip/pbx:22 -c", GuideCommands.PbxUpdate(pbx));
    }

    [Theory]
    [InlineData("media-server-1", "media-server-1")]
    [InlineData("a b", "'a b'")]
    [InlineData("x;reboot", "'x;reboot'")]
    [InlineData("it's", "'it'\"'\"'s'")]
    [InlineData("$(id)", "'$(id)'")]
    [InlineData("", "''")]
    public void Values_that_a_shell_would_interpret_are_quoted(string value, string quoted)
    {
        Assert.Equal(quoted, Shell.Quote(value));
    }

    [Fact]
    public void A_quoted_value_reaches_the_script_unchanged()
    {
        var nasty = "a'b\"c $(id) `id` ;|&";
        var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", "printf %s " + Shell.Quote(nasty)]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(nasty, output);
    }
}
