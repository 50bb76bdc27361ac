#!/bin/sh
# The delete of a run-state step (the server leaves the stack or is replaced): forgets its recorded state and
# restart count, and runs nothing. Header: what, record.
set -eu
: "${what:?}" "${record:?}"
rm -f "$HOME/.portsip-infra/running/$record" "$HOME/.portsip-infra/restarts/$record"
printf '%s\n' "$what: its run state is forgotten"
