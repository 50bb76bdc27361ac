#!/bin/sh
# Runs the guide's install command unless pbx01 records that it already succeeded for this key with the same
# identity (the server's name or IP); records success afterwards, and the version installed when there is one.
# Comes after guide-lock.sh and run-guide.sh.
# Header: what, key, identity, guide_command, remove_command (run first when the last install failed),
# version (empty: none recorded).
set -eu
: "${state:?}" "${what:?}" "${key:?}" "${identity:?}" "${guide_command:?}" "${remove_command:?}" "${version?}"
installed="$state/installed/$key"
if [ "$(cat "$installed" 2>/dev/null || true)" = "$identity" ]; then
  printf '%s\n' "$what is already installed; nothing to do"
  exit 0
fi
# The guide's own line (cd GUIDE && /bin/bash SCRIPT ...), rendered and quoted by GuideCommands.cs, run detached by run-guide.sh.
run_guide "$remove_command"
printf '%s\n' "$identity" > "$installed"
if [ -n "$version" ]; then
  printf '%s\n' "$version" > "$state/versions/$key"
fi
printf '%s\n' "$what is installed"
