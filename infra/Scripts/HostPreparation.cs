namespace PortsipInfra;

/// <summary>
/// A new cluster server as <see cref="HostPreparation.Preflight"/> checks it: <paramref name="Label"/> names it in
/// messages (like <c>media-server-1 (192.168.1.21)</c>), <paramref name="User"/> is the PBX's SSH user,
/// <paramref name="Ip"/> its private address, <paramref name="MinDiskGb"/> the disk the guides ask for (128 GB,
/// 256 GB for a Media Server that records calls) and <paramref name="WarnOnly"/> the checks (names in
/// <see cref="HostPreparation.Checks"/>) whose failure is only reported as a warning.
/// </summary>
public sealed record PreflightTarget(string Label, string User, string Ip, int MinDiskGb, IReadOnlySet<string> WarnOnly);

/// <summary>
/// The scripts that prepare a new cluster server before a guide script deploys to it, as the guides' "Preparing
/// the Linux Host Machine" and "Set Up Password-Free Login" sections ask. Each runs ON pbx01 (POSIX sh and the
/// OpenSSH client of Ubuntu 24.04, nothing else), as the SSH user, like every other command of the program:
/// <list type="bullet">
/// <item><see cref="Trust"/> does what <c>ssh-copy-id -i ~/.ssh/id_rsa.pub pbx@IP</c> does, without a terminal;</item>
/// <item><see cref="Untrust"/> takes pbx01's key off a server that leaves the cluster;</item>
/// <item><see cref="Preflight"/> checks every host requirement of the guides and reports all that are unmet at once.</item>
/// </list>
/// </summary>
public static class HostPreparation
{
    /// <summary>The names of the preflight checks, as <see cref="PreflightTarget.WarnOnly"/> takes them.</summary>
    public static class Checks
    {
        /// <summary>The server runs the same OS release as pbx01 (ID and VERSION_ID of /etc/os-release).</summary>
        public const string Os = "os";

        /// <summary>The file system that holds /var/lib is at least <see cref="PreflightTarget.MinDiskGb"/> big.</summary>
        public const string Disk = "disk";

        /// <summary>No PostgreSQL on the host: no package, no binary, no postgres process outside containers.</summary>
        public const string PostgreSql = "postgresql";

        /// <summary>The clock is synchronized (timedatectl, chrony or ntpd) and agrees with pbx01's.</summary>
        public const string Clock = "clock";

        /// <summary>The server's address is configured statically on one of its interfaces, not leased by DHCP.</summary>
        public const string StaticIp = "static-ip";

        /// <summary>Nothing serves DNS (port 53) or DHCP (udp 67) beyond the loopback interface.</summary>
        public const string DnsDhcp = "dns-dhcp";

        /// <summary>The user has sudo rights.</summary>
        public const string Sudo = "sudo";

        public static readonly IReadOnlyList<string> All = [Os, Disk, PostgreSql, Clock, StaticIp, DnsDhcp, Sudo];
    }

    /// <summary>
    /// The share of <see cref="PreflightTarget.MinDiskGb"/> that the file system must reach: a disk sold as
    /// 128 GB shows up as a somewhat smaller file system once partitioned and formatted (a /boot and an EFI
    /// partition, ext4's own metadata), so 90% of the size is accepted.
    /// </summary>
    public const int DiskAllowancePercent = 90;

    /// <summary>Largest difference between the server's clock and pbx01's that passes, in seconds.</summary>
    public const int MaxClockSkewSeconds = 5;

    private static string Q(string value) => Shell.Quote(value);

    private static void CheckUserAndIp(string user, string serverIp)
    {
        if (!NamingRules.IsUser(user))
        {
            throw new ArgumentException($"'{user}' is not {NamingRules.UserRule}", nameof(user));
        }
        if (Ipv4.Problem(serverIp) is { } problem)
        {
            throw new ArgumentException($"'{serverIp}' {problem}", nameof(serverIp));
        }
    }

    /// <summary>Options of every SSH connection pbx01 makes here: no agent or forwarding, a short dial.</summary>
    private const string CommonSshOptions =
        "-o ConnectTimeout=10 -o ServerAliveInterval=15 -o ServerAliveCountMax=2 -o ForwardAgent=no -o ForwardX11=no -o ClearAllForwardings=yes";

