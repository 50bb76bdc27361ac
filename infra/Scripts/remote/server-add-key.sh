#!/bin/sh
# Runs on the cluster server, as the SSH remote command of trust.sh (after key-file.sh, and after the line
# line='pbx01's key line' that trust.sh puts first): adds the key to ~/.ssh/authorized_keys unless a line
# with the same key is there. Prints added or present.
set -eu
: "${line:?}"
umask 077
mkdir -p "$HOME/.ssh"
chmod 700 "$HOME/.ssh"
key_file_edit "$HOME/.ssh/authorized_keys" add key "$line"
