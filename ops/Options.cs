namespace PortsipInfra.Ops;

/// <summary>The command line: <c>keyscan</c> or <c>status</c>, and their options.</summary>
public sealed record Options(
    string Command,
    string Stack,
    bool Write,
    IReadOnlySet<string> Replace,
    bool Json,
    string? KeyFile,
    IReadOnlyList<string> KnownHostsFiles,
    string? PortalCa,
    string? PortalName)
{
    public const string Usage =
        """
        usage: ops keyscan --stack STACK [--write] [--replace NAME]... [--key FILE] [--known-hosts FILE]...
               ops status  --stack STACK [--json] [--key FILE] [--known-hosts FILE]... [--portal-ca FILE] [--portal-name NAME]

          --stack STACK       a stack name (prod: Pulumi.prod.yaml beside Pulumi.yaml) or a stack file's path
          --write             keyscan: pin the keys read in the stack file (pbx01HostKey, bastionHostKey, hostKey)
          --replace NAME      keyscan: accept and pin the changed key of NAME (pbx01, bastion, a server's name,
                              im, dataflow) after checking its fingerprint on the console
          --json              status: print the comparison as JSON
          --key FILE          the SSH private key for pbx01 (default: $PORTSIP_SSH_PRIVATE_KEY, else ~/.ssh/id_ed25519,
                              id_ecdsa, id_rsa); an encrypted key's passphrase comes from $PORTSIP_SSH_KEY_PASSPHRASE
          --known-hosts FILE  trust the host keys recorded there (default: ~/.ssh/known_hosts)
          --portal-ca FILE    status: trust this CA certificate (PEM) for the Web Portal instead of the system's
          --portal-name NAME  status: the name the portal's certificate is issued for (default: the virtual IP)

        The Web Portal password comes from $PORTSIP_PORTAL_PASSWORD. Secrets are never taken from the command line.
        Exit status: 0 all is well, 1 an error, 2 (status) the site differs from the stack file.
        """;

    public static Options Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            throw new UsageRequested();
        }
        var command = args[0];
        if (command is not ("keyscan" or "status"))
        {
            throw new OpsError($"unknown command '{command}'\n{Usage}");
        }
        string? stack = null, key = null, ca = null, name = null;
        bool write = false, json = false;
        var replace = new HashSet<string>(StringComparer.Ordinal);
        var knownHosts = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new OpsError($"{args[i]} needs a value\n{Usage}");
            switch (args[i])
            {
                case "--stack": stack = Value(); break;
                case "--key": key = Value(); break;
                case "--known-hosts": knownHosts.Add(Value()); break;
                case "--write" when command == "keyscan": write = true; break;
                case "--replace" when command == "keyscan": replace.Add(Value()); break;
                case "--json" when command == "status": json = true; break;
                case "--portal-ca" when command == "status": ca = Value(); break;
                case "--portal-name" when command == "status": name = Value(); break;
                case "-h" or "--help": throw new UsageRequested();
                default: throw new OpsError($"{command}: unknown option '{args[i]}'\n{Usage}");
            }
        }
        if (stack is null)
        {
            throw new OpsError($"{command} needs --stack (a stack name such as prod, or a stack file)\n{Usage}");
        }
        if (knownHosts.Count == 0 && environment("HOME") is { Length: > 0 } home)
        {
            knownHosts.Add(Path.Combine(home, ".ssh", "known_hosts"));
        }
        return new Options(command, stack, write, replace, json, key, knownHosts, ca, name);
    }
}

/// <summary>-h or --help: the usage goes to stdout and the exit status is 0.</summary>
public sealed class UsageRequested : Exception;
