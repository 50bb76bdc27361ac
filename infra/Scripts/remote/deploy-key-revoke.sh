#!/bin/sh
# Runs on pbx01: takes the stack's deploy key (the line on stdin) off the SSH user's ~/.ssh/authorized_keys.
set -eu
IFS= read -r line
f="$HOME/.ssh/authorized_keys"
if [ -f "$f" ] && grep -qxF -- "$line" "$f"; then
  { grep -vxF -- "$line" "$f" || :; } > "$f.portsip-infra" && cat "$f.portsip-infra" > "$f"
  rm -f "$f.portsip-infra"
  echo "pbx01 no longer accepts the stack's deploy key"
else
  echo "pbx01 did not list the stack's deploy key; nothing to remove"
fi
