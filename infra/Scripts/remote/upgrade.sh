#!/bin/sh
# Runs the guide's upgrade command unless pbx01 records that this key is at this version already; records the
# version afterwards. Comes after guide-lock.sh, run-guide.sh and site-facts.sh.
# Header: what, key, version, guide_command, site_fact (see site-facts.sh).
set -eu
: "${state:?}" "${what:?}" "${key:?}" "${version:?}" "${guide_command:?}" "${site_fact?}"
recorded="$state/versions/$key"
if [ "$(cat "$recorded" 2>/dev/null || true)" = "$version" ]; then
  printf '%s\n' "$what is at $version already; nothing to do"
  exit 0
fi
# Decided from what the site runs (site-facts.sh) when the record is missing or stale: already there, record it.
if [ -n "$site_fact" ] && site_runs "$site_fact" "$version"; then
  printf '%s\n' "$version" > "$recorded"
  printf '%s\n' "$what: the site already runs $version; nothing to do"
  exit 0
fi
[ -z "$site_fact" ] || site_before_guide "$site_fact"
printf '%s\n' "Upgrading $what to $version"
# The guide's own line (cd GUIDE && /bin/bash SCRIPT upgrade ...), rendered and quoted by GuideCommands.cs.
run_guide
printf '%s\n' "$version" > "$recorded"
