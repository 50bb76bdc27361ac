#!/bin/bash
# start-hosts.sh — starts the simulated PortSIP hosts the OverSsh tests talk to (needs root and Debian's
# openssh-server; CI installs it with `apt-get install -y openssh-server`).
#
# Every host (see HOST_SPECS in hosts.conf.sh) is a real OpenSSH server with its own host keys, running in
# its own network namespace (address $NET.<octet> on eth0; all hosts share one bridge in the namespace
# psim-lan, and the root namespace reaches them through the veth psim-up = $NET.1), its own PID and UTS
# namespace (hostname = the host's name) and its own mount namespace, where these are the host's own:
#   /home/pbx       pbx's home (authorized_keys; on pbx01 also ~/.ssh/id_rsa, known_hosts, ~/.portsip-infra)
#   /etc/os-release Ubuntu 24.04 (legacy: 22.04)
#   /var/lib        a tmpfs of the host's disk size, holding a small dpkg database (legacy: with postgresql-14)
#   /usr/local/bin  stand-in sudo and timedatectl (legacy: also postgres); first in sshd's PATH
#   /usr/lib/postgresql (when this machine has one) hidden behind an empty tmpfs
#   /tmp, /var/tmp, /dev/shm  per host; /opt (pbx01: /opt/portsip-pbx-ha-guide with the stand-in guide scripts)
#   /etc/group, /etc/shadow  legacy: pbx not in group sudo; rogue: another password
# One Linux user pbx (created here, GECOS "$SIM_GECOS", shell bash, in group sudo) is shared by all hosts.
# The test key "$SIM/test_key" logs in to pbx01 only; "$SIM/known_hosts" holds pbx01's host keys;
# "$SIM/hosts.txt" lists "name address" and "$SIM/password" holds the shared password, for the tests.
#
# Idempotent: when every host is already up, made from these very files, it does nothing; otherwise it stops
# what is left (stop-hosts.sh) and starts afresh. Undo with stop-hosts.sh. The only traffic it makes goes to
# $NET.0/24 through psim-up, into these namespaces.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=hosts.conf.sh
. "$HERE/hosts.conf.sh"

die() { echo "start-hosts.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (it creates network and mount namespaces, a user and sshd processes)"
SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || die "sshd is missing ($SSHD): install Debian's openssh-server (apt-get install -y openssh-server)"
for tool in ip unshare ssh ssh-keygen perl chpasswd useradd mount awk; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing"
done

spec_of() { printf '%s\n' "$HOST_SPECS" | awk -v h="$1" '$1 == h'; }
has_quirk() { case ",$(spec_of "$1" | awk '{print $7}')," in *",$2,"*) return 0 ;; esac; return 1; }

