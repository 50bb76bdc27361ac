#!/bin/sh
# Runs on pbx01 (after key-file.sh): takes the stack's deploy key (the line on stdin) off the SSH user's
# ~/.ssh/authorized_keys: that exact line, and nothing else.
set -eu
IFS= read -r line
result=$(key_file_edit "$HOME/.ssh/authorized_keys" remove line "$line")
if [ "$result" = removed ]; then
  echo "pbx01 no longer accepts the stack's deploy key"
else
  echo "pbx01 did not list the stack's deploy key; nothing to remove"
fi
