# shellcheck shell=bash
# shellcheck disable=SC2034 # sourced: start-, stop- and reset-hosts.sh use these variables
# Shared by start-hosts.sh, stop-hosts.sh and reset-hosts.sh (sourced, not run): where the simulated hosts live
# and what each one looks like. The tests read the same facts from "$SIM/hosts.txt", written by start-hosts.sh.

# Everything the simulation creates lives here (root only, mode 0700). /run is used because no host's
# mount namespace covers it (each host gets its own /tmp, /var/tmp, /var/lib, /opt and /home/pbx).
SIM=${PORTSIP_HOSTS_DIR:-/run/portsip-hosts}

# The hosts' private network: a /24 that exists only inside the network namespaces created here, plus the
# root namespace's end of one veth (.1) so that the test process can reach pbx01.
NET=${PORTSIP_HOSTS_NET:-10.213.57}

# Network namespace names: $NS_PREFIX<host>, and the "switch" namespace that holds the bridge.
NS_PREFIX=psim-
LAN_NS=psim-lan
UPLINK=psim-up # root namespace's end of the uplink veth

# The one Linux user of every host, and the password all hosts share (rogue's /etc/shadow differs).
SIM_USER=pbx
SIM_PASSWORD="Sh4red pass'word \"with\" \$pecials"
ROGUE_PASSWORD="not-the-shared-password"
SIM_GECOS="portsip simulated hosts (tests/hosts)"

# name  last-octet  os-release  /var/lib-size-GB  clock  address  quirks (comma separated or -)
#   clock:   yes = timedatectl says synchronized, no = it says not, missing = timedatectl fails (no systemd)
#   address: static, or dhcp (the address has a lifetime, as a DHCP lease gives it: ip shows "dynamic")
#   quirks:  postgresql (package + binary + a process named postgres), dns-dhcp (listens on udp/tcp 53 and
#            udp 67), no-sudo (pbx not in group sudo), other-password (its /etc/shadow has another password),
#            no-sshd (namespace and address only: nothing answers on port 22)
HOST_SPECS="
pbx01     131 24.04 200 yes     static -
media1     21 24.04 300 yes     static -
queue1     22 24.04 130 missing static -
im1        25 24.04 256 yes     static -
sbc1       11 24.04 128 yes     static -
sbc2       12 24.04 128 yes     static -
dataflow1  26 24.04 200 yes     static -
legacy     41 22.04  96 no      dhcp   postgresql,dns-dhcp,no-sudo
rogue      49 24.04 128 yes     static other-password
spare      98 24.04 128 yes     static no-sshd
"
# Thirty plain servers, ext01..ext30 on .151-.180 (like media1), for the scale-out tests of tests/Engine: every
# new server needs a live host of its own (trust, preflight and extend.sh all log in to it).
HOST_SPECS="$HOST_SPECS$(for i in $(seq 1 30); do printf 'ext%02d %d 24.04 130 yes static -\n' "$i" $((150 + i)); done)
"

host_names() { printf '%s\n' "$HOST_SPECS" | awk 'NF { print $1 }'; }
