#!/bin/sh
# Runs on the cluster server, as the SSH remote command of untrust.sh: drops the lines that hold the key read
# from stdin, keeps the file (and its mode) otherwise.
set -eu
IFS= read -r line || exit 3
set -f
# shellcheck disable=SC2086 # split the key line into its fields (type, key, comment); globbing is off
set -- $line
[ $# -ge 2 ] || exit 3
f="$HOME/.ssh/authorized_keys"
if [ -f "$f" ] && grep -qF -- "$2" "$f"; then
  umask 077
  rc=0
  { { grep -vF -- "$2" "$f" || :; } > "$f.portsip-untrust" && cat "$f.portsip-untrust" > "$f"; } || rc=$?
  rm -f "$f.portsip-untrust"
  [ $rc -eq 0 ] && echo removed
else
  echo absent
fi
