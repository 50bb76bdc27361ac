#!/bin/bash
# Stand-in for the PortSIP HA guide's extend.sh (tests/hosts; see standin-lib.sh), as documented in
# "Scaling Servers On-Premise for High Availability":
#   extend.sh run -s <type> -n <name> -a <private-ip>
#   extend.sh {start|stop|restart|rm} [-s <type> [-a <private-ip>]]   (-a needs -s)
#   extend.sh upgrade [-s <type>]
# `rm` without both -s and -a removes every server (of the type): recorded as a DISASTER, then done.
usage() {
  cat <<'USAGE'
usage: extend.sh run -s <type> -n <name> -a <private-ip>
       extend.sh {start|stop|restart|rm} [-s <type> [-a <private-ip>]]
       extend.sh upgrade [-s <type>]
types: media-server-only queue-server-only meeting-server-only ivr-server-only
USAGE
}
# shellcheck source=standin-lib.sh
. "$(dirname "$0")/standin-lib.sh"

parse_command "-s -n -a" "" "$@"
if [ -n "${opt[-s]+x}" ]; then
  case ${opt[-s]} in
    media-server-only|queue-server-only|meeting-server-only|ivr-server-only) ;;
    *) bad_usage "unknown server type: ${opt[-s]}" ;;
  esac
fi
[ -z "${opt[-a]+x}" ] || is_ip "${opt[-a]}" || bad_usage "-a needs a private IPv4 address: ${opt[-a]}"
[ -z "${opt[-n]+x}" ] || is_name "${opt[-n]}" || bad_usage "bad server name: ${opt[-n]}"

inv="$STANDIN/extend.sh"
touch "$inv"
selected() { awk -v s="${opt[-s]-}" -v a="${opt[-a]-}" '(s == "" || $1 == s) && (a == "" || $3 == a)' "$inv"; }
forget() { awk -v s="$1" -v a="$2" '!($1 == s && $3 == a)' "$inv" > "$inv.new" && mv "$inv.new" "$inv"; }

case $cmd in
  run)
    only -s -n -a
    { [ -n "${opt[-s]+x}" ] && [ -n "${opt[-n]+x}" ] && [ -n "${opt[-a]+x}" ]; } || bad_usage "run needs -s, -n and -a"
    on_target "${opt[-a]}" install "${opt[-s]}" "name=${opt[-n]}" "ip=${opt[-a]}" || exit 1
    awk -v a="${opt[-a]}" '$3 != a' "$inv" > "$inv.new" && mv "$inv.new" "$inv"
    printf '%s %s %s\n' "${opt[-s]}" "${opt[-n]}" "${opt[-a]}" >> "$inv" ;;
  rm|start|stop|restart)
    only -s -a
    [ -z "${opt[-a]+x}" ] || [ -n "${opt[-s]+x}" ] || bad_usage "-a needs -s"
    if [ -n "${opt[-a]+x}" ]; then
      on_target "${opt[-a]}" "$([ "$cmd" = rm ] && echo remove || echo "$cmd")" "${opt[-s]}" "ip=${opt[-a]}" || exit 1
      [ "$cmd" != rm ] || forget "${opt[-s]}" "${opt[-a]}"
    else
      [ "$cmd" != rm ] || disaster "extend.sh rm ${opt[-s]:+-s ${opt[-s]}} removes every ${opt[-s]:-extended} server: $(selected | awk '{print $2 "@" $3}' | tr '\n' ' ')"
      selected | while read -r s n a; do
        on_target "$a" "$([ "$cmd" = rm ] && echo remove || echo "$cmd")" "$s" "ip=$a" </dev/null || exit 1
        [ "$cmd" != rm ] || forget "$s" "$a"
      done || exit 1
    fi ;;
  upgrade)
    only -s
    selected | while read -r s n a; do
      on_target "$a" upgrade "$s" "name=$n" </dev/null || exit 1
    done || exit 1 ;;
  "") bad_usage "no command" ;;
  *) bad_usage "unknown command: $cmd" ;;
esac