    /// <summary>
    /// Key login only, with pbx01's own key (the one the guides' scripts use) and no prompt of any kind.
    /// </summary>
    private const string KeyLoginOptions =
        "-i \"$HOME/.ssh/id_rsa\" -o IdentitiesOnly=yes -o BatchMode=yes -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no " + CommonSshOptions;

    /// <summary>
    /// Authorizes pbx01's existing <c>~/.ssh/id_rsa.pub</c> for <paramref name="user"/> on <paramref name="serverIp"/>,
    /// as the guides' <c>ssh-copy-id</c> step does. The command's stdin carries the shared password (its first
    /// line); it is needed only when the key is not authorized yet:
    /// <list type="number">
    /// <item>Host key: with <paramref name="pinnedHostKey"/> ("ssh-ed25519 AAAA...") pbx01's known_hosts gets that
    /// key for the address unless it has it already (other keys recorded for the address are dropped then: a
    /// stale key of another type could be the one ssh checks), and every connection checks it strictly (the
    /// server's other host keys that OpenSSH learns over a connection verified by the pinned key may join it); without, the key is recorded on first contact (accept-new) and checked strictly from then on.
    /// A key that does not match is refused, before any password is sent.</item>
    /// <item>A key login is tried first (BatchMode): a server that trusts pbx01 already needs no password.</item>
    /// <item>Otherwise one password login appends the key line to the server's authorized_keys unless a line with
    /// the same key is there (so running it again adds nothing). The password reaches ssh only through a
    /// one-off SSH_ASKPASS helper (SSH_ASKPASS_REQUIRE=force) that reads a 0600 file in a 0700 temporary
    /// folder (on a tmpfs when there is one: $XDG_RUNTIME_DIR, else /dev/shm), removed by a trap on exit; the
    /// helper answers password prompts only. The password is never in an argument, an exported variable, the
    /// output or a file that outlives the script.</item>
    /// <item>Finally the key login is tried again, and must work.</item>
    /// </list>
    /// </summary>
    public static string Trust(string user, string serverIp, string? pinnedHostKey)
    {
        CheckUserAndIp(user, serverIp);
        string? pinned = null;
        if (pinnedHostKey is not null)
        {
            if (!NamingRules.IsHostKey(pinnedHostKey))
            {
                throw new ArgumentException($"the pinned host key of {serverIp} is not {NamingRules.HostKeyRule}", nameof(pinnedHostKey));
            }
            pinned = string.Join(' ', pinnedHostKey.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        var target = $"{user}@{serverIp}";
        return $$"""
            user={{Q(user)}}
            ip={{Q(serverIp)}}
            pinned={{Q(pinned ?? "")}}
            set -u
            umask 077
            password=''
            IFS= read -r password || :
            key="$HOME/.ssh/id_rsa"
            if [ ! -r "$key" ] || [ ! -r "$key.pub" ]; then
              echo "pbx01 has no SSH key pair $key(.pub) for the guides' scripts: the PBX HA install makes it; nothing was changed on $user@$ip" >&2
              exit 1
            fi
            mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh"
            known="$HOME/.ssh/known_hosts"
            touch "$known"
            if [ -n "$pinned" ]; then
              strict=yes
              have=$(ssh-keygen -F "$ip" -f "$known" 2>/dev/null | awk '!/^#/ { print $2 " " $3 }')
              if ! printf '%s\n' "$have" | grep -qxF -- "$pinned"; then
                if [ -n "$have" ]; then
                  ssh-keygen -R "$ip" -f "$known" >/dev/null 2>&1
                  rm -f "$known.old"
                fi
                printf '%s %s\n' "$ip" "$pinned" >> "$known"
                echo "pbx01 now pins the host key of $ip (${pinned%% *})"
              fi
            else
              strict=accept-new
            fi

            key_login() {
              ssh -n {{KeyLoginOptions}} -o StrictHostKeyChecking="$strict" "$user@$ip" true 2>&1
            }
            refused_host_key() {
              echo "{{target}}: the server's host key does not match the one pbx01 pins for $ip; nothing was changed. A reinstalled server or a man in the middle: check the key (ssh-keyscan on a trusted path) and set it as the server's pinned host key." >&2
              printf '%s\n' "$1" | grep -iE 'host key|known_hosts|fingerprint' | sed 's/^/  /' >&2
              exit 1
            }
            if out=$(key_login); then
              echo "{{target}} already trusts pbx01's key (~/.ssh/id_rsa.pub); nothing to do"
              exit 0
            fi
            case $out in
              *"Host key verification failed"*|*"IDENTIFICATION HAS CHANGED"*|*"host key is known"*) refused_host_key "$out" ;;
              *"Permission denied"*) ;;
              *)
                echo "{{target}}: pbx01 cannot reach the server over SSH: $(printf '%s' "$out" | tr '\n' ' ')" >&2
                exit 1 ;;
            esac
            if [ -z "$password" ]; then
              echo "{{target}} does not trust pbx01's key yet and no password came on stdin: give the PBX user's password (shared by every server) to authorize it" >&2
              exit 1
            fi

            # A private tmpfs when there is one (the password never reaches a disk): the login's runtime folder, else /dev/shm.
            for base in "${XDG_RUNTIME_DIR:-}" /dev/shm "${TMPDIR:-/tmp}" /tmp; do
              [ -n "$base" ] && [ -d "$base" ] && [ -w "$base" ] && break
            done
            tmp=$(mktemp -d "$base/portsip-askpass.XXXXXX") || exit 1
            trap 'rm -rf "$tmp"' EXIT
            trap 'exit 129' HUP
            trap 'exit 130' INT
            trap 'exit 143' TERM
            printf '%s\n' "$password" > "$tmp/password"
            password=''
            cat > "$tmp/askpass" <<'ASKPASS'
            #!/bin/sh
            # Answers ssh's password prompt once, for the trust step; anything else gets no answer.
            case "${1-}" in *assword*) ;; *) exit 1 ;; esac
            IFS= read -r p < "${0%/*}/password" || exit 1
            printf '%s\n' "$p"
            ASKPASS
            chmod 700 "$tmp/askpass"
            # On the server: add the key line read from stdin unless a line with the same key is there.
            add_key='umask 077; IFS= read -r line || exit 3; set -f; set -- $line; [ $# -ge 2 ] || exit 3; mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh" && touch "$HOME/.ssh/authorized_keys" && chmod 600 "$HOME/.ssh/authorized_keys" || exit 4; if grep -qF -- "$2" "$HOME/.ssh/authorized_keys"; then echo present; else { if [ -s "$HOME/.ssh/authorized_keys" ] && [ -n "$(tail -c 1 "$HOME/.ssh/authorized_keys")" ]; then echo; fi; printf "%s\n" "$line"; } >> "$HOME/.ssh/authorized_keys" && echo added; fi'
            out=$(SSH_ASKPASS="$tmp/askpass" SSH_ASKPASS_REQUIRE=force \
              ssh -o BatchMode=no -o PubkeyAuthentication=no -o PreferredAuthentications=keyboard-interactive,password \
                -o NumberOfPasswordPrompts=1 {{CommonSshOptions}} -o StrictHostKeyChecking="$strict" \
                "$user@$ip" "$add_key" < "$key.pub" 2>&1)
            rc=$?
            rm -rf "$tmp"
            if [ $rc -ne 0 ]; then
              case $out in
                *"Host key verification failed"*|*"IDENTIFICATION HAS CHANGED"*|*"host key is known"*) refused_host_key "$out" ;;
                *"Permission denied"*)
                  echo "{{target}} refused the password from stdin: it must be the PBX user's password, the same on every server (guide: User Account Requirements)" >&2 ;;
                *)
                  echo "{{target}}: adding pbx01's key failed (exit $rc): $(printf '%s' "$out" | tr '\n' ' ')" >&2 ;;
              esac
              exit 1
            fi
            if ! check=$(key_login); then
              echo "{{target}}: pbx01's key is in ~/.ssh/authorized_keys but a key login still fails: $(printf '%s' "$check" | tr '\n' ' ') (check the server's sshd: PubkeyAuthentication, AuthorizedKeysFile, permissions of the home folder)" >&2
              exit 1
            fi
            case $out in
              *added*) echo "{{target}} now trusts pbx01's key (~/.ssh/id_rsa.pub)" ;;
              *) echo "{{target}} already had pbx01's key (~/.ssh/id_rsa.pub); key login works" ;;
            esac
            """;
    }

    /// <summary>
    /// Removes pbx01's key (the line of <c>~/.ssh/id_rsa.pub</c>, matched by the key itself) from the
    /// server's <c>~/.ssh/authorized_keys</c>, leaving every other line as it is. Logs in with that key only
    /// (BatchMode, the host key checked strictly): a server that is gone, does not answer, no longer trusts the
    /// key or shows another host key has nothing of pbx01's to remove, so this succeeds with a message.
    /// </summary>
    public static string Untrust(string user, string serverIp)
    {
        CheckUserAndIp(user, serverIp);
        var target = $"{user}@{serverIp}";
        return $$"""
            user={{Q(user)}}
            ip={{Q(serverIp)}}
            set -u
            key="$HOME/.ssh/id_rsa"
            if [ ! -r "$key.pub" ]; then
              echo "pbx01 has no $key.pub: no key of pbx01 to remove from {{target}}"
              exit 0
            fi
            # On the server: drop the lines that hold the key read from stdin, keep the file (and its mode) otherwise.
            remove_key='IFS= read -r line || exit 3; set -f; set -- $line; [ $# -ge 2 ] || exit 3; f="$HOME/.ssh/authorized_keys"; if [ -f "$f" ] && grep -qF -- "$2" "$f"; then umask 077; { grep -vF -- "$2" "$f" || :; } > "$f.portsip-untrust" && cat "$f.portsip-untrust" > "$f"; rc=$?; rm -f "$f.portsip-untrust"; [ $rc -eq 0 ] && echo removed; else echo absent; fi'
            out=$(ssh {{KeyLoginOptions}} -o StrictHostKeyChecking=yes "$user@$ip" "$remove_key" < "$key.pub" 2>&1)
            rc=$?
            case $rc:$out in
              0:*removed*) echo "{{target}} no longer trusts pbx01's key (its line is removed from ~/.ssh/authorized_keys)" ;;
              0:*) echo "{{target}} did not list pbx01's key; nothing to remove" ;;
              255:*"Permission denied"*) echo "{{target}} does not trust pbx01's key (key login refused); nothing to remove" ;;
              255:*"Host key verification failed"*|255:*"IDENTIFICATION HAS CHANGED"*|255:*"host key is known"*)
                echo "{{target}}: the server's host key is not the one pbx01 knows; not logging in, so nothing was removed" ;;
              255:*) echo "{{target}} is not reachable from pbx01 ($(printf '%s' "$out" | tr '\n' ' ')); nothing to remove" ;;
              *)
                echo "{{target}}: removing pbx01's key failed (exit $rc): $(printf '%s' "$out" | tr '\n' ' ')" >&2
                exit 1 ;;
            esac
            """;
    }

    /// <summary>
    /// Checks, from pbx01 over a key login (BatchMode, host key checked strictly: run <see cref="Trust"/> first),
    /// every requirement the guides set for a cluster server:
    /// <list type="bullet">
    /// <item><c>os</c>: ID and VERSION_ID of the server's /etc/os-release equal pbx01's ("the exact same OS
    /// version as the PBX server").</item>
    /// <item><c>disk</c>: the total size of the file system that holds /var/lib, where Docker and PortSIP keep their
    /// images and data (on a default Ubuntu install that is /), is at least MinDiskGb (decimal GB), less
    /// the allowance of <see cref="DiskAllowancePercent"/> for partitions and formatting. The total is checked,
    /// not the free space: the guides give disk sizes, and a new server is nearly empty.</item>
    /// <item><c>postgresql</c>: no installed postgresql/postgresql-NN package, no postgres binary (in PATH,
    /// /usr/lib/postgresql/*/bin, /usr/local/pgsql/bin), no postgres process outside containers (a deployed
    /// PortSIP role may run its own database in Docker, so the port is not checked).</item>
    /// <item><c>clock</c>: timedatectl's NTPSynchronized is yes; without timedatectl (or systemd), chrony's or
    /// ntpd's view, or systemd-timesyncd's flag file; and in every case the server's clock is within
    /// <see cref="MaxClockSkewSeconds"/> s of pbx01's.</item>
    /// <item><c>static-ip</c>: the address is on one of the server's interfaces and has no lease lifetime (ip shows
    /// DHCP leases as "dynamic").</item>
    /// <item><c>dns-dhcp</c>: nothing listens on tcp/udp 53 or udp 67 except on loopback addresses (Ubuntu's own
    /// systemd-resolved stub listens on 127.0.0.53 and is not a DNS server for others).</item>
    /// <item><c>sudo</c>: sudo is installed and the user is in group sudo or admin (Ubuntu's sudoers), or sudo
    /// works without a password, or sudo -l lists rights.</item>
    /// </list>
    /// Prints one message listing every unmet requirement (<c>label: Ubuntu 22.04 but pbx01 runs 24.04; 96 GB disk at
    /// /var/lib, 256 GB needed</c>) and exits 1; unmet checks named in WarnOnly are listed as warnings and do
    /// not fail. Passing prints <c>label meets every requirement</c>.
    /// </summary>
    public static string Preflight(PreflightTarget t)
    {
        CheckUserAndIp(t.User, t.Ip);
        if (t.MinDiskGb <= 0)
        {
            throw new ArgumentException($"{t.Label}: MinDiskGb must be positive, not {t.MinDiskGb}", nameof(t));
        }
        var unknown = t.WarnOnly.Where(w => !Checks.All.Contains(w)).Order().ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"{t.Label}: unknown preflight check(s) {string.Join(", ", unknown)}; the checks are {string.Join(", ", Checks.All)}", nameof(t));
        }
        if (t.Label.Contains('\n') || t.Label.Contains('\r'))
        {
            throw new ArgumentException("the label must be one line", nameof(t));
        }
        var warnOnly = string.Join(' ', Checks.All.Where(t.WarnOnly.Contains));
        return $$"""
            label={{Q(t.Label)}}
            user={{Q(t.User)}}
            ip={{Q(t.Ip)}}
            min_gb={{t.MinDiskGb}}
            warn_only={{Q(warnOnly)}}
            set -u
            problems=''
            warnings=''
            unmet() { # check message
              case " $warn_only " in
                *" $1 "*) warnings="${warnings:+$warnings; }$2" ;;
                *) problems="${problems:+$problems; }$2" ;;
              esac
            }
            one_line() { printf '%s' "$1" | tr '\n' ' ' | sed 's/  */ /g; s/ $//'; }

            facts=$(ssh {{KeyLoginOptions}} -o StrictHostKeyChecking=yes "$user@$ip" sh -s -- "$ip" 2>&1 <<'PROBE'
            # Runs on the server: prints "fact <name> <value>" lines, judged on pbx01.
            ip=$1
            PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
            fact() { printf 'fact %s %s\n' "$1" "$2"; }
            has() { command -v "$1" >/dev/null 2>&1; }
            if [ -r /etc/os-release ]; then
              (. /etc/os-release; fact os_id "${ID:-unknown}"; fact os_version "${VERSION_ID:-unknown}"; fact os_name "${NAME:-unknown}")
            fi
            df -Pk /var/lib 2>/dev/null | awk 'NR == 2 { print "fact disk_kb " $2; print "fact disk_mount " $6 }'
            pg=''
            if has dpkg-query; then
              pkgs=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' 'postgresql*' 2>/dev/null | awk '$2 == "installed" && $1 ~ /^postgresql(-[0-9.]+)?$/ { printf "%s%s", s, $1; s = ", " }')
              [ -z "$pkgs" ] || pg="package $pkgs"
            fi
            for b in $(command -v postgres 2>/dev/null) /usr/lib/postgresql/*/bin/postgres /usr/local/pgsql/bin/postgres; do
              [ -x "$b" ] && pg="${pg:+$pg, }$b"
            done
            # A postgres in a container (PortSIP's own, once deployed) is not a PostgreSQL install on the host.
            mine=$(cat /proc/self/cgroup 2>/dev/null)
            for p in /proc/[0-9]*; do
              n=''
              IFS= read -r n 2>/dev/null < "$p/comm" || continue
              [ "$n" = postgres ] || continue
              c=$(cat "$p/cgroup" 2>/dev/null) || continue
              if [ "$c" != "$mine" ]; then
                case $c in *docker*|*containerd*|*kubepods*|*libpod*|*lxc*) continue ;; esac
              fi
              pg="${pg:+$pg, }a running postgres process"
              break
            done
            fact postgresql "$pg"
            ntp=unknown
            if v=$(timedatectl show -p NTPSynchronized --value 2>/dev/null) && [ -n "$v" ]; then
              ntp="$v timedatectl"
            elif has chronyc && t=$(chronyc -n tracking 2>/dev/null); then
              case $t in *"Leap status"*Normal*) ntp="yes chrony" ;; *) ntp="no chrony" ;; esac
            elif has ntpstat; then
              if ntpstat >/dev/null 2>&1; then ntp="yes ntpd"; else ntp="no ntpd"; fi
            elif [ -e /run/systemd/timesync/synchronized ]; then
              ntp="yes systemd-timesyncd"
            fi
            fact ntp "$ntp"
            if has ip; then
              a=$(ip -o -4 addr show 2>/dev/null | awk -v ip="$ip" '{ for (i = 1; i < NF; i++) if ($i == "inet" && index($(i + 1), ip "/") == 1) { print; exit } }')
              if [ -z "$a" ]; then fact address absent
              else
                set -- $a
                case " $a " in *" dynamic "*) fact address "dynamic $2" ;; *) fact address "static $2" ;; esac
              fi
            else
              fact address unknown
            fi
            if has ss; then
              l=$( { ss -Hlnu 2>/dev/null | awk '{ print "udp", $4 }'; ss -Hlnt 2>/dev/null | awk '{ print "tcp", $4 }'; } |
                awk '{ port = $2; sub(/.*:/, "", port); host = $2; sub(/:[^:]*$/, "", host)
                       if (host ~ /^(127\.|\[::1\]|::1$)/) next
                       if (port == "53") dns = dns (dns == "" ? "" : ", ") $1 " " $2
                       if (port == "67" && $1 == "udp") dhcp = dhcp (dhcp == "" ? "" : ", ") $1 " " $2 }
                     END { printf "%s|%s", dns, dhcp }')
              fact listeners "$l"
            else
              fact listeners unknown
            fi
            if ! has sudo; then s=missing
            else
              case " $(id -Gn 2>/dev/null) " in
                *" sudo "*|*" admin "*) s=yes ;;
                *) if sudo -n true >/dev/null 2>&1 || sudo -n -l 2>/dev/null | grep -q '(ALL'; then s=yes; else s=no; fi ;;
              esac
            fi
            fact sudo "$s"
            fact epoch "$(date +%s)"
            fact end ok
            PROBE
            )
            rc=$?
            now=$(date +%s)
            case $facts in
              *"fact end ok"*) ;;
              *)
                case $facts in
                  *"Host key verification failed"*|*"IDENTIFICATION HAS CHANGED"*|*"host key is known"*) why="its host key is not the one pbx01 knows (trust the server first, or check the pinned key)" ;;
                  *"Permission denied"*) why="it does not trust pbx01's key yet (run the trust step first)" ;;
                  *) why="$(one_line "$facts") (exit $rc)" ;;
                esac
                printf '%s\n' "$label: cannot check the server: pbx01 cannot log in to $user@$ip with its key: $why" >&2
                exit 1 ;;
            esac

            os_id=unknown os_version=unknown os_name=unknown disk_kb='' disk_mount='' postgresql='' ntp=unknown address=unknown listeners=unknown sudo=unknown epoch=''
            while read -r tag name value; do
              [ "$tag" = fact ] || continue
              case $name in
                os_id) os_id=$value ;; os_version) os_version=$value ;; os_name) os_name=$value ;;
                disk_kb) disk_kb=$value ;; disk_mount) disk_mount=$value ;; postgresql) postgresql=$value ;;
                ntp) ntp=$value ;; address) address=$value ;; listeners) listeners=$value ;; sudo) sudo=$value ;;
                epoch) epoch=$value ;;
              esac
            done <<FACTS
            $facts
            FACTS

            my_id=$(. /etc/os-release 2>/dev/null; echo "${ID:-unknown}")
            my_version=$(. /etc/os-release 2>/dev/null; echo "${VERSION_ID:-unknown}")
            my_name=$(. /etc/os-release 2>/dev/null; echo "${NAME:-unknown}")
            if [ "$os_id" != "$my_id" ] || [ "$os_version" != "$my_version" ]; then
              if [ "$os_id" = "$my_id" ]; then
                unmet os "$os_name $os_version but pbx01 runs $my_version"
              else
                unmet os "$os_name $os_version but pbx01 runs $my_name $my_version"
              fi
            fi

            case $disk_kb in
              ''|*[!0-9]*) unmet disk "disk size unknown (df /var/lib failed), $min_gb GB needed" ;;
              *)
                gb=$(( (disk_kb * 1024 + 500000000) / 1000000000 ))
                if [ $(( disk_kb * 1024 * 100 )) -lt $(( min_gb * {{DiskAllowancePercent}} * 1000000000 )) ]; then
                  unmet disk "$gb GB disk at $disk_mount, $min_gb GB needed"
                fi ;;
            esac

            [ -z "$postgresql" ] || unmet postgresql "PostgreSQL is present ($postgresql); the guides say not to install it"

            skew=''
            case $epoch in
              ''|*[!0-9]*) ;;
              *) skew=$(( now - epoch )); [ $skew -ge 0 ] || skew=$(( -skew )) ;;
            esac
            case $ntp in
              no\ *) unmet clock "clock not synchronized (${ntp#no }: not synchronized)" ;;
              yes\ *|unknown) ;;
              *) unmet clock "clock synchronization unknown ($ntp)" ;;
            esac
            if [ -z "$skew" ]; then
              unmet clock "clock unreadable"
            elif [ "$skew" -gt {{MaxClockSkewSeconds}} ]; then
              unmet clock "clock is $skew s off pbx01's"
            fi

            case $address in
              static\ *) ;;
              dynamic\ *) unmet static-ip "$ip is a DHCP lease on ${address#dynamic }, a static address is needed" ;;
              absent) unmet static-ip "$ip is not an address of any of the server's interfaces" ;;
              *) unmet static-ip "cannot tell whether $ip is static (no ip command)" ;;
            esac

            if [ "$listeners" = unknown ]; then
              unmet dns-dhcp "cannot list listening ports (no ss command)"
            else
              dns=${listeners%%|*}
              dhcp=${listeners#*|}
              if [ -n "$dns" ] && [ -n "$dhcp" ]; then
                unmet dns-dhcp "runs a DNS server ($dns) and a DHCP server ($dhcp)"
              elif [ -n "$dns" ]; then
                unmet dns-dhcp "runs a DNS server ($dns)"
              elif [ -n "$dhcp" ]; then
                unmet dns-dhcp "runs a DHCP server ($dhcp)"
              fi
            fi

            case $sudo in
              yes) ;;
              missing) unmet sudo "sudo is not installed" ;;
              no) unmet sudo "user $user has no sudo rights (not in group sudo)" ;;
              *) unmet sudo "cannot tell whether $user has sudo rights" ;;
            esac

            if [ -n "$problems" ]; then
              printf '%s\n' "$label: $problems${warnings:+ (warnings only: $warnings)}" >&2
              exit 1
            fi
            if [ -n "$warnings" ]; then
              printf '%s\n' "warning: $label: $warnings (not enforced: $warn_only)" "$label meets every other requirement"
            else
              printf '%s\n' "$label meets every requirement"
            fi
            """;
    }
}
