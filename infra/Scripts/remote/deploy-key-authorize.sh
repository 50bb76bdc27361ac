#!/bin/sh
# Runs on pbx01 (after key-file.sh): adds the stack's deploy key (the line on stdin) to the SSH user's
# ~/.ssh/authorized_keys, unless that exact line is there already
# (matched by line, not by key: a changed line, other deployKeyFrom addresses, is added before the old one goes).
set -eu
IFS= read -r line
umask 077
mkdir -p "$HOME/.ssh"
chmod 700 "$HOME/.ssh"
result=$(key_file_edit "$HOME/.ssh/authorized_keys" add line "$line")
if [ "$result" = added ]; then
  echo "pbx01 now accepts the stack's deploy key"
else
  echo "pbx01 already accepts the stack's deploy key"
fi
