#!/bin/sh
# Comes first in a run-state step (RunStateScripts.cs): ends the step, before it queues for a guide script, when
# pbx01 records that this server or service is in the desired state already. A server with no record runs: it was
# just installed, or it ran before this program recorded run states.
# Header: what, record (the server's key, as install.sh records it), desired (running or stopped).
set -eu
: "${what:?}" "${record:?}" "${desired:?}"
recorded=$(cat "$HOME/.portsip-infra/running/$record" 2>/dev/null || echo running)
if [ "$recorded" = "$desired" ]; then
  printf '%s\n' "$what is $desired; nothing to do"
  exit 0
fi
printf '%s\n' "$what is $recorded; making it $desired"
