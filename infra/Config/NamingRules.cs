using System.Text.RegularExpressions;

namespace PortsipInfra;

/// <summary>
/// What the program accepts for names, images, paths and users. Every value checked here ends up in a shell
/// command on pbx01, so each rule also keeps shell metacharacters out (values are quoted as well).
/// </summary>
public static partial class NamingRules
{
    /// <summary>
    /// Server names: 1 to 64 characters (the Web Portal's limit), letters, digits, '.', '_' and '-', starting
    /// with a letter or digit. Spaces and other punctuation are refused: the same name is typed on the
    /// extend.sh command line and must match the portal exactly.
    /// </summary>
    public const string ServerNameRule = "1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex ServerName();

    public static bool IsServerName(string value) => ServerName().IsMatch(value);

    /// <summary>
    /// A Docker image reference such as portsip/pbx:22, portsip/clickhouse:26.3 or, from a private registry,
    /// registry.corp.local:5000/portsip/pbx:22 (Docker's rule: the first part is a registry when it has a '.' or a
    /// ':port', or is localhost).
    /// </summary>
    public const string ImageRule = "a Docker image like portsip/pbx:22 or registry.example.com:5000/portsip/pbx:22 (optional registry, lower-case repository, optional :tag)";

    [GeneratedRegex(@"^(?:(?:localhost|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)(?::[0-9]{1,5})?/|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?:[0-9]{1,5}/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?\z")]
    private static partial Regex Image();

    public static bool IsImage(string value) => value.Length <= 255 && Image().IsMatch(value);

    public const string PathRule = "an absolute path made of letters, digits, '/', '.', '_' and '-' (no '..')";

    [GeneratedRegex(@"^/[A-Za-z0-9._/-]*\z")]
    private static partial Regex AbsolutePath();

    public static bool IsAbsolutePath(string value) =>
        value.Length <= 255 && AbsolutePath().IsMatch(value) && !value.Split('/').Contains("..");

    public const string UserRule = "a Linux user name: lower-case letters, digits, '_' or '-', starting with a letter or '_'";

    [GeneratedRegex(@"^[a-z_][a-z0-9_-]{0,31}\z")]
    private static partial Regex User();

    public static bool IsUser(string value) => User().IsMatch(value);

    public const string HostRule = "an IPv4 address or a DNS host name";

    [GeneratedRegex(@"^(?=.{1,253}\z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\z")]
    private static partial Regex HostName();

    public static bool IsHost(string value) => HostName().IsMatch(value);

    /// <summary>An OpenSSH public host key line: "ssh-ed25519 AAAA..." (the key type and the base64 key).</summary>
    public const string HostKeyRule = "an OpenSSH public key line such as 'ssh-ed25519 AAAAC3Nz...' (as in ssh-keyscan's output, without the host name)";

    /// <summary>
    /// True when <paramref name="value"/>, spaces around it aside, is a whole, well-formed host key line (see
    /// <see cref="SshHostKey"/>). The renderers trim it; the config itself refuses the spaces (StackConfigReader).
    /// </summary>
    public static bool IsHostKey(string value) => SshHostKey.Problem(value.Trim()) is null;
}
