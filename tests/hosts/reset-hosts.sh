#!/bin/bash
# reset-hosts.sh — puts every running simulated host back as start-hosts.sh left it, without restarting
# anything: pbx's home (authorized_keys, pbx01's known_hosts, ~/.portsip-infra, the stand-ins' ~/.standin
# records), /tmp, /var/tmp and /dev/shm, and empties each sshd's log. The OverSsh tests run it before each
# test. Needs root.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=hosts.conf.sh
. "$HERE/hosts.conf.sh"

[ "$(id -u)" = 0 ] || { echo "reset-hosts.sh: needs root" >&2; exit 1; }
[ -f "$SIM/up" ] || { echo "reset-hosts.sh: the simulated hosts are not up (run start-hosts.sh)" >&2; exit 1; }

for h in $(host_names); do
  H="$SIM/hosts/$h"
  [ -d "$H/home.pristine" ] || continue
  # Empty the directories in place: they are the sources of the hosts' bind mounts.
  find "$H/home" "$H/tmp" "$H/vartmp" "$H/shm" -mindepth 1 -delete
  cp -a "$H/home.pristine/." "$H/home/"
  # sshd appends to its log (O_APPEND): emptied in place, so that a test reads the logins of its own run only.
  [ ! -f "$H/ssh/sshd.log" ] || : > "$H/ssh/sshd.log"
  # pbx01's res/vars.yml, which the stand-in update.sh rewrites (cp keeps its owner).
  [ ! -f "$H/opt/portsip-pbx-ha-guide/res/vars.yml" ] || cp "$HERE/guide/res/vars.yml" "$H/opt/portsip-pbx-ha-guide/res/vars.yml"
done
