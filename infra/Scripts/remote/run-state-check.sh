#!/bin/sh
# Comes first in a run-state step (RunStateScripts.cs): ends the step, before it queues for a guide script, when
# pbx01 records that this server or service is in the desired state already. A server with no record runs: it was
# just installed, or it ran before this program recorded run states.
# Header: what, record (the server's key, as install.sh records it), desired (running or stopped); for an extended
# server also drain_command and enable_command (the REST helper's, the Web Portal's connection on stdin).
set -eu
: "${what:?}" "${record:?}" "${desired:?}" "${drain_command=}" "${enable_command=}"
# The portal's connection is read here, once, for the helper: the guide script after it gets none of it.
portal=''
[ -z "$drain_command$enable_command" ] || portal=$(cat)
# enable_portal: the server takes new sessions again (a drain, a failed stop or a rolling step left it disabled).
enable_portal() {
  [ -n "$enable_command" ] || return 0
  printf '%s' "$portal" | sh -c "$enable_command" || {
    printf '%s\n' "$what: it runs, but the Web Portal did not enable it again (see above)" >&2
    exit 1
  }
}
recorded=$(cat "$HOME/.portsip-infra/running/$record" 2>/dev/null || echo running)
if [ "$recorded" = "$desired" ]; then
  [ "$desired" != running ] || enable_portal
  printf '%s\n' "$what is $desired; nothing to do"
  exit 0
fi
printf '%s\n' "$what is $recorded; making it $desired"
