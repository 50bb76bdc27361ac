#!/bin/sh
# Comes after guide-lock.sh (which sets $state, $runs, $ticket and holds this step's turn): defines run_guide,
# which install.sh, upgrade.sh and remove.sh call to run the guide's command line ($guide_command).
#
# The guides say never to interrupt a running deployment, and a dropped SSH connection would (SIGHUP/SIGPIPE).
# So the guide command runs detached from the SSH session, in a session of its own (setsid), and keeps its
# files in $runs (~/.portsip-infra/runs/):
#   <key>.log      its output (stdout and stderr), kept after it ends
#   <key>.pid      its process
#   <key>.command  the command line it runs
#   <key>.status   its exit code, written when it ends
# The step follows the log until the script ends and exits with the script's code. The detached script holds
# the step's queue ticket too, so the queue stays closed until it ends even when the step's connection drops.
# A run whose result a step has reported (success) leaves only its log; an unreported or failed run leaves its
# files, so the next try of the step knows:
#   - the same command still running: the step follows it instead of starting a second one;
#   - the same command finished with 0 (the connection dropped): done, not run again;
#   - the last run failed and the step is an install: the guide's own remove for this one server or service
#     (header remove_command) runs first, then the install again, so a create re-run converges on its own.
# Nothing here ever kills a guide script.
set -eu
: "${state:?}" "${runs:?}" "${key:?}" "${what:?}" "${guide_command:?}"

# The step's stdin (the portal token, when the guide command takes one) for the guide script: a command started
# with & in a script reads /dev/null unless told otherwise.
exec 3<&0

# start_guide COMMAND STDIN: STDIN is "step" (the step's stdin) or "none".
start_guide() {
  rm -f "$runs/$key.status"
  printf '%s\n' "$1" > "$runs/$key.command"
  : > "$runs/$key.log"
  # shellcheck disable=SC2016 # $1.. are the inner shell's arguments.
  runner='sh -c "$1" >>"$2" 2>&1 || code=$?; printf "%s\n" "${code:-0}" > "$3.new"; mv -f "$3.new" "$3"'
  if [ "$2" = step ]; then
    setsid sh -c "$runner" run-guide "$1" "$runs/$key.log" "$runs/$key.status" <&3 3<&- 9>&- &
  else
    setsid sh -c "$runner" run-guide "$1" "$runs/$key.log" "$runs/$key.status" </dev/null 3<&- 9>&- &
  fi
  guide_pid=$!
  printf '%s\n' "$guide_pid" > "$runs/$key.pid"
  write_ticket $$ "$guide_pid"
}

# follow_guide: shows the running script's output until it ends; sets $code to its exit code ("none": it ended
# without writing one, e.g. pbx01 restarted).
follow_guide() {
  pid=$(cat "$runs/$key.pid")
  tail -n +1 -f --pid="$pid" "$runs/$key.log" || true
  while [ ! -e "$runs/$key.status" ] && kill -0 "$pid" 2>/dev/null; do sleep 1; done
  code=$(cat "$runs/$key.status" 2>/dev/null || echo none)
}

# finish_guide: reports the result; on success forgets the run (keeping its log), on failure exits the step.
finish_guide() {
  if [ "$code" = 0 ]; then
    rm -f "$runs/$key.pid" "$runs/$key.command" "$runs/$key.status"
    return 0
  fi
  printf '%s\n' "$what: the guide command failed (exit $code); its output is in $runs/$key.log on pbx01" >&2
  case $code in ''|*[!0-9]*) exit 1 ;; *) exit "$code" ;; esac
}

# run_guide [REMOVE_COMMAND]: runs $guide_command as above; REMOVE_COMMAND (installs only) runs first when the
# last run for this key failed.
run_guide() {
  last_pid=$(cat "$runs/$key.pid" 2>/dev/null || true)
  last_command=$(cat "$runs/$key.command" 2>/dev/null || true)
  if [ -n "$last_pid" ] && kill -0 "$last_pid" 2>/dev/null; then
    if [ "$last_command" != "$guide_command" ]; then
      printf '%s\n' "$what: another guide command is still running for it on pbx01 (pid $last_pid, log $runs/$key.log): $last_command" >&2
      exit 1
    fi
    printf '%s\n' "$what: the same guide command is still running on pbx01 (pid $last_pid); following it"
    guide_pid=$last_pid
    write_ticket $$ "$guide_pid"
    follow_guide
    finish_guide
    return 0
  fi
  if [ -n "$last_command" ]; then
    last_code=$(cat "$runs/$key.status" 2>/dev/null || echo none)
    if [ "$last_code" = 0 ] && [ "$last_command" = "$guide_command" ]; then
      printf '%s\n' "$what: the guide command already finished on pbx01 (its connection had dropped); output in $runs/$key.log"
      code=0
      finish_guide
      return 0
    fi
    if [ "$last_code" != 0 ] && [ -n "${1-}" ]; then
      mv -f "$runs/$key.log" "$runs/$key.failed.log" 2>/dev/null || true
      printf '%s\n' "$what: the last guide command for it failed on pbx01 (exit $last_code; its output: $runs/$key.failed.log); removing what it left before installing again"
      start_guide "$1" none
      follow_guide
      finish_guide
    fi
  fi
  start_guide "$guide_command" step
  follow_guide
  finish_guide
}
