using System.Runtime.Versioning;
using PortsipInfra.Tests.OverSsh;

namespace PortsipInfra.Tests.Scripts;

/// <summary>
/// key-file.sh (the one function that edits authorized_keys and known_hosts) and the scripts built on it, run
/// directly with sh in a scratch folder: atomic, only its own line, CRLF and a missing final newline handled,
/// mode kept, and nothing changed on a write error (a full tmpfs).
/// </summary>
[SupportedOSPlatform("linux")]
public class KeyFileScriptTests
{
    private const string Ours = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQOurs pbx@pbx01";
    private const string Other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOther admin@laptop";
    private const string WithOptions = "from=\"10.0.0.0/8\",command=\"echo 'hi there'\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBackup backup";
    // Holds our key's text inside a longer key and in a comment: not ours.
    private const string Lookalike = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQOursAndMore AAAAB3NzaC1yc2EAAAADAQABAAABAQOurs";

    private static SshResult Edit(ScratchHome home, string args, string shell = "/bin/sh") =>
        home.Run(RemoteFiles.Text("key-file.sh") + "key_file_edit " + args + "\n", null, shell);

    private static string Q(string s) => Shell.Quote(s);

    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path);

    private static string[] Leftovers(ScratchHome home, string folder = ".ssh") =>
        Directory.GetFiles(home.File(folder), ".portsip-keys.*");

    [Theory]
    [InlineData("/bin/sh")]
    [InlineData("/bin/bash")]
    public void A_key_goes_on_a_line_of_its_own_after_a_last_line_without_newline(string shell)
    {
        using var home = new ScratchHome();
        home.Write(".ssh/authorized_keys", Other);
        var added = Edit(home, $"\"$HOME/.ssh/authorized_keys\" add key {Q(Ours)}", shell);
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Equal("added\n", added.Stdout);
        Assert.Equal($"{Other}\n{Ours}\n", home.Read(".ssh/authorized_keys"));
        var again = Edit(home, $"\"$HOME/.ssh/authorized_keys\" add key {Q(Ours.Replace("pbx@pbx01", "another comment"))}", shell);
        Assert.Equal("present\n", again.Stdout);
        Assert.Equal($"{Other}\n{Ours}\n", home.Read(".ssh/authorized_keys"));
        Assert.Empty(Leftovers(home));
    }

    [Fact]
    public void Removing_takes_only_the_lines_of_that_key_and_keeps_every_other_byte()
    {
        using var home = new ScratchHome();
        var before = $"{Other}\n{WithOptions}\nno-pty {Ours}\n{Lookalike}\n# {Ours}\n\n{Ours}";
        home.Write(".ssh/authorized_keys", before);
        var removed = Edit(home, $"\"$HOME/.ssh/authorized_keys\" remove key {Q(Ours)}");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal("removed\n", removed.Stdout);
        // The key's own lines go (also under options); a longer key and a comment that mention it stay.
        Assert.Equal($"{Other}\n{WithOptions}\n{Lookalike}\n# {Ours}\n\n", home.Read(".ssh/authorized_keys"));
        var absent = Edit(home, $"\"$HOME/.ssh/authorized_keys\" remove key {Q(Ours)}");
        Assert.Equal("absent\n", absent.Stdout);
    }

    [Fact]
    public void Removing_the_only_line_leaves_an_empty_file()
    {
        using var home = new ScratchHome();
        home.Write(".ssh/authorized_keys", Ours + "\n");
        var removed = Edit(home, $"\"$HOME/.ssh/authorized_keys\" remove key {Q(Ours)}");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal("", home.Read(".ssh/authorized_keys"));
        Assert.Empty(Leftovers(home));
    }

    [Fact]
    public void CRLF_line_ends_are_recognised_and_kept()
    {
        using var home = new ScratchHome();
        home.Write(".ssh/authorized_keys", $"{Other}\r\n{Ours}\r\n{WithOptions}\r\n");
        Assert.Equal("present\n", Edit(home, $"\"$HOME/.ssh/authorized_keys\" add key {Q(Ours)}").Stdout);
        var removed = Edit(home, $"\"$HOME/.ssh/authorized_keys\" remove key {Q(Ours + "\r")}");
        Assert.Equal("removed\n", removed.Stdout);
        Assert.Equal($"{Other}\r\n{WithOptions}\r\n", home.Read(".ssh/authorized_keys"));
    }

    [Fact]
    public void The_files_mode_is_kept_and_a_new_file_is_the_users_only()
    {
        using var home = new ScratchHome();
        home.Write(".ssh/authorized_keys", $"{Other}\n{Ours}\n");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(home.File(".ssh/authorized_keys"), mode);
        Assert.Equal("removed\n", Edit(home, $"\"$HOME/.ssh/authorized_keys\" remove key {Q(Ours)}").Stdout);
        Assert.Equal(mode, Mode(home.File(".ssh/authorized_keys")));
        Assert.Equal("added\n", Edit(home, $"\"$HOME/.ssh/new_keys\" add key {Q(Ours)}").Stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(home.File(".ssh/new_keys")));
        Assert.Equal("absent\n", Edit(home, $"\"$HOME/.ssh/missing\" remove key {Q(Ours)}").Stdout);
        Assert.False(File.Exists(home.File(".ssh/missing")));
    }

    [Fact]
    public void A_symlinked_file_is_edited_where_it_points()
    {
        using var home = new ScratchHome();
        home.Write("keys/real", $"{Other}\n");
        Directory.CreateDirectory(home.File(".ssh"));
        File.CreateSymbolicLink(home.File(".ssh/authorized_keys"), home.File("keys/real"));
        Assert.Equal("added\n", Edit(home, $"\"$HOME/.ssh/authorized_keys\" add key {Q(Ours)}").Stdout);
        Assert.NotNull(new FileInfo(home.File(".ssh/authorized_keys")).LinkTarget);
        Assert.Equal($"{Other}\n{Ours}\n", home.Read("keys/real"));
    }

    [Fact]
    public void Known_hosts_lines_match_exactly()
    {
        using var home = new ScratchHome();
        const string pinned = "10.0.0.21 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey";
        // The same key recorded for another address is not this pin.
        home.Write(".ssh/known_hosts", "10.0.0.22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey");
        Assert.Equal("added\n", Edit(home, $"\"$HOME/.ssh/known_hosts\" add line {Q(pinned)}").Stdout);
        Assert.Equal("present\n", Edit(home, $"\"$HOME/.ssh/known_hosts\" add line {Q(pinned + "  ")}").Stdout);
        Assert.Equal($"10.0.0.22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey\n{pinned}\n", home.Read(".ssh/known_hosts"));
    }

    [Theory]
    [InlineData("add key 'ssh-rsa'", 2)]
    [InlineData("add key ''", 2)]
    [InlineData("replace key 'ssh-rsa AAAA'", 2)]
    [InlineData("add key 'a b\nc d'", 2)]
    public void Bad_calls_fail_and_change_nothing(string args, int exit)
    {
        using var home = new ScratchHome();
        home.Write(".ssh/authorized_keys", $"{Other}\n");
        var result = Edit(home, "\"$HOME/.ssh/authorized_keys\" " + args);
        Assert.Equal(exit, result.ExitCode);
        Assert.Equal($"{Other}\n", home.Read(".ssh/authorized_keys"));
    }

    [SkippableFact]
    public void A_full_disk_fails_the_edit_and_leaves_the_file_as_it_was()
    {
        if (Environment.UserName != "root" && !SimulatedHosts.IsCi)
        {
            Skip.If(true, "mounting a small tmpfs needs root");
        }
        using var home = new ScratchHome();
        var disk = home.File("disk");
        Directory.CreateDirectory(disk);
        var mount = SimulatedHosts.Run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk], null, TimeSpan.FromSeconds(10));
        Assert.True(mount.ExitCode == 0, mount.ToString());
        try
        {
            // Big enough that a rewritten copy cannot fit beside it, with the rest of the disk filled.
            var lines = string.Concat(Enumerable.Range(0, 900).Select(i => $"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey{i:D5}\n")) + Ours + "\n";
            File.WriteAllText(Path.Combine(disk, "authorized_keys"), lines);
            var fill = home.Run($"head -c 1000000 /dev/zero > {Q(Path.Combine(disk, "fill"))}");
            Assert.NotEqual(0, fill.ExitCode); // the disk is full now

            var removed = Edit(home, $"{Q(Path.Combine(disk, "authorized_keys"))} remove key {Q(Ours)}");
            Assert.Equal(1, removed.ExitCode);
            Assert.Contains("it is unchanged", removed.Stderr);
            var added = Edit(home, $"{Q(Path.Combine(disk, "authorized_keys"))} add key {Q(Other)}");
            Assert.Equal(1, added.ExitCode);

            Assert.Equal(lines, File.ReadAllText(Path.Combine(disk, "authorized_keys")));
            Assert.Empty(Directory.GetFiles(disk, ".portsip-keys.*"));
        }
        finally
        {
            SimulatedHosts.Run("umount", [disk], null, TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public void The_deploy_key_scripts_add_their_key_once_and_remove_only_it()
    {
        using var home = new ScratchHome();
        const string deploy = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeploy portsip-infra-deploy-key";
        home.Write(".ssh/authorized_keys", $"{Other}\r\n{WithOptions}");
        File.SetUnixFileMode(home.File(".ssh/authorized_keys"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var authorize = Components.DeployKey.AuthorizeScript;
        Assert.Equal("pbx01 now accepts the stack's deploy key\n", home.Run(authorize, deploy + "\n").Stdout);
        Assert.Equal("pbx01 already accepts the stack's deploy key\n", home.Run(authorize, deploy + "\n").Stdout);
        Assert.Equal($"{Other}\r\n{WithOptions}\n{deploy}\n", home.Read(".ssh/authorized_keys"));
        var revoke = Components.DeployKey.RevokeScript;
        Assert.Equal("pbx01 no longer accepts the stack's deploy key\n", home.Run(revoke, deploy + "\n").Stdout);
        Assert.Equal("pbx01 did not list the stack's deploy key; nothing to remove\n", home.Run(revoke, deploy + "\n").Stdout);
        Assert.Equal($"{Other}\r\n{WithOptions}\n", home.Read(".ssh/authorized_keys"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(home.File(".ssh/authorized_keys")));
    }

    [Fact]
    public void The_server_side_scripts_take_the_key_line_from_the_line_in_front()
    {
        using var home = new ScratchHome();
        home.Write(".ssh/authorized_keys", Other);
        string Remote(string driver, string line) =>
            RemoteFiles.Text("ssh-from-pbx01.sh") + $"remote_assign line {Q(line)} > \"$HOME/cmd\"\n"
            + $"cat >> \"$HOME/cmd\" <<'EOF'\n{RemoteFiles.Text("key-file.sh")}{RemoteFiles.Text(driver)}EOF\nsh \"$HOME/cmd\"\n";
        var quirky = Ours + " it's \"quoted\" $(touch pwned)";
        var add = home.Run(Remote("server-add-key.sh", quirky));
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("added\n", add.Stdout);
        Assert.Equal($"{Other}\n{quirky}\n", home.Read(".ssh/authorized_keys"));
        Assert.False(File.Exists(home.File("pwned")));
        Assert.Equal("removed\n", home.Run(Remote("server-remove-key.sh", Ours)).Stdout);
        Assert.Equal($"{Other}\n", home.Read(".ssh/authorized_keys"));
    }

    [Fact]
    public void The_askpass_helper_answers_a_password_prompt_from_its_stdin_only()
    {
        using var home = new ScratchHome();
        home.Write("askpass", RemoteFiles.Text("askpass.sh"));
        var askpass = home.File("askpass");
        Assert.Equal("pa ss'w\n", home.Run($"sh {Q(askpass)} \"pbx@10.0.0.21's password: \"", "pa ss'w\nkey line\n").Stdout);
        var other = home.Run($"sh {Q(askpass)} 'Are you sure you want to continue connecting (yes/no)? '", "secret\n");
        Assert.Equal(1, other.ExitCode);
        Assert.Equal("", other.Stdout);
    }
}
