#!/bin/sh
# How pbx01 logs in to a cluster server (comes first in trust.sh, untrust.sh and preflight.sh).
set -eu

# Every connection: no agent or forwarding, a short dial.
ssh_common() {
  ssh -o ConnectTimeout=10 -o ServerAliveInterval=15 -o ServerAliveCountMax=2 \
    -o ForwardAgent=no -o ForwardX11=no -o ClearAllForwardings=yes "$@"
}

# Key login only, with pbx01's own key (the one the guides' scripts use) and no prompt of any kind.
ssh_key() {
  ssh_common -i "$HOME/.ssh/id_rsa" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no "$@"
}

# NAME='VALUE', VALUE quoted for the server's shell: how a value known on pbx01 only (its own key line) goes
# in front of a remote command (the program's values come in the script's header instead).
remote_assign() {
  printf "%s='%s'\n" "$1" "$(printf '%s' "$2" | sed "s/'/'\\\\''/g")"
}
