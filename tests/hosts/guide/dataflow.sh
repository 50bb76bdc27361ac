#!/bin/bash
# Stand-in for the PortSIP HA guide's dataflow.sh (tests/hosts; see standin-lib.sh), as documented in
# "Scaling Data Flow Server On-Premise for High Availability":
#   dataflow.sh run -p <data-path> [-d <clickhouse-image>] [-a <private-ip>] [-A <public-ip>] -i <pbx-image>
#     (-p and -i required; -A is used when there is no -a, so one of them is needed)
#   dataflow.sh upgrade [-d <clickhouse-image>]
#   dataflow.sh {start|stop|restart|rm}
usage() {
  cat <<'USAGE'
usage: dataflow.sh run -p <path> [-d <clickhouse-image>] [-a <private-ip>] [-A <public-ip>] -i <pbx-image>
       dataflow.sh upgrade [-d <clickhouse-image>]
       dataflow.sh {start|stop|restart|rm}
USAGE
}
# shellcheck source=standin-lib.sh
. "$(dirname "$0")/standin-lib.sh"

parse_command "-p -d -a -A -i" "" "$@"
[ -z "${opt[-a]+x}" ] || is_ip "${opt[-a]}" || bad_usage "-a needs a private IPv4 address: ${opt[-a]}"
[ -z "${opt[-A]+x}" ] || is_ip "${opt[-A]}" || bad_usage "-A needs a public IPv4 address: ${opt[-A]}"
[ -z "${opt[-p]+x}" ] || is_path "${opt[-p]}" || bad_usage "-p needs an absolute path: ${opt[-p]}"
[ -z "${opt[-d]+x}" ] || is_image "${opt[-d]}" || bad_usage "-d needs an image: ${opt[-d]}"
[ -z "${opt[-i]+x}" ] || is_image "${opt[-i]}" || bad_usage "-i needs an image: ${opt[-i]}"
inv="$STANDIN/dataflow.sh"
deployed=$(cat "$inv" 2>/dev/null || true)

case $cmd in
  run)
    { [ -n "${opt[-p]+x}" ] && [ -n "${opt[-i]+x}" ]; } || bad_usage "run needs -p and -i"
    [ -n "${opt[-a]+x}${opt[-A]+x}" ] || bad_usage "run needs -a (or -A)"
    ip=${opt[-a]:-${opt[-A]}}
    on_target "$ip" install dataflow "path=${opt[-p]}" "clickhouse=${opt[-d]:-default}" "pbx=${opt[-i]}" "public=${opt[-A]:-none}" "$(token_note)" || exit 1
    printf '%s\n' "$ip" > "$inv" ;;
  upgrade|rm|start|stop|restart)
    if [ "$cmd" = upgrade ]; then only -d; else only; fi
    if [ -z "$deployed" ]; then
      [ "$cmd" = rm ] && { echo "dataflow.sh: no Data Flow server is deployed; nothing to remove"; exit 0; }
      echo "dataflow.sh: no Data Flow server is deployed" >&2
      exit 1
    fi
    on_target "$deployed" "$([ "$cmd" = rm ] && echo remove || echo "$cmd")" dataflow ${opt[-d]:+"clickhouse=${opt[-d]}"} || exit 1
    [ "$cmd" != rm ] || rm -f "$inv" ;;
  "") bad_usage "no command" ;;
  *) bad_usage "unknown command: $cmd" ;;
esac
