#!/bin/bash
# Stand-in for the PortSIP HA guide's im.sh (tests/hosts; see standin-lib.sh), as documented in
# "Scaling IM Server On-Premise for High Availability":
#   im.sh run -a <private-ip> -A <public-ip> [-f <storage-path>]
#   im.sh {start|stop|restart|rm|upgrade}      (no options: the script knows its IM server)
usage() {
  cat <<'USAGE'
usage: im.sh run -a <private-ip> -A <public-ip> [-f <path>]
       im.sh {start|stop|restart|rm|upgrade}
USAGE
}
# shellcheck source=standin-lib.sh
. "$(dirname "$0")/standin-lib.sh"

parse_command "-a -A -f" "" "$@"
inv="$STANDIN/im.sh"
deployed=$(cat "$inv" 2>/dev/null || true)

case $cmd in
  run)
    { [ -n "${opt[-a]+x}" ] && [ -n "${opt[-A]+x}" ]; } || bad_usage "run needs -a and -A"
    is_ip "${opt[-a]}" || bad_usage "-a needs the private IPv4 address: ${opt[-a]}"
    is_ip "${opt[-A]}" || bad_usage "-A needs the public IPv4 address: ${opt[-A]}"
    [ -z "${opt[-f]+x}" ] || is_path "${opt[-f]}" || bad_usage "-f needs an absolute path: ${opt[-f]}"
    on_target "${opt[-a]}" install im "public=${opt[-A]}" "storage=${opt[-f]:-default}" "$(token_note)" || exit 1
    printf '%s\n' "${opt[-a]}" > "$inv" ;;
  rm|start|stop|restart|upgrade)
    [ ${#opt[@]} = 0 ] || bad_usage "$cmd takes no options"
    if [ -z "$deployed" ]; then
      [ "$cmd" = rm ] && { echo "im.sh: no IM server is deployed; nothing to remove"; exit 0; }
      echo "im.sh: no IM server is deployed" >&2
      exit 1
    fi
    if [ "$cmd" = upgrade ]; then
      on_target "$deployed" upgrade im "$(token_note)" || exit 1
    else
      on_target "$deployed" "$([ "$cmd" = rm ] && echo remove || echo "$cmd")" im || exit 1
    fi
    [ "$cmd" != rm ] || rm -f "$inv" ;;
  "") bad_usage "no command" ;;
  *) bad_usage "unknown command: $cmd" ;;
esac
