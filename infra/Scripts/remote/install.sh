#!/bin/sh
# Runs the guide's install command unless pbx01 records that it already succeeded for this key with the same
# identity (the server's name or IP), or the site shows it is there (site-facts.sh: the Web Portal lists it
# ONLINE under this name at this IP); records success afterwards, and the version installed when there is one.
# With adopt_only (an update: only the connection, the guide folder or the script changed) it never installs.
# Comes after guide-lock.sh, run-guide.sh and site-facts.sh.
# Header: what, key, identity, guide_command, remove_command (run first when the last install failed),
# version (empty: none recorded), portal_status, adopt_only.
set -eu
: "${state:?}" "${what:?}" "${key:?}" "${identity:?}" "${guide_command:?}" "${remove_command:?}" "${version?}" "${adopt_only?}"
installed="$state/installed/$key"
if [ "$(cat "$installed" 2>/dev/null || true)" = "$identity" ]; then
  printf '%s\n' "$what is already installed; nothing to do"
  exit 0
fi
# Decided from what the site runs when pbx01 has no record of it (another SSH user, pbx01 rebuilt, built by hand).
if portal_shows_online; then
  printf '%s\n' "$identity" > "$installed"
  printf '%s\n' "$what is ONLINE in the Web Portal under this name and IP: taken as installed, nothing run"
  exit 0
fi
if [ -n "$adopt_only" ]; then
  printf '%s\n' "$what: pbx01 has no record of it and the Web Portal does not show it ONLINE (${portal_now:-not asked}); only the connection or the guide folder changed, so it is not installed again" >&2
  exit 0
fi
# The guide's own line (cd GUIDE && /bin/bash SCRIPT ...), rendered and quoted by GuideCommands.cs, run detached by run-guide.sh.
run_guide "$remove_command"
printf '%s\n' "$identity" > "$installed"
if [ -n "$version" ]; then
  printf '%s\n' "$version" > "$state/versions/$key"
fi
printf '%s\n' "$what is installed"
