using PortsipInfra.Tests.Support;

namespace PortsipInfra.Tests.Scripts;

/// <summary>
/// The owner mark's scripts run directly with sh and bash in a scratch home: site-owner.sh (the owner step),
/// site-owner-release.sh (its delete) and owner-check.sh (in front of every other command).
/// </summary>
public class SiteOwnerScriptTests
{
    public static TheoryData<string> Shells => ["/bin/sh", "/bin/bash"];

    private const string Ours = "0b6f3c9e-2a41-4d7e-9c55-31f0a8d2e7b4";
    private const string OurStack = "acme/portsip-infra/prod";
    private const string Theirs = "7d1e8a20-5c3b-4f66-8e2d-9a0b4c6f1e35";
    private const string TheirStack = "acme/portsip-infra/branch-office";
    private const string MarkFile = ".portsip-infra/site-owner";

    private static string MarkOf(string id, string stack) => $"id={id}\nstack={stack}\n";

    /// <summary>A command as SiteOwnership makes it: the check, then a line that leaves a trace (and echoes its stdin).</summary>
    private static string Checked(string id = Ours, string stack = OurStack) => OwnerScripts.Check(id, stack) + "cat > \"$HOME/ran\"\n";

    [Theory]
    [MemberData(nameof(Shells))]
    public void With_no_mark_the_owner_step_writes_it_and_the_other_commands_then_run(string shell)
    {
        using var home = new ScratchHome();
        var refused = home.Run(Checked(), "x", shell);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{OurStack} (site id {Ours}): refused, nothing was changed: pbx01 carries no owner mark", refused.Stderr);
        Assert.False(File.Exists(home.File("ran")));

        var mark = home.Run(OwnerScripts.Mark(Ours, OurStack, null), null, shell);
        Assert.True(mark.ExitCode == 0, mark.ToString());
        Assert.Equal($"pbx01 is marked as the site of stack {OurStack} (site id {Ours})\n", mark.Stdout);
        Assert.Equal(MarkOf(Ours, OurStack), home.Read(MarkFile));

        // The check reads no stdin: the command after it gets all of it (the portal password, a token).
        var ran = home.Run(Checked(), "secret on stdin\n", shell);
        Assert.True(ran.ExitCode == 0, ran.ToString());
        Assert.Equal("secret on stdin\n", home.Read("ran"));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void The_own_mark_is_kept_and_a_renamed_stack_updates_its_name(string shell)
    {
        using var home = new ScratchHome();
        home.Write(MarkFile, MarkOf(Ours, OurStack));
        var again = home.Run(OwnerScripts.Mark(Ours, OurStack, null), null, shell);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal($"pbx01 is the site of stack {OurStack} (site id {Ours})\n", again.Stdout);

        var renamed = home.Run(OwnerScripts.Mark(Ours, "acme/portsip-infra/main", null), null, shell);
        Assert.Equal(0, renamed.ExitCode);
        Assert.Equal(MarkOf(Ours, "acme/portsip-infra/main"), home.Read(MarkFile));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void Another_stacks_mark_is_refused_naming_both_and_left_as_it_is(string shell)
    {
        using var home = new ScratchHome();
        home.Write(MarkFile, MarkOf(Theirs, TheirStack));

        var owner = home.Run(OwnerScripts.Mark(Ours, OurStack, null), null, shell);
        Assert.Equal(1, owner.ExitCode);
        Assert.Equal(
            $"{OurStack} (site id {Ours}): refused, nothing was changed: pbx01 belongs to stack {TheirStack} (site id {Theirs}). "
            + "A stack drives only its own site: check that this stack file names the right pbx01. To hand the site over to this stack, "
            + $"set takeOverSiteFrom: {Theirs} in its config and run pulumi up again (README, One stack owns a site).\n", owner.Stderr);
        Assert.Equal(MarkOf(Theirs, TheirStack), home.Read(MarkFile));

        var command = home.Run(Checked(), "x", shell);
        Assert.Equal(1, command.ExitCode);
        Assert.Contains($"{OurStack} (site id {Ours}): refused, nothing was changed: pbx01 belongs to stack {TheirStack} (site id {Theirs})", command.Stderr);
        Assert.False(File.Exists(home.File("ran")));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void A_handover_replaces_the_mark_only_when_it_names_its_id(string shell)
    {
        using var home = new ScratchHome();
        home.Write(MarkFile, MarkOf(Theirs, TheirStack));

        var wrong = home.Run(OwnerScripts.Mark(Ours, OurStack, "11111111-2222-4333-8444-555555555555"), null, shell);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains($"takeOverSiteFrom is 11111111-2222-4333-8444-555555555555, but pbx01 belongs to stack {TheirStack} (site id {Theirs})", wrong.Stderr);
        Assert.Equal(MarkOf(Theirs, TheirStack), home.Read(MarkFile));

        var right = home.Run(OwnerScripts.Mark(Ours, OurStack, Theirs), null, shell);
        Assert.True(right.ExitCode == 0, right.ToString());
        Assert.StartsWith($"pbx01 is handed over from stack {TheirStack} (site id {Theirs}) to stack {OurStack} (site id {Ours})\n", right.Stdout);
        Assert.Equal(MarkOf(Ours, OurStack), home.Read(MarkFile));

        // The old owner is refused from now on; the new one runs.
        Assert.Equal(1, home.Run(Checked(Theirs, TheirStack), "x", shell).ExitCode);
        Assert.Equal(0, home.Run(Checked(), "x", shell).ExitCode);
        // The key left in place changes nothing.
        Assert.Equal(0, home.Run(OwnerScripts.Mark(Ours, OurStack, Theirs), null, shell).ExitCode);
        Assert.Equal(MarkOf(Ours, OurStack), home.Read(MarkFile));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public void The_delete_removes_only_its_own_mark(string shell)
    {
        using var home = new ScratchHome();
        home.Write(MarkFile, MarkOf(Theirs, TheirStack));
        var foreign = home.Run(OwnerScripts.Release(Ours, OurStack), null, shell);
        Assert.Equal(0, foreign.ExitCode);
        Assert.Equal($"pbx01 belongs to stack {TheirStack} (site id {Theirs}), not to {OurStack} (site id {Ours}): its mark is left as it is\n", foreign.Stdout);
        Assert.Equal(MarkOf(Theirs, TheirStack), home.Read(MarkFile));

        home.Write(MarkFile, MarkOf(Ours, OurStack));
        var own = home.Run(OwnerScripts.Release(Ours, OurStack), null, shell);
        Assert.Equal(0, own.ExitCode);
        Assert.False(File.Exists(home.File(MarkFile)));

        var none = home.Run(OwnerScripts.Release(Ours, OurStack), null, shell);
        Assert.Equal(0, none.ExitCode);
        Assert.Equal("pbx01 carries no owner mark; nothing to remove\n", none.Stdout);
    }
}
