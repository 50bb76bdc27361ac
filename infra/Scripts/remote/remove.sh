#!/bin/sh
# Runs the guide's remove command for one server or service and forgets what pbx01 recorded for it.
# Comes after guide-lock.sh and run-guide.sh.
# Header: what, key, identity (the server's name, or the service's address, as install.sh recorded it), guide_command,
# drain_command (extended servers only: the REST helper's drain, its connection on stdin).
set -eu
: "${state:?}" "${what:?}" "${key:?}" "${identity:?}" "${guide_command:?}"
# A delete acts on its own server only: when pbx01 records another identity under this key (another server
# installed at the address since), the address is no longer this server's, and nothing is removed.
recorded=$(cat "$state/installed/$key" 2>/dev/null || true)
if [ -n "$recorded" ] && [ "$recorded" != "$identity" ]; then
  printf '%s\n' "$what: not removed: pbx01 records $recorded installed under $key, not $identity; that server is left as it is"
  exit 0
fi
# Before anything that drops its calls, an extended server is drained: disabled in the Web Portal, its open sessions
# awaited (drainTimeoutSeconds, drainTimeoutAction). One the portal no longer lists has nothing to drain.
if [ -n "${drain_command:-}" ]; then
  if ! sh -c "$drain_command"; then
    printf '%s\n' "$what: not removed: it was not drained (see above); nothing was run" >&2
    exit 1
  fi
fi
# The guide's own line (cd GUIDE && /bin/bash SCRIPT rm ...), rendered and quoted by GuideCommands.cs.
run_guide
rm -f "$state/installed/$key" "$state/versions/$key"
printf '%s\n' "$what is removed"
