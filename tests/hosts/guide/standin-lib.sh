# shellcheck shell=bash
# standin-lib.sh — shared by the stand-in guide scripts of the simulated pbx01 (tests/hosts). Sourced.
#
# The stand-ins check their command lines exactly as the PortSIP guides document them (anything else: exit 2
# with a usage message) and, like the real scripts, reach the servers from pbx01 with password-free SSH
# (BatchMode: pbx01's ~/.ssh/id_rsa and known_hosts must already trust them). What they do is recorded:
#   on pbx01:      ~/.standin/calls     every invocation: "<script> <arguments>"
#                  ~/.standin/DISASTER  commands that would remove more than the one server they name
#                  ~/.standin/<script>  the stand-in's inventory (what it deployed where)
#                  ~/.standin/log       what update.sh did to the PBX itself
#   on the target: ~/.standin/log       "<action> <role> <details> host=<hostname>", one line per action
#                  ~/.standin/roles/<role>  present while the role is installed there
# A real installer that is run again over an installed role reinstalls it: the stand-in does it too and
# logs "reinstall" (so tests can tell that a wrapper ran a guide script twice). A host runs one role only.
# Test modes, switched on by files a test makes on pbx01:
#   ~/.standin/hold       a slow install: before it installs, the stand-in makes ~/.standin/held and waits
#                         until the test removes ~/.standin/hold
#   ~/.standin/fail-once  an install that breaks half-way: `run` does its work, then fails (exit 3), once
set -u
STANDIN="$HOME/.standin"
mkdir -p "$STANDIN"
ME=$(basename "$0")
printf '%s %s\n' "$ME" "$*" >> "$STANDIN/calls"

standin_exit() {
  local rc=$?
  if [ "$rc" = 0 ] && [ "${cmd-}" = run ] && [ -e "$STANDIN/fail-once" ]; then
    rm -f "$STANDIN/fail-once"
    echo "$ME: the deployment failed half-way (stand-in fail-once)" >&2
    exit 3
  fi
}
trap standin_exit EXIT

bad_usage() { echo "$ME: $*" >&2; usage >&2; exit 2; }

# parse_command "<options that take a value>" "<flag options>" "$@": sets $cmd (the first word) and the
# associative array opt (option -> value, "yes" for a flag); anything else, or an option given twice, is a
# usage error.
declare -A opt=()
parse_command() {
  local with_value=" $1 " flags=" $2 "
  shift 2
  cmd=${1-}
  [ $# -gt 0 ] && shift
  while [ $# -gt 0 ]; do
    if [[ $with_value == *" $1 "* ]]; then
      [ $# -ge 2 ] || bad_usage "option $1 needs a value"
      [ -z "${opt[$1]+x}" ] || bad_usage "option $1 given twice"
      opt[$1]=$2
      shift 2
    elif [[ $flags == *" $1 "* ]]; then
      [ -z "${opt[$1]+x}" ] || bad_usage "option $1 given twice"
      opt[$1]=yes
      shift
    else
      bad_usage "unknown option or argument: $1"
    fi
  done
}

# only OPTION...: every option given is one of these (for the command in $cmd).
only() { local o; for o in "${!opt[@]}"; do [[ " $* " == *" $o "* ]] || bad_usage "option $o is not valid with $cmd"; done; }

disaster() {
  printf '%s\n' "$*" >> "$STANDIN/DISASTER"
  echo "$ME: DISASTER (stand-in): $*" >&2
}

[ -f res/vars.yml ] || { echo "$ME: res/vars.yml not found: run me from the guide folder (cd /opt/portsip-pbx-ha-guide/)" >&2; exit 1; }

is_ip() {
  [[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
  local o
  for o in "${BASH_REMATCH[@]:1}"; do [ "$o" -le 255 ] || return 1; done
}
is_ip_list() { local i; IFS=, read -ra _ips <<<"$1"; [ ${#_ips[@]} -gt 0 ] || return 1; for i in "${_ips[@]}"; do is_ip "$i" || return 1; done; [[ $1 != *, && $1 != ,* ]]; }
is_name() { [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]]; }
is_image() { [[ $1 =~ ^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$ ]]; }
is_path() { [[ $1 =~ ^/[A-Za-z0-9._/-]*$ ]]; }

# Runs on the target host (sent over SSH as a bash function): records one action there.
standin_target() {
  local action=$1 role=$2
  shift 2
  local dir="$HOME/.standin" host
  host=$(hostname)
  mkdir -p "$dir/roles"
  case $action in
    install)
      if [ -e "$dir/roles/$role" ]; then
        echo "reinstall $role $* host=$host" >> "$dir/log"
        echo "$role is already installed on $host: reinstalling it"
      else
        local r
        for r in "$dir/roles"/*; do
          [ -e "$r" ] || continue
          echo "refused $role $* host=$host (already runs ${r##*/})" >> "$dir/log"
          echo "$host already runs ${r##*/}; a server can run only one role" >&2
          return 1
        done
        echo "install $role $* host=$host" >> "$dir/log"
        echo "installed $role on $host"
      fi
      printf '%s\n' "$*" > "$dir/roles/$role" ;;
    remove)
      if [ -e "$dir/roles/$role" ]; then
        rm -f "$dir/roles/$role"
        echo "remove $role $* host=$host" >> "$dir/log"
        echo "removed $role from $host"
      else
        echo "remove-absent $role $* host=$host" >> "$dir/log"
        echo "$role is not installed on $host"
      fi ;;
    upgrade)
      [ -e "$dir/roles/$role" ] || { echo "upgrade-absent $role $* host=$host" >> "$dir/log"; echo "$role is not installed on $host" >&2; return 1; }
      echo "upgrade $role $* host=$host" >> "$dir/log"
      printf '%s\n' "$*" >> "$dir/roles/$role"
      echo "upgraded $role on $host" ;;
    *)
      echo "$action $role $* host=$host" >> "$dir/log"
      echo "$action $role on $host" ;;
  esac
}

# The portal token im.sh and dataflow.sh take (the program pipes it on stdin): "token=given" or "token=none",
# never the token itself.
token_note() {
  local t=''
  if [ ! -t 0 ]; then IFS= read -r t || :; fi
  if [ -n "$t" ]; then echo token=given; else echo token=none; fi
}

# on_target IP ACTION ROLE DETAILS...: does it on the server, from pbx01, as the guides' scripts do.
on_target() {
  local ip=$1
  shift
  if [ "$1" = install ]; then
    while [ -e "$STANDIN/hold" ]; do touch "$STANDIN/held"; sleep 0.2; done
  fi
  ssh -n -o BatchMode=yes -o ConnectTimeout=5 "$(id -un)@$ip" "$(declare -f standin_target); standin_target $(printf '%q ' "$@")"
}
