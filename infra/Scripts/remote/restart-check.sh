#!/bin/sh
# Comes first in a restart step (RunStateScripts.cs): ends the step, recording the count, unless the operator
# raised the restart count above the one pbx01 recorded for this server or service and it is to run. So a
# connection change, a lowered count, a server entering the stack (no record) or a stopped server restarts nothing.
# Header: what, record, count. The server's state is the one its state step (which comes first) recorded.
set -eu
: "${what:?}" "${record:?}" "${count:?}"
restarts="$HOME/.portsip-infra/restarts"
recorded=$(cat "$restarts/$record" 2>/dev/null || true)
reason=
if [ -z "$recorded" ]; then
  reason="restart count $count recorded; nothing restarted"
elif [ "$count" -le "$recorded" ]; then
  reason="restart count $count (recorded $recorded); nothing to do"
elif [ "$(cat "$HOME/.portsip-infra/running/$record" 2>/dev/null || true)" = stopped ]; then
  reason="is stopped: not restarted (restart count $count recorded)"
fi
if [ -n "$reason" ]; then
  mkdir -p "$restarts"
  printf '%s\n' "$count" > "$restarts/$record"
  printf '%s\n' "$what: $reason"
  exit 0
fi
printf '%s\n' "$what: restart count raised from $recorded to $count; restarting it"
