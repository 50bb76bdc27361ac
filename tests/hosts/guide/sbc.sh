#!/bin/bash
# Stand-in for the PortSIP HA guide's sbc.sh (tests/hosts; see standin-lib.sh), as documented in
# "Scaling SBC On-Premise for High Availability":
#   sbc.sh run -a <ip>[,<ip>...] -i <image> [-c]
#   sbc.sh upgrade -a <ip>[,<ip>...] -i <image> [-c]
#   sbc.sh {start|stop|restart|rm} [-a <ip>[,<ip>...]]     (without -a: every SBC server)
# `rm` without -a removes every SBC server: recorded as a DISASTER, then done.
usage() {
  cat <<'USAGE'
usage: sbc.sh {run|upgrade} -a <ip>[,<ip>...] -i <image> [-c]
       sbc.sh {start|stop|restart|rm} [-a <ip>[,<ip>...]]
USAGE
}
# shellcheck source=standin-lib.sh
. "$(dirname "$0")/standin-lib.sh"

parse_command "-a -i" "-c" "$@"
[ -z "${opt[-a]+x}" ] || is_ip_list "${opt[-a]}" || bad_usage "-a needs comma-separated private IPv4 addresses: ${opt[-a]}"
[ -z "${opt[-i]+x}" ] || is_image "${opt[-i]}" || bad_usage "-i needs an image: ${opt[-i]}"
inv="$STANDIN/sbc.sh"
touch "$inv"
targets() { if [ -n "${opt[-a]+x}" ]; then tr ',' '\n' <<<"${opt[-a]}"; else awk '{print $1}' "$inv"; fi; }

case $cmd in
  run|upgrade)
    { [ -n "${opt[-a]+x}" ] && [ -n "${opt[-i]+x}" ]; } || bad_usage "$cmd needs -a and -i"
    for ip in $(targets); do
      if [ "$cmd" = run ]; then
        on_target "$ip" install sbc "image=${opt[-i]}" "certificate-manager=${opt[-c]:-no}" || exit 1
        { awk -v a="$ip" '$1 != a' "$inv"; echo "$ip ${opt[-i]}"; } > "$inv.new" && mv "$inv.new" "$inv"
      else
        on_target "$ip" upgrade sbc "image=${opt[-i]}" "certificate-manager=${opt[-c]:-no}" || exit 1
      fi
    done ;;
  rm|start|stop|restart)
    [ -z "${opt[-i]+x}${opt[-c]+x}" ] || bad_usage "$cmd takes only -a"
    [ "$cmd" != rm ] || [ -n "${opt[-a]+x}" ] || disaster "sbc.sh rm without -a removes every SBC server: $(awk '{print $1}' "$inv" | tr '\n' ' ')"
    for ip in $(targets); do
      on_target "$ip" "$([ "$cmd" = rm ] && echo remove || echo "$cmd")" sbc || exit 1
      [ "$cmd" != rm ] || { awk -v a="$ip" '$1 != a' "$inv" > "$inv.new" && mv "$inv.new" "$inv"; }
    done ;;
  "") bad_usage "no command" ;;
  *) bad_usage "unknown command: $cmd" ;;
esac
