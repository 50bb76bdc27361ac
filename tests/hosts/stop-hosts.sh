#!/bin/bash
# stop-hosts.sh — stops the simulated hosts of start-hosts.sh and removes what it made: every process in
# the hosts' network namespaces (sshd and whatever sessions, stand-ins or listeners run there; their mount
# and PID namespaces, with all their mounts, go with them), the namespaces, the uplink veth, the user pbx
# (only if start-hosts.sh created it) and "$SIM". Needs root. Safe to run twice, or without a start.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=hosts.conf.sh
. "$HERE/hosts.conf.sh"

[ "$(id -u)" = 0 ] || { echo "stop-hosts.sh: needs root" >&2; exit 1; }

namespaces() { for h in $(host_names); do echo "$NS_PREFIX$h"; done; echo "$LAN_NS"; }

kill_all_in() { # signal namespace...
  local sig=$1 ns pids
  shift
  for ns in "$@"; do
    [ -e "/run/netns/$ns" ] || continue
    pids=$(ip netns pids "$ns" 2>/dev/null)
    # shellcheck disable=SC2086 # one argument per process id
    [ -z "$pids" ] || kill "-$sig" $pids 2>/dev/null
  done
}

nss=$(namespaces)
# shellcheck disable=SC2086 # one argument per namespace name
kill_all_in TERM $nss
for _ in $(seq 1 40); do
  left=0
  for ns in $nss; do
    [ -e "/run/netns/$ns" ] && [ -n "$(ip netns pids "$ns" 2>/dev/null)" ] && left=1
  done
  [ $left = 0 ] && break
  sleep 0.05
done
# shellcheck disable=SC2086 # one argument per namespace name
kill_all_in KILL $nss
for ns in $nss; do
  [ -e "/run/netns/$ns" ] && ip netns del "$ns"
done
ip link show "$UPLINK" >/dev/null 2>&1 && ip link del "$UPLINK"

if getent passwd "$SIM_USER" >/dev/null && [ "$(getent passwd "$SIM_USER" | cut -d: -f5)" = "$SIM_GECOS" ]; then
  userdel "$SIM_USER" 2>/dev/null
  rmdir "/home/$SIM_USER" 2>/dev/null
fi

case $SIM in
  /?*/?*) rm -rf "$SIM" ;;
  *) echo "stop-hosts.sh: not removing $SIM (too short a path)" >&2 ;;
esac
echo "stop-hosts.sh: simulated hosts stopped"
exit 0
