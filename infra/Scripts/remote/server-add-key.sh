#!/bin/sh
# Runs on the cluster server, as the SSH remote command of trust.sh: adds the key line read from stdin to
# ~/.ssh/authorized_keys unless a line with the same key is there.
set -eu
umask 077
IFS= read -r line || exit 3
set -f
# shellcheck disable=SC2086 # split the key line into its fields (type, key, comment); globbing is off
set -- $line
[ $# -ge 2 ] || exit 3
mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh" && touch "$HOME/.ssh/authorized_keys" && chmod 600 "$HOME/.ssh/authorized_keys" || exit 4
if grep -qF -- "$2" "$HOME/.ssh/authorized_keys"; then
  echo present
else
  # A last line without its newline gets one first, so the key is not glued to it.
  last=''
  if [ -s "$HOME/.ssh/authorized_keys" ]; then last=$(tail -c 1 "$HOME/.ssh/authorized_keys"); fi
  { if [ -n "$last" ]; then echo; fi; printf "%s\n" "$line"; } >> "$HOME/.ssh/authorized_keys" && echo added
fi
