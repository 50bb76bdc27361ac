#!/bin/sh
# upgradeStrategy rolling: upgrades the servers of one role one at a time, with the guides' documented commands only,
# so that the others carry the calls meanwhile. For each server, in the stack's order:
#   drain (REST helper: disabled in the Web Portal, open sessions awaited), extend.sh rm -s ROLE -a IP,
#   extend.sh run -s ROLE -n NAME -a IP (on the upgraded cluster: the new image), wait until the portal shows it
#   ONLINE, enable it again.
# It stops at the first server that does not come back; the others are not touched. Decided from what the site runs,
# as upgrade.sh: nothing when pbx01 records the role at this version or the site shows it (site-facts.sh). A re-run
# after a failure converges: pbx01 records each server's progress in $state/rolling/<key> ("VERSION removed", then
# "VERSION done"), so a server done is skipped and one removed is installed again (run-guide.sh removes what a failed
# install left first). Comes after guide-lock.sh, run-guide.sh and site-facts.sh.
# Header: what, key, version, guide_command (every line this step may run, for the queue), site_fact, vars_file,
# server_count, and per server N (1..server_count): server_N_what, server_N_key, server_N_name, server_N_status,
# server_N_drain, server_N_remove, server_N_run, server_N_online, server_N_enable. The REST helper's connection is on
# stdin: read once, handed to each helper line.
set -eu
: "${state:?}" "${what:?}" "${key:?}" "${version:?}" "${site_fact?}" "${server_count:?}"
recorded="$state/versions/$key"
if upgrade_done "$what are"; then
  exit 0
fi

api_stdin=$(cat)
# helper LINE: one REST helper line (rendered by DrainCommands.cs / PortalCommands.cs) with the connection on stdin.
helper() { printf '%s\n' "$api_stdin" | sh -c "$1"; }
# server_value N FIELD: the header value server_N_FIELD (N is a number, FIELD a fixed word: nothing else is evaluated).
server_value() { eval "printf '%s' \"\${server_$1_$2}\""; }

rolling="$state/rolling"
mkdir -p "$rolling"
printf '%s\n' "Upgrading $what to $version one server at a time"
n=1
while [ "$n" -le "$server_count" ]; do
  server_what=$(server_value "$n" what)
  server_key=$(server_value "$n" key)
  progress=$(cat "$rolling/$server_key" 2>/dev/null || true)
  if [ "$progress" = "$version done" ]; then
    printf '%s\n' "$server_what: upgraded to $version already"
    n=$((n + 1))
    continue
  fi
  if [ "$progress" != "$version removed" ]; then
    # A server not installed yet (added in this same run) is installed at the new image by its own step. Without
    # pbx01's record, the Web Portal tells (listed under its name at its IP, ONLINE); a helper failure stops here.
    if [ "$(cat "$state/installed/$server_key" 2>/dev/null || true)" != "$(server_value "$n" name)" ]; then
      portal_now=$(helper "$(server_value "$n" status)") || exit 1
      if [ "$portal_now" != online ]; then
        printf '%s\n' "$server_what: not installed yet ($portal_now in the Web Portal); its own install runs the new image"
        n=$((n + 1))
        continue
      fi
    fi
    if ! helper "$(server_value "$n" drain)"; then
      printf '%s\n' "$server_what: stopped before its upgrade: it was not drained (see above); it and the servers after it are not touched" >&2
      exit 1
    fi
    key=$server_key
    guide_command=$(server_value "$n" remove)
    run_guide
    printf '%s removed\n' "$version" > "$rolling/$server_key"
  fi
  key=$server_key
  # shellcheck disable=SC2034 # read by run_guide (run-guide.sh)
  guide_command=$(server_value "$n" run)
  # A failed try of this install is undone by the same targeted rm first (run-guide.sh).
  run_guide "$(server_value "$n" remove)"
  if ! helper "$(server_value "$n" online)"; then
    printf '%s\n' "$server_what: stopped: it did not come back ONLINE after its upgrade; it stays disabled, and the servers after it are not touched" >&2
    exit 1
  fi
  helper "$(server_value "$n" enable)"
  printf '%s done\n' "$version" > "$rolling/$server_key"
  printf '%s\n' "$server_what is upgraded to $version"
  n=$((n + 1))
done
n=1
while [ "$n" -le "$server_count" ]; do
  rm -f "$rolling/$(server_value "$n" key)"
  n=$((n + 1))
done
printf '%s\n' "$version" > "$recorded"
printf '%s\n' "$what are upgraded to $version"
