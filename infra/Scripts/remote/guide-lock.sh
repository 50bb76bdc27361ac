#!/bin/sh
# Comes first in every script that runs a guide script on pbx01 (RemoteScript.cs puts it there): waits for its
# turn in pbx01's guide queue, so two guide scripts never run at once (the guides say never to interrupt a
# running deployment; two at once would be worse), and sets $state, the folder where pbx01 records what was
# installed. Header: what, key, guide_command (run-guide.sh runs it).
#
# The queue is fair and has no time limit: each step takes a numbered ticket in $state/queue/ and goes when
# every older ticket is gone, however many servers one `pulumi up` adds. A ticket names the processes that
# hold it: this step's shell and, once started, the detached guide script (run-guide.sh), so a dropped SSH
# session does not free the turn while its guide script still runs. A ticket whose processes are all gone is
# stale (its step ended, or was killed with the connection) and is thrown away by whoever meets it.
# While it waits, a step says every minute what it waits for; when the step ahead runs this same guide command
# (an earlier try of this step, whose connection dropped), it follows that script's log instead.
set -eu
: "${what:?}" "${key:?}" "${guide_command:?}"
state="$HOME/.portsip-infra"
queue="$state/queue"
runs="$state/runs"
mkdir -p "$state/installed" "$state/versions" "$queue" "$runs"
# The step's own shell stays out of the way of a dropped connection: a write to the dead session fails (and
# ends this shell) instead of killing it silently, and the guide script, detached, never sees either.
trap '' HUP

# Only the queue's own bookkeeping is under flock, for an instant.
ticket_number=$(
  {
    flock 9
    n=$(cat "$queue/.next" 2>/dev/null || echo 0)
    n=$((n + 1))
    printf '%s\n' "$n" > "$queue/.next"
    printf '%s\n' "$n"
  } 9>"$queue/.lock"
)
ticket="$queue/$(printf '%012d' "$ticket_number")"

# write_ticket PIDS...: the ticket's holders (line 1), when it was taken (line 2), what the step runs (line 3).
ticket_started=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
write_ticket() {
  printf '%s\n%s\n%s\n' "$*" "$ticket_started" "$what" > "$ticket.new"
  mv -f "$ticket.new" "$ticket"
}
write_ticket $$

# ticket_alive TICKET: one of its processes still runs.
ticket_alive() {
  holders=$(sed -n 1p "$1" 2>/dev/null || true)
  for pid in $holders; do
    if kill -0 "$pid" 2>/dev/null; then return 0; fi
  done
  return 1
}

# release_ticket: at the end of the step; never while this step's guide script still runs (run-guide.sh sets
# $guide_pid), so that a step whose session dropped keeps its turn until its script ends.
guide_pid=
release_ticket() {
  if [ -z "$guide_pid" ] || ! kill -0 "$guide_pid" 2>/dev/null; then rm -f "$ticket"; fi
}
trap release_ticket EXIT

last_said=0
while :; do
  first=
  ahead=0
  for t in "$queue"/[0-9]*; do
    [ -e "$t" ] || continue
    [ "$t" != "$ticket" ] || break
    case $t in *.new) continue ;; esac
    if ticket_alive "$t"; then
      ahead=$((ahead + 1))
      first=${first:-$t}
    else
      rm -f "$t"
    fi
  done
  [ "$ahead" -gt 0 ] || break
  # An earlier try of this same step whose session dropped: follow its script to the end (run-guide.sh then
  # reports its result instead of running the guide command again).
  running=$(cat "$runs/$key.pid" 2>/dev/null || true)
  if [ -n "$running" ] && kill -0 "$running" 2>/dev/null && [ "$(cat "$runs/$key.command" 2>/dev/null || true)" = "$guide_command" ]; then
    printf '%s\n' "$what: the same guide command is still running on pbx01 (pid $running, log $runs/$key.log); following it"
    tail -n +1 -f --pid="$running" "$runs/$key.log" || true
    continue
  fi
  now=$(date +%s)
  if [ $((now - last_said)) -ge 60 ]; then
    printf '%s\n' "$what: waiting for $(sed -n 3p "$first" 2>/dev/null) (started $(sed -n 2p "$first" 2>/dev/null)) to finish; $ahead ahead"
    last_said=$now
  fi
  sleep 2
done
