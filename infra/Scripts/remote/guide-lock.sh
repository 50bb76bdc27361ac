#!/bin/sh
# Comes first in every script that runs a guide script on pbx01 (RemoteScript.cs puts it there): takes pbx01's
# guide lock, so two guide scripts never run at once (the guides say never to interrupt a running deployment;
# two at once would be worse), and sets $state, the folder where pbx01 records what was installed.
# Header: lock_wait_seconds.
set -eu
: "${lock_wait_seconds:?}"
state="$HOME/.portsip-infra"
mkdir -p "$state/installed" "$state/versions"
exec 9>"$state/guide.lock"
if ! flock -w "$lock_wait_seconds" 9; then
  echo "another guide script has held the lock on pbx01 ($state/guide.lock) for $((lock_wait_seconds / 60)) minutes; is one stuck?" >&2
  exit 1
fi
