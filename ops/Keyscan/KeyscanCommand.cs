using PortsipInfra.Ops.Ssh;
using PortsipInfra.Ops.Stack;

namespace PortsipInfra.Ops.Keyscan;

/// <summary>
/// <c>ops keyscan</c>: reads the host key of the bastion and pbx01 directly, and of every server of the stack through
/// pbx01 (a forwarded port: nothing runs on pbx01), prints each fingerprint as <c>ssh-keygen -lf</c> does, and with
/// --write pins them in the stack file.
/// </summary>
public static class KeyscanCommand
{
    private sealed record Row(ScanTarget Target, HostKeySeen? Seen, string? Error);

    public static int Run(Options options, TextWriter output, TextWriter errors, Func<string, string?> environment, string cwd)
    {
        var stack = StackFile.Load(options.Stack, cwd);
        var identity = Credentials.SshKey(options.KeyFile, environment);
        var known = KnownHosts.Load(options.KnownHostsFiles);
        var policy = new TrustPolicy(AcceptNew: true, options.Replace, options.Stack);
        foreach (var name in options.Replace)
        {
            if (!ScanTarget.Entry(stack.Site).Concat(ScanTarget.Servers(stack.Site)).Any(t => t.Name == name))
            {
                throw new OpsError($"--replace {name}: no host of that name in {stack.Name} (pbx01, bastion, a server's name, im, dataflow)");
            }
        }

        var rows = new List<Row>();
        var seen = new List<HostKeySeen>();
        string? loginError = null;
        SiteConnection? connection = null;
        try
        {
            connection = SiteConnection.Open(stack, identity, known, policy, seen);
        }
        catch (OpsError e)
        {
            loginError = e.Message;
        }
        using (connection)
        {
            foreach (var target in ScanTarget.Entry(stack.Site))
            {
                rows.Add(new Row(target, seen.FirstOrDefault(s => s.Name == target.Name), null));
            }
            if (connection is not null)
            {
                var onPbx01 = ReadPbx01KnownHosts(connection);
                foreach (var target in ScanTarget.Servers(stack.Site))
                {
                    rows.Add(Scan(connection, target, onPbx01, stack.Name));
                }
            }
        }

        output.WriteLine($"Host keys of {stack.Name}, as ssh-keygen -lf shows them (compare each with ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the server's console):");
        var width = rows.Max(r => r.Target.Name.Length);
        foreach (var row in rows)
        {
            output.WriteLine($"  {row.Target.Name.PadRight(width)}  {Describe(row, policy)}");
        }
        var failed = rows.Count(r => r.Error is not null);
        if (loginError is not null)
        {
            errors.WriteLine($"ops: {loginError}");
            errors.WriteLine($"ops: the {ScanTarget.Servers(stack.Site).Count} servers behind pbx01 were not scanned");
        }
        var changed = rows.Where(r => r.Seen is { Verdict: HostKeyVerdict.Changed } && !options.Replace.Contains(r.Target.Name)).ToList();
        if (options.Write)
        {
            Write(stack, rows, policy, output);
        }
        foreach (var row in changed)
        {
            errors.WriteLine($"ops: {row.Target.Name}'s host key has CHANGED; it was not {(options.Write ? "written" : "accepted")}. "
                + $"If the fingerprint above is the one on its console, run again with --replace {row.Target.Name}");
        }
        return loginError is null && failed == 0 && changed.Count == 0 ? OpsProgram.Ok : OpsProgram.Error;
    }

    private static Row Scan(SiteConnection connection, ScanTarget target, KnownHosts onPbx01, string file)
    {
        var check = new HostKeyCheck(target.Address, target.Port, SiteConnection.Pinned(target.Pinned), $"{target.ConfigKey} in {file}", onPbx01);
        try
        {
            using var tunnel = connection.Forward(target.Address, target.Port);
            var key = SshLogin.ReadHostKey(target.Name, target.Address, target.Port, tunnel.Local, check.Algorithms(), tunnel);
            var (verdict, expected) = check.Judge(key);
            return new Row(target, new HostKeySeen(target.Name, target.Address, key, verdict, expected), null);
        }
        catch (OpsError e)
        {
            return new Row(target, null, e.Message);
        }
    }

    /// <summary>What pbx01 itself already trusts (the program's trust step records servers there on first contact).</summary>
    private static KnownHosts ReadPbx01KnownHosts(SiteConnection connection)
    {
        var known = new KnownHosts();
        var (_, text, _) = connection.Run("cat ~/.ssh/known_hosts 2>/dev/null || true");
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            known.Add(line, $"pbx01's ~/.ssh/known_hosts:{++number}");
        }
        return known;
    }

    private static string Describe(Row row, TrustPolicy policy)
    {
        if (row.Seen is not { } seen)
        {
            return row.Error is { } error ? $"not read: {error}" : $"{row.Target.Address}: not read (see below)";
        }
        var verdict = seen.Verdict switch
        {
            HostKeyVerdict.Pinned => "pinned",
            HostKeyVerdict.Known => row.Target.ConfigKey is "pbx01HostKey" or "bastionHostKey" ? "known (known_hosts)" : "known to pbx01 (its known_hosts)",
            HostKeyVerdict.New => "new: not pinned yet",
            _ => $"CHANGED: {seen.Expected}" + (policy.Trusts(seen.Name, seen.Verdict) ? " (replaced, --replace)" : ""),
        };
        return $"{seen.Key.KeygenLine(seen.Address)}  {verdict}";
    }

    private static void Write(StackFile stack, List<Row> rows, TrustPolicy policy, TextWriter output)
    {
        var text = stack.Text;
        var written = new List<string>();
        foreach (var row in rows)
        {
            if (row.Seen is not { } seen || seen.Verdict == HostKeyVerdict.Pinned || !policy.Trusts(seen.Name, seen.Verdict))
            {
                continue;
            }
            text = HostKeyEditor.Set(text, stack.Project, row.Target.ConfigKey, seen.Key.Line, row.Target.Anchor);
            written.Add(row.Target.ConfigKey);
        }
        if (written.Count == 0)
        {
            output.WriteLine($"{stack.Name}: nothing to write, every key read is pinned already");
            return;
        }
        // The edited file must still be a valid stack that pins exactly the keys read.
        var after = StackFile.FromText(stack.Path, stack.Project, text);
        var pinned = ScanTarget.Entry(after.Site).Concat(ScanTarget.Servers(after.Site)).ToDictionary(t => t.ConfigKey, t => t.Pinned);
        foreach (var row in rows.Where(r => written.Contains(r.Target.ConfigKey)))
        {
            if (pinned.GetValueOrDefault(row.Target.ConfigKey) != row.Seen!.Key.Line)
            {
                throw new OpsError($"internal error: {row.Target.ConfigKey} does not read back as written; {stack.Name} was left unchanged");
            }
        }
        var temporary = stack.Path + ".ops-keyscan.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, stack.Path, overwrite: true);
        output.WriteLine($"{stack.Name}: pinned {written.Count} host key{(written.Count == 1 ? "" : "s")}: {string.Join(", ", written)}");
    }
}
