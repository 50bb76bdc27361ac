#!/bin/sh
# Runs on pbx01 before anything is done for a server whose name or address is new to its resources (a claim is
# replaced create-first, so it runs before the old server's removal and before the new one's trust, registration
# or install): the address must not be one where pbx01's records show ANOTHER server or service installed. Pulumi
# installs what is new before it deletes what left the stack (and a swap of two addresses has no safe order), so
# an address is free for a new identity only after the removal of the old one has run. Reads, changes nothing.
# Header: what (the new server, for messages), ip, key and identity (what install.sh will record for it),
# previous (the identity it is renamed from, or empty).
set -eu
: "${what:?}" "${ip:?}" "${key:?}" "${identity:?}" "${previous?}"
installed="$HOME/.portsip-infra/installed"
held=''
for record in "$installed"/*; do
  [ -f "$record" ] || continue
  name=${record##*/}
  value=$(cat "$record" 2>/dev/null || true)
  case $name in
    *@"$ip") ;;                             # an extended server or an SBC server at this address
    *@*) continue ;;
    *) [ "$value" = "$ip" ] || continue ;;  # the IM or Data Flow service: the record holds its address
  esac
  if [ "$name" = "$key" ] && { [ "$value" = "$identity" ] || { [ -n "$previous" ] && [ "$value" = "$previous" ]; }; }; then
    continue
  fi
  held="$held${held:+, }$value (${name%@*})"
done
if [ -n "$held" ]; then
  echo "$what: refused, nothing was changed: pbx01's records show $held installed at $ip. Pulumi installs a new server before it removes one that left the stack, and two servers swapping addresses have no safe order, so an address can take a new server only once its old one is removed. If $identity is that server renamed (same role and address), set renamedFrom to its old name on it; otherwise free $ip first: remove (or move to a free address) what is installed there in one pulumi up, then give $ip to $identity in the next." >&2
  exit 1
fi
echo "$what: $ip is free for it (pbx01 records no other server there)"
