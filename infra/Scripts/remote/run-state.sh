#!/bin/sh
# Runs the guide's start or stop command for one server or service ($guide_command), then records on pbx01 the
# state it is in now. Comes after run-state-check.sh, guide-lock.sh and run-guide.sh.
# Header: what, key (its runs), record, desired, guide_command.
set -eu
: "${state:?}" "${what:?}" "${record:?}" "${desired:?}" "${guide_command:?}"
# The guide's own line (cd GUIDE && /bin/bash SCRIPT start|stop ...), rendered and quoted by GuideCommands.cs.
run_guide
mkdir -p "$state/running"
printf '%s\n' "$desired" > "$state/running/$record"
printf '%s\n' "$what is $desired"
