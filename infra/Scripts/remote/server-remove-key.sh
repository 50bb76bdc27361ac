#!/bin/sh
# Runs on the cluster server, as the SSH remote command of untrust.sh (after key-file.sh, and after the line
# line='pbx01's key line' that untrust.sh puts first): removes the lines that hold that key from
# ~/.ssh/authorized_keys, and nothing else. Prints removed or absent.
set -eu
: "${line:?}"
key_file_edit "$HOME/.ssh/authorized_keys" remove key "$line"
