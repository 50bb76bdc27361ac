#!/bin/bash
# Stand-in for the PortSIP HA guide's update.sh (tests/hosts; see standin-lib.sh), as documented in
# "Upgrading High Availability Installation":  update.sh <pbx-image> [-c]
# It upgrades the PBX HA cluster itself: recorded in pbx01's ~/.standin/log, and the new image written to
# res/vars.yml's pbx_image (the guides do not say; the program assumes the real script does the same).
usage() { echo "usage: update.sh <pbx-image> [-c]"; }
# shellcheck source=standin-lib.sh
. "$(dirname "$0")/standin-lib.sh"

{ [ $# -ge 1 ] && [ $# -le 2 ]; } || bad_usage "expected an image and optionally -c"
is_image "$1" || bad_usage "not a PBX image: $1"
[ $# = 1 ] || [ "$2" = -c ] || bad_usage "unknown option: $2"
echo "update pbx image=$1 certificate-manager=$([ $# = 2 ] && echo yes || echo no) host=$(hostname)" >> "$STANDIN/log"
# Rewritten in place: res/ is root's, the file pbx's in the simulation.
vars="$(dirname "$0")/res/vars.yml"
new=$(sed "s|^pbx_image:.*|pbx_image: $1|" "$vars") && printf '%s\n' "$new" > "$vars"
echo "PBX HA cluster upgraded to $1"