# What the running hosts were made from: a change to these files means starting afresh.
recipe() { cat "$HERE/hosts.conf.sh" "$HERE/start-hosts.sh" "$HERE"/guide/*.sh "$HERE"/guide/res/* | cksum; }

all_up() {
  [ -f "$SIM/up" ] && [ "$(cat "$SIM/up")" = "$(recipe)" ] || return 1
  local h
  for h in $(host_names); do
    has_quirk "$h" no-sshd && continue
    [ -n "$(ip netns pids "$NS_PREFIX$h" 2>/dev/null)" ] || return 1
    port_open "$(spec_of "$h" | awk -v n="$NET" '{print n "." $2}')" || return 1
  done
}

# Port 22 of a host answers; only ever tried through the uplink (never out through this machine's own routes).
port_open() {
  ip -4 route get "$1" 2>/dev/null | grep -q "dev $UPLINK " || return 1
  timeout 1 bash -c "exec 3<>/dev/tcp/$1/22" 2>/dev/null
}

if all_up; then
  echo "start-hosts.sh: the simulated hosts are already up ($SIM)"
  exit 0
fi
"$HERE/stop-hosts.sh" >/dev/null

# Refuse to take over a network this machine already uses.
if [ -n "$(ip -4 route show "$NET.0/24" 2>/dev/null)" ] || ip -4 -o addr show | grep -q " $NET\."; then
  die "$NET.0/24 is already in use on this machine; set PORTSIP_HOSTS_NET to another /24 prefix (like 10.213.58)"
fi

# The user every host shares.
if getent passwd "$SIM_USER" >/dev/null; then
  [ "$(getent passwd "$SIM_USER" | cut -d: -f5)" = "$SIM_GECOS" ] \
    || die "a user $SIM_USER that start-hosts.sh did not create exists on this machine; refusing to change it"
else
  getent group sudo >/dev/null || groupadd -r sudo
  mkdir -p "/home/$SIM_USER"
  useradd -M -d "/home/$SIM_USER" -s /bin/bash -c "$SIM_GECOS" -G sudo "$SIM_USER"
fi
printf '%s:%s\n' "$SIM_USER" "$SIM_PASSWORD" | chpasswd
usermod -aG sudo "$SIM_USER"
mkdir -p "/home/$SIM_USER"
UID_=$(id -u "$SIM_USER")
GID_=$(id -g "$SIM_USER")

umask 022
mkdir -p "$SIM"
chmod 700 "$SIM"
mkdir -p /run/sshd && chmod 755 /run/sshd

ssh-keygen -q -t ed25519 -N '' -C "portsip-tests" -f "$SIM/test_key"
printf '%s\n' "$SIM_PASSWORD" > "$SIM/password" # for the tests, which pipe it to the trust step
chmod 600 "$SIM/password"
: > "$SIM/hosts.txt"

os_release() {
  case $1 in
    24.04) printf '%s\n' 'PRETTY_NAME="Ubuntu 24.04.1 LTS"' 'NAME="Ubuntu"' 'VERSION_ID="24.04"' \
      'VERSION="24.04.1 LTS (Noble Numbat)"' 'VERSION_CODENAME=noble' 'ID=ubuntu' 'ID_LIKE=debian' 'UBUNTU_CODENAME=noble' ;;
    22.04) printf '%s\n' 'PRETTY_NAME="Ubuntu 22.04.4 LTS"' 'NAME="Ubuntu"' 'VERSION_ID="22.04"' \
      'VERSION="22.04.4 LTS (Jammy Jellyfish)"' 'VERSION_CODENAME=jammy' 'ID=ubuntu' 'ID_LIKE=debian' 'UBUNTU_CODENAME=jammy' ;;
    *) die "no os-release for $1" ;;
  esac
}

dpkg_stanza() { # package version
  printf 'Package: %s\nStatus: install ok installed\nPriority: optional\nSection: misc\nInstalled-Size: 1\nMaintainer: simulated\nArchitecture: amd64\nVersion: %s\nDescription: simulated package\n\n' "$1" "$2"
}

# The switch: one bridge in its own namespace, and the uplink from the root namespace.
ip netns add "$LAN_NS"
ip -n "$LAN_NS" link set lo up
ip -n "$LAN_NS" link add br0 type bridge stp_state 0 forward_delay 0
ip -n "$LAN_NS" link set br0 up
ip link add "$UPLINK" type veth peer name up0 netns "$LAN_NS"
ip -n "$LAN_NS" link set up0 master br0 up
ip addr add "$NET.1/24" dev "$UPLINK"
ip link set "$UPLINK" up

for h in $(host_names); do
  read -r _ octet os disk clock addr _ <<<"$(spec_of "$h")"
  ip_addr="$NET.$octet"
  H="$SIM/hosts/$h"
  mkdir -p "$H"/{home,tmp,vartmp,shm,opt,bin,etc,ssh}
  chmod 1777 "$H/tmp" "$H/vartmp" "$H/shm"
  printf '%s %s\n' "$h" "$ip_addr" >> "$SIM/hosts.txt"

  # Network: eth0 on the bridge; a DHCP lease is an address with a lifetime.
  ns="$NS_PREFIX$h"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$LAN_NS" link add "p-$h" type veth peer name eth0 netns "$ns"
  ip -n "$LAN_NS" link set "p-$h" master br0 up
  if [ "$addr" = dhcp ]; then
    ip -n "$ns" addr add "$ip_addr/24" dev eth0 valid_lft 86400 preferred_lft 86400
  else
    ip -n "$ns" addr add "$ip_addr/24" dev eth0
  fi
  ip -n "$ns" link set eth0 up
  has_quirk "$h" no-sshd && continue

  # The host's files.
  os_release "$os" > "$H/etc/os-release"
  {
    dpkg_stanza base-files "13ubuntu10"
    dpkg_stanza openssh-server "1:9.6p1-3ubuntu13"
    dpkg_stanza postgresql-client-common "257build1"
    if has_quirk "$h" postgresql; then
      dpkg_stanza postgresql-14 "14.11-0ubuntu0.22.04.1"
      dpkg_stanza postgresql-common "238"
    fi
  } > "$H/etc/dpkg-status"

  cat > "$H/bin/sudo" <<'EOF'
#!/bin/sh
# Stand-in sudo: members of group sudo (or admin) may use it after typing their password, as on Ubuntu;
# this stand-in never elevates anything.
case " $(id -Gn) " in
  *" sudo "*|*" admin "*) ;;
  *) echo "$(id -un) is not in the sudoers file." >&2; exit 1 ;;
esac
for a in "$@"; do [ "$a" = -n ] && { echo "sudo: a password is required" >&2; exit 1; }; done
echo "sudo: stand-in sudo cannot elevate" >&2
exit 1
EOF
  case $clock in
    yes|no) printf '#!/bin/sh\n# Stand-in timedatectl: the clock is%s synchronized.\ncase "$*" in\n  *NTPSynchronized*) echo %s ;;\n  *) echo "System clock synchronized: %s" ;;\nesac\n' \
      "$([ "$clock" = yes ] || echo ' not')" "$clock" "$clock" > "$H/bin/timedatectl" ;;
    missing) printf '#!/bin/sh\necho "System has not been booted with systemd as init system (PID 1). Can'"'"'t operate." >&2\necho "Failed to connect to bus: Host is down" >&2\nexit 1\n' > "$H/bin/timedatectl" ;;
  esac
  if has_quirk "$h" postgresql; then
    # shellcheck disable=SC2016 # the stand-in's own "${1-}", written as is
    printf '#!/bin/sh\n# Stand-in PostgreSQL server binary.\ncase "${1-}" in --version|-V) echo "postgres (PostgreSQL) 14.11"; exit 0 ;; esac\nwhile :; do sleep 3600; done\n' > "$H/bin/postgres"
  fi
  chmod 755 "$H"/bin/*

  if has_quirk "$h" no-sudo; then
    awk -F: -v OFS=: -v u="$SIM_USER" '$1 == "sudo" || $1 == "admin" { n = split($4, m, ","); s = ""; for (i = 1; i <= n; i++) if (m[i] != u) s = s (s == "" ? "" : ",") m[i]; $4 = s } { print }' /etc/group > "$H/etc/group"
  fi
  if has_quirk "$h" other-password; then
    hash=$(perl -e 'print crypt($ARGV[0], "\$6\$" . join("", map { ("a".."z")[rand 26] } 1..16) . "\$")' "$ROGUE_PASSWORD")
    awk -F: -v OFS=: -v u="$SIM_USER" -v h="$hash" '$1 == u { $2 = h } { print }' /etc/shadow > "$H/etc/shadow"
    chmod 640 "$H/etc/shadow"
  fi

  # pbx's home; pbx01 also has the key pair the HA install made, and lets the test key in.
  install -d -m 750 -o "$UID_" -g "$GID_" "$H/home"
  install -d -m 700 -o "$UID_" -g "$GID_" "$H/home/.ssh"
  if [ "$h" = pbx01 ]; then
    ssh-keygen -q -t rsa -b 3072 -N '' -C "$SIM_USER@pbx01" -f "$H/home/.ssh/id_rsa"
    cp "$SIM/test_key.pub" "$H/home/.ssh/authorized_keys"
    chown "$UID_:$GID_" "$H/home/.ssh/"*
    chmod 600 "$H/home/.ssh/authorized_keys"
    # The guide folder with the stand-in scripts, owned by root as `sudo tar xf` leaves it.
    mkdir -p "$H/opt/portsip-pbx-ha-guide"
    cp -r "$HERE/guide/." "$H/opt/portsip-pbx-ha-guide/"
    chmod -R a+rX "$H/opt"
    # The stand-in update.sh rewrites pbx_image as `sudo` lets the real one; reset-hosts.sh puts it back.
    chown "$UID_:$GID_" "$H/opt/portsip-pbx-ha-guide/res/vars.yml"
  fi
  cp -a "$H/home" "$H/home.pristine"

  # sshd: its own host keys, address, pid and log.
  ssh-keygen -q -t ed25519 -N '' -C "$h" -f "$H/ssh/ssh_host_ed25519_key"
  ssh-keygen -q -t ecdsa -N '' -C "$h" -f "$H/ssh/ssh_host_ecdsa_key"
  cat > "$H/ssh/sshd_config" <<EOF
# sshd of the simulated host $h ($ip_addr)
ListenAddress $ip_addr
Port 22
HostKey $H/ssh/ssh_host_ed25519_key
HostKey $H/ssh/ssh_host_ecdsa_key
PidFile none
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
PermitEmptyPasswords no
UsePAM no
StrictModes yes
AllowUsers $SIM_USER
MaxStartups 100:30:200
MaxAuthTries 6
LoginGraceTime 30
PrintMotd no
PrintLastLog no
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
LogLevel VERBOSE
# Faster handshakes for the tests (the post-quantum default costs ~100 ms per connection on a small machine).
KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org
EOF
  "$SSHD" -t -f "$H/ssh/sshd_config" || die "sshd rejects the config of $h"

  # What runs as the host's "boot": its mounts, its hostname, its extra services, then sshd as PID 1.
  {
    echo '#!/bin/sh'
    echo "# boot of the simulated host $h, run in its own network, mount, UTS and PID namespaces"
    echo 'set -e'
    echo "hostname $h"
    echo "mount --bind $H/home /home/$SIM_USER"
    echo "mount --bind $H/etc/os-release /etc/os-release"
    echo "mount --bind $H/tmp /tmp"
    echo "mount --bind $H/vartmp /var/tmp"
    echo "mount --bind $H/shm /dev/shm"
    echo "mount --bind $H/opt /opt"
    echo "mount --bind $H/bin /usr/local/bin"
    echo "mount -t tmpfs -o size=${disk}000000000,mode=755 tmpfs /var/lib"
    echo "mkdir -p /var/lib/dpkg/info /var/lib/dpkg/updates && : > /var/lib/dpkg/available"
    echo "cp $H/etc/dpkg-status /var/lib/dpkg/status"
    echo "[ ! -d /usr/lib/postgresql ] || mount -t tmpfs -o size=1m,mode=755 tmpfs /usr/lib/postgresql"
    [ -f "$H/etc/group" ] && echo "mount --bind $H/etc/group /etc/group"
    [ -f "$H/etc/shadow" ] && echo "mount --bind $H/etc/shadow /etc/shadow"
    if has_quirk "$h" postgresql; then
      echo "mkdir -p /var/lib/postgresql/14/main"
      echo "/usr/local/bin/postgres -D /var/lib/postgresql/14/main </dev/null >/dev/null 2>&1 &"
    fi
    if has_quirk "$h" dns-dhcp; then
      # A DNS server (udp and tcp 53) and a DHCP server (udp 67), as far as listening sockets go.
      echo "perl -MIO::Socket::INET -e '\$0 = \"dnsmasq\"; my @s = (IO::Socket::INET->new(LocalAddr => \"0.0.0.0:53\", Proto => \"udp\"), IO::Socket::INET->new(LocalAddr => \"0.0.0.0:53\", Proto => \"tcp\", Listen => 5, ReuseAddr => 1), IO::Socket::INET->new(LocalAddr => \"0.0.0.0:67\", Proto => \"udp\")); die \"bind: \$!\" if grep { !defined } @s; sleep 86400 while 1' </dev/null >/dev/null 2>&1 &"
    fi
    echo "exec $SSHD -D -f $H/ssh/sshd_config -E $H/ssh/sshd.log"
  } > "$H/boot.sh"

  ip netns exec "$ns" unshare --mount --uts --pid --fork --mount-proc --propagation private -- /bin/sh "$H/boot.sh" \
    </dev/null >>"$H/boot.log" 2>&1 &
done

# Wait for every sshd to answer, then collect pbx01's host keys for the test process.
for h in $(host_names); do
  has_quirk "$h" no-sshd && continue
  ip_addr="$NET.$(spec_of "$h" | awk '{print $2}')"
  for _ in $(seq 1 100); do
    port_open "$ip_addr" && break
    sleep 0.05
  done
  port_open "$ip_addr" || die "sshd of $h ($ip_addr) did not start: $(cat "$SIM/hosts/$h/boot.log" "$SIM/hosts/$h/ssh/sshd.log" 2>/dev/null | tail -5)"
done
pbx01="$NET.$(spec_of pbx01 | awk '{print $2}')"
for t in ed25519 ecdsa; do
  printf '%s %s\n' "$pbx01" "$(cut -d' ' -f1,2 "$SIM/hosts/pbx01/ssh/ssh_host_${t}_key.pub")"
done > "$SIM/known_hosts"

recipe > "$SIM/up"
echo "start-hosts.sh: $(grep -c . "$SIM/hosts.txt") simulated hosts up on $NET.0/24 ($SIM)"
