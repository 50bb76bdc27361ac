#!/bin/sh
# Runs the guide's remove command for one server or service and forgets what pbx01 recorded for it.
# Comes after guide-lock.sh and run-guide.sh.
# Header: what, key, guide_command.
set -eu
: "${state:?}" "${what:?}" "${key:?}" "${guide_command:?}"
# The guide's own line (cd GUIDE && /bin/bash SCRIPT rm ...), rendered and quoted by GuideCommands.cs.
run_guide
rm -f "$state/installed/$key" "$state/versions/$key"
printf '%s\n' "$what is removed"
