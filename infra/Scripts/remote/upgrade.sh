#!/bin/sh
# Runs the guide's upgrade command unless pbx01 records that this key is at this version already; records the
# version afterwards. Comes after guide-lock.sh, run-guide.sh and site-facts.sh.
# Header: what, key, version, guide_command, site_fact (see site-facts.sh).
set -eu
: "${state:?}" "${what:?}" "${key:?}" "${version:?}" "${guide_command:?}" "${site_fact?}"
# pbx01's record, or what the site runs (site-facts.sh), may say it is done already.
recorded="$state/versions/$key"
if upgrade_done "$what is"; then
  exit 0
fi
[ -z "$site_fact" ] || site_before_guide "$site_fact"
printf '%s\n' "Upgrading $what to $version"
# The guide's own line (cd GUIDE && /bin/bash SCRIPT upgrade ...), rendered and quoted by GuideCommands.cs.
run_guide
printf '%s\n' "$version" > "$recorded"
