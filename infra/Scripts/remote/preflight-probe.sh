#!/bin/sh
# Runs on the cluster server, sent by preflight.sh over pbx01's key login (sh -s -- IP): prints "fact NAME VALUE"
# lines, judged on pbx01. Every probe may fail on a given server and its failure is itself a fact ("unknown",
# "missing"), so this script does not stop at a failing command: no set -e, on purpose.
set -u
ip=$1
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
fact() { printf 'fact %s %s\n' "$1" "$2"; }
has() { command -v "$1" >/dev/null 2>&1; }
if [ -r /etc/os-release ]; then
  # shellcheck source=/dev/null # the server's own os-release, read where it runs
  (. /etc/os-release; fact os_id "${ID:-unknown}"; fact os_version "${VERSION_ID:-unknown}"; fact os_name "${NAME:-unknown}")
fi
df -Pk /var/lib 2>/dev/null | awk 'NR == 2 { print "fact disk_kb " $2; print "fact disk_mount " $6 }'
pg=''
if has dpkg-query; then
  # shellcheck disable=SC2016 # ${Package} is dpkg-query's format, not the shell's
  pkgs=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' 'postgresql*' 2>/dev/null | awk '$2 == "installed" && $1 ~ /^postgresql(-[0-9.]+)?$/ { printf "%s%s", s, $1; s = ", " }')
  [ -z "$pkgs" ] || pg="package $pkgs"
fi
# shellcheck disable=SC2046 # the path command -v prints, if any, is one word (or none)
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
    # shellcheck disable=SC2086 # split ip's line into its fields: $2 is the interface
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
