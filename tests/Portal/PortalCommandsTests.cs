using System.Text.Json;

namespace PortsipInfra.Tests.Portal;

public class PortalCommandsTests
{
    private const string Helper = "python3 \"$HOME/.portsip-infra/portsip_api.py\"";

    [Fact]
    public void The_helper_lives_in_the_programs_state_folder_on_pbx01()
    {
        Assert.Equal("$HOME/.portsip-infra/portsip_api.py", PortalCommands.HelperPath);
        Assert.True(File.Exists(Path.Combine(Support.StackFile.RepositoryRoot, PortalCommands.HelperSource)));
    }

    [Fact]
    public void Register_renders_a_media_server_with_its_public_ip_and_maximum_of_sessions()
    {
        var media = new ExtendedServerSettings(ServerRole.Media, "media-server-1", "192.168.1.21", "104.101.137.60", 5000);

        Assert.Equal(
            $"{Helper} register --kind media --name media-server-1 --private-ip 192.168.1.21 --public-ip 104.101.137.60 --max-sessions 5000 --enabled true",
            PortalCommands.Register(media, enabled: true));
    }

    [Fact]
    public void Register_leaves_out_what_is_not_set()
    {
        var media = new ExtendedServerSettings(ServerRole.Media, "media-server-2", "192.168.1.31");

        Assert.Equal($"{Helper} register --kind media --name media-server-2 --private-ip 192.168.1.31 --enabled false",
            PortalCommands.Register(media, enabled: false));
    }

    [Theory]
    [InlineData(ServerRole.Queue, "queue")]
    [InlineData(ServerRole.Meeting, "meeting")]
    [InlineData(ServerRole.Ivr, "ivr")]
    public void Register_gives_other_roles_only_name_address_and_enabled(ServerRole role, string kind)
    {
        // The API has no public address nor maximum of sessions for these kinds: the helper would refuse them.
        var server = new ExtendedServerSettings(role, $"{kind}-server-1", "192.168.1.22", "104.1.1.1", 100);

        Assert.Equal($"{Helper} register --kind {kind} --name {kind}-server-1 --private-ip 192.168.1.22 --enabled true",
            PortalCommands.Register(server, enabled: true));
    }

    [Fact]
    public void Values_with_shell_characters_are_quoted()
    {
        Assert.Equal($"{Helper} unregister --kind ivr --name 'ivr server '\"'\"'x'\"'\"'; rm -rf /'",
            PortalCommands.Unregister(ServerRole.Ivr, "ivr server 'x'; rm -rf /"));
        Assert.Equal($"{Helper} whitelist-add --ip 192.168.1.25 --description 'PortSIP IM server $(id)'",
            PortalCommands.WhitelistAdd("192.168.1.25", "PortSIP IM server $(id)"));
    }

    [Fact]
    public void The_other_actions_render_as_the_helper_expects()
    {
        Assert.Equal($"{Helper} unregister --kind media --name media-server-1", PortalCommands.Unregister(ServerRole.Media, "media-server-1"));
        Assert.Equal($"{Helper} unregister --kind media --name media-server-1 --private-ip 192.168.1.21", PortalCommands.Unregister(ServerRole.Media, "media-server-1", "192.168.1.21"));
        Assert.Equal($"{Helper} set-defaults-enabled --kind media --enabled false", PortalCommands.SetDefaultsEnabled(ServerRole.Media, false));
        Assert.Equal($"{Helper} set-defaults-enabled --kind ivr --enabled true", PortalCommands.SetDefaultsEnabled(ServerRole.Ivr, true));
        Assert.Equal($"{Helper} whitelist-remove --ip 192.168.1.26", PortalCommands.WhitelistRemove("192.168.1.26"));
        Assert.Equal($"{Helper} im-token", PortalCommands.ImToken(false));
        Assert.Equal($"{Helper} im-token --regenerate", PortalCommands.ImToken(true));
        Assert.Equal($"{Helper} sbc-token", PortalCommands.SbcToken(false));
        Assert.Equal($"{Helper} sbc-token --regenerate", PortalCommands.SbcToken(true));
        Assert.Equal($"{Helper} wait-online --kind meeting --name meeting-server-1 --timeout 900 --interval 10",
            PortalCommands.WaitOnline(ServerRole.Meeting, "meeting-server-1", 900, 10));
    }

    [Fact]
    public void Wait_online_needs_positive_times()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PortalCommands.WaitOnline(ServerRole.Media, "m", 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortalCommands.WaitOnline(ServerRole.Media, "m", 60, 0));
    }

    [Fact]
    public void Api_stdin_is_one_json_object_with_the_connection_and_the_secrets()
    {
        var json = PortalCommands.ApiStdin(PortalSettings.Default("192.168.1.130"), "p\"a's$s\\w<o>rd");

        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(["api_url", "username", "password"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("https://192.168.1.130:8887/api", root.GetProperty("api_url").GetString());
        Assert.Equal("admin", root.GetProperty("username").GetString());
        Assert.Equal("p\"a's$s\\w<o>rd", root.GetProperty("password").GetString());
        Assert.DoesNotContain('\n', json);
    }

    [Fact]
    public void Api_stdin_carries_the_pin_the_CA_and_the_permission_for_http_only_when_set()
    {
        var pinned = PortalSettings.Default("192.168.1.130") with { CertificateSha256 = new string('a', 64) };
        var withCa = PortalSettings.Default("192.168.1.130") with { CaPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" };
        var http = PortalSettings.Default("192.168.1.130") with { ApiUrl = "http://192.168.1.130:8899/api", AllowHttp = true };

        using var pin = JsonDocument.Parse(PortalCommands.ApiStdin(pinned, "pw"));
        using var ca = JsonDocument.Parse(PortalCommands.ApiStdin(withCa, "pw"));
        using var plain = JsonDocument.Parse(PortalCommands.ApiStdin(http, "pw"));

        Assert.Equal(new string('a', 64), pin.RootElement.GetProperty("certificate_sha256").GetString());
        Assert.False(pin.RootElement.TryGetProperty("ca_pem", out _));
        Assert.Equal(withCa.CaPem, ca.RootElement.GetProperty("ca_pem").GetString());
        Assert.False(ca.RootElement.TryGetProperty("certificate_sha256", out _));
        Assert.True(plain.RootElement.GetProperty("allow_http").GetBoolean());
        Assert.False(pin.RootElement.TryGetProperty("allow_http", out _));
    }

    [Fact]
    public void No_rendered_command_line_carries_a_secret()
    {
        var lines = new[]
        {
            PortalCommands.Register(new ExtendedServerSettings(ServerRole.Media, "media-server-1", "192.168.1.21"), true),
            PortalCommands.SetDefaultsEnabled(ServerRole.Queue, false),
            PortalCommands.ImToken(true),
            PortalCommands.SbcToken(false),
        };
        Assert.All(lines, l => Assert.DoesNotContain("password", l, StringComparison.OrdinalIgnoreCase));
        Assert.All(lines, l => Assert.StartsWith(Helper + " ", l));
    }
}
