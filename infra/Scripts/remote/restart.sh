#!/bin/sh
# Runs the guide's restart command for one server or service, then records the restart count on pbx01.
# Comes after restart-check.sh, guide-lock.sh and run-guide.sh. Header: what, key (its runs), record, count, guide_command.
set -eu
: "${state:?}" "${what:?}" "${record:?}" "${count:?}" "${guide_command:?}"
# The guide's own line (cd GUIDE && /bin/bash SCRIPT restart ...), rendered and quoted by GuideCommands.cs.
run_guide
mkdir -p "$state/restarts"
printf '%s\n' "$count" > "$state/restarts/$record"
printf '%s\n' "$what is restarted"
