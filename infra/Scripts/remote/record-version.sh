#!/bin/sh
# Records that this key runs this version and does nothing else: what is already there when it enters the
# stack is taken as it is. Needs no lock: it runs no guide script.
# Header: what, key, version.
set -eu
: "${what:?}" "${key:?}" "${version:?}"
mkdir -p "$HOME/.portsip-infra/versions"
printf '%s\n' "$version" > "$HOME/.portsip-infra/versions/$key"
printf '%s\n' "$what runs $version"
