#!/bin/sh
# Runs on pbx01 (after ssh-from-pbx01.sh): checks over pbx01's key login (host key checked strictly: trust the
# server first) every requirement the guides set for a cluster server, and prints one message listing every
# unmet one ("label: Ubuntu 22.04 but pbx01 runs 24.04; 96 GB disk at /var/lib, 256 GB needed"), exit 1;
# unmet checks named in warn_only are listed as warnings only. See HostPreparation.Preflight for each check.
# Header: label, user, ip, min_gb, warn_only (check names, space-separated), disk_allowance_percent,
# max_clock_skew_seconds, probe (preflight-probe.sh, run on the server).
set -eu
: "${label:?}" "${user:?}" "${ip:?}" "${min_gb:?}" "${warn_only?}" "${disk_allowance_percent:?}" "${max_clock_skew_seconds:?}" "${probe:?}"
problems=''
warnings=''
unmet() { # check message
  case " $warn_only " in
    *" $1 "*) warnings="${warnings:+$warnings; }$2" ;;
    *) problems="${problems:+$problems; }$2" ;;
  esac
}
one_line() { printf '%s' "$1" | tr '\n' ' ' | sed 's/  */ /g; s/ $//'; }

rc=0
facts=$(ssh_key -o StrictHostKeyChecking=yes "$user@$ip" sh -s -- "$ip" 2>&1 <<PROBE
$probe
PROBE
) || rc=$?
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

# pbx01's own release; a missing /etc/os-release leaves the values empty (and the check then fails).
# shellcheck source=/dev/null # pbx01's own os-release, read where this runs
my_id=$(. /etc/os-release 2>/dev/null; echo "${ID:-unknown}") || :
# shellcheck source=/dev/null
my_version=$(. /etc/os-release 2>/dev/null; echo "${VERSION_ID:-unknown}") || :
# shellcheck source=/dev/null
my_name=$(. /etc/os-release 2>/dev/null; echo "${NAME:-unknown}") || :
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
    if [ $(( disk_kb * 1024 * 100 )) -lt $(( min_gb * disk_allowance_percent * 1000000000 )) ]; then
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
elif [ "$skew" -gt "$max_clock_skew_seconds" ]; then
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
