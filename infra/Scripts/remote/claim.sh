#!/bin/sh
# Runs on pbx01 before anything is done for a server whose name or address is new to its resources (a claim is
# replaced create-first, so it runs before the old server's removal and before the new one's trust, registration
# or install): the address must not be one where ANOTHER server or service is installed (pbx01's records) or
# registered (the Web Portal). Pulumi installs what is new before it deletes what left the stack (and a swap of two
# addresses has no safe order), so an address is free for a new identity only after the removal of the old one has
# run. Reads, changes nothing.
# Header: what (the new server, for messages), ip, key and identity (what install.sh will record for it),
# previous (the identity it is renamed from, or empty), portal_kind (media, queue, meeting or ivr: the kind the
# portal lists it under; im: the IM service; empty: not in the portal). Stdin: the REST helper's connection JSON.
set -eu
: "${what:?}" "${ip:?}" "${key:?}" "${identity:?}" "${previous?}" "${portal_kind?}"
installed="$HOME/.portsip-infra/installed"
helper="$HOME/.portsip-infra/portsip_api.py"
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

# The portal too: pbx01's records are only a cache (gone when pbx01 is rebuilt, absent on a site built by hand).
[ -f "$helper" ] || { echo "$what: the REST helper is not on pbx01 ($helper); nothing was changed" >&2; exit 1; }
holders=$(python3 "$helper" holders --ip "$ip") || { echo "$what: could not ask the Web Portal what is registered at $ip (above); nothing was changed" >&2; exit 1; }
registered=''
while read -r kind name; do
  [ -n "$kind" ] || continue
  if [ "$kind" = "$portal_kind" ] && { [ "$kind" = im ] || [ "$name" = "$identity" ] || { [ -n "$previous" ] && [ "$name" = "$previous" ]; }; }; then
    continue
  fi
  if [ "$kind" = im ]; then
    registered="$registered${registered:+, }the IM server"
  else
    registered="$registered${registered:+, }$name ($kind server)"
  fi
done <<HOLDERS
$holders
HOLDERS

if [ -n "$held" ] || [ -n "$registered" ]; then
  shown=''
  [ -z "$held" ] || shown="pbx01's records show $held installed at $ip"
  [ -z "$registered" ] || shown="$shown${shown:+; }the Web Portal shows $registered at $ip"
  echo "$what: refused, nothing was changed: $shown. Pulumi installs a new server before it removes one that left the stack, and two servers swapping addresses have no safe order, so an address can take a new server only once its old one is removed. If $identity is that server renamed (same role and address), set renamedFrom to its old name on it; otherwise free $ip first: remove (or move to a free address) what is installed there in one pulumi up, then give $ip to $identity in the next. A portal entry left by a server removed by hand is deleted in the Web Portal." >&2
  exit 1
fi
echo "$what: $ip is free for it (pbx01's records and the Web Portal show no other server there)"
