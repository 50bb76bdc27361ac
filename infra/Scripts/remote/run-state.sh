#!/bin/sh
# Runs the guide's start or stop command for one server or service ($guide_command), then records on pbx01 the
# state it is in now. Comes after run-state-check.sh (which read the portal's connection and defines enable_portal),
# guide-lock.sh and run-guide.sh.
# Header: what, key (its runs), record, desired, guide_command.
set -eu
: "${state:?}" "${what:?}" "${record:?}" "${desired:?}" "${guide_command:?}" "${portal?}" "${drain_command?}" "${enable_command?}"
# Before a stop drops its calls, an extended server is drained: disabled in the Web Portal, its open sessions
# awaited (drainTimeoutSeconds, drainTimeoutAction). A failed drain stops nothing and enables the server again: it
# keeps taking calls, whether the next run tries the stop again or the config goes back to running (then this step
# does not run again, as its inputs are those of its last success).
if [ "$desired" = stopped ] && [ -n "$drain_command" ]; then
  if ! printf '%s' "$portal" | sh -c "$drain_command"; then
    printf '%s' "$portal" | sh -c "$enable_command" || true
    printf '%s\n' "$what: not stopped: it was not drained (see above); it takes new sessions again, nothing was run" >&2
    exit 1
  fi
fi
# The guide's own line (cd GUIDE && /bin/bash SCRIPT start|stop ...), rendered and quoted by GuideCommands.cs.
run_guide
# Started: enabled again in the portal before the state is recorded, so a failure here is retried by the next run.
[ "$desired" != running ] || enable_portal
mkdir -p "$state/running"
printf '%s\n' "$desired" > "$state/running/$record"
printf '%s\n' "$what is $desired"
