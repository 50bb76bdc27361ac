#!/bin/sh
# Runs on pbx01: adds the stack's deploy key to the SSH user's ~/.ssh/authorized_keys. The key line arrives on
# stdin; the same line is never added twice.
set -eu
IFS= read -r line
mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh"
touch "$HOME/.ssh/authorized_keys" && chmod 600 "$HOME/.ssh/authorized_keys"
if grep -qxF -- "$line" "$HOME/.ssh/authorized_keys"; then
  echo "pbx01 already accepts the stack's deploy key"
else
  printf '%s\n' "$line" >> "$HOME/.ssh/authorized_keys"
  echo "pbx01 now accepts the stack's deploy key"
fi
