#!/bin/sh
# Runs the guide's upgrade command unless pbx01 records that this key is at this version already; records the
# version afterwards. Comes after guide-lock.sh and run-guide.sh.
# Header: what, key, version, guide_command.
set -eu
: "${state:?}" "${what:?}" "${key:?}" "${version:?}" "${guide_command:?}"
recorded="$state/versions/$key"
if [ "$(cat "$recorded" 2>/dev/null || true)" = "$version" ]; then
  printf '%s\n' "$what is at $version already; nothing to do"
  exit 0
fi
printf '%s\n' "Upgrading $what to $version"
# The guide's own line (cd GUIDE && /bin/bash SCRIPT upgrade ...), rendered and quoted by GuideCommands.cs.
run_guide
printf '%s\n' "$version" > "$recorded"
