#!/bin/sh
# Runs on pbx01 (after ssh-from-pbx01.sh): removes pbx01's key (the line of ~/.ssh/id_rsa.pub, matched by the key
# itself) from the server's ~/.ssh/authorized_keys, leaving every other line as it is. Logs in with that key only
# (host key checked strictly): a server that is gone, does not answer, no longer trusts the key or shows another
# host key has nothing of pbx01's to remove, so this succeeds with a message.
# Header: user, ip, remove_key (key-file.sh and server-remove-key.sh, run on the server, after the key line).
set -eu
: "${user:?}" "${ip:?}" "${remove_key:?}"
# A server's key goes only when nothing pbx01 installed is recorded at the address any more: its own removal
# (extend.sh rm and the others) runs first and forgets its record, so a record left here is another server's
# (one renamed or moved onto this address), which still needs pbx01's key.
for record in "$HOME/.portsip-infra/installed"/*; do
  [ -f "$record" ] || continue
  case ${record##*/} in
    *@"$ip") ;;
    *@*) continue ;;
    *) [ "$(cat "$record" 2>/dev/null || true)" = "$ip" ] || continue ;;
  esac
  echo "$user@$ip keeps pbx01's key: pbx01 records $(cat "$record" 2>/dev/null || true) (${record##*/}) installed there"
  exit 0
done
key="$HOME/.ssh/id_rsa"
if [ ! -r "$key.pub" ]; then
  echo "pbx01 has no $key.pub: no key of pbx01 to remove from $user@$ip"
  exit 0
fi
IFS= read -r pub < "$key.pub" || :
rc=0
out=$(ssh_key -n -o StrictHostKeyChecking=yes "$user@$ip" "$(remote_assign line "$pub")
$remove_key" 2>&1) || rc=$?
case $rc:$out in
  0:*removed*) echo "$user@$ip no longer trusts pbx01's key (its line is removed from ~/.ssh/authorized_keys)" ;;
  0:*) echo "$user@$ip did not list pbx01's key; nothing to remove" ;;
  255:*"Permission denied"*) echo "$user@$ip does not trust pbx01's key (key login refused); nothing to remove" ;;
  255:*"Host key verification failed"*|255:*"IDENTIFICATION HAS CHANGED"*|255:*"host key is known"*)
    echo "$user@$ip: the server's host key is not the one pbx01 knows; not logging in, so nothing was removed" ;;
  255:*) echo "$user@$ip is not reachable from pbx01 ($(printf '%s' "$out" | tr '\n' ' ')); nothing to remove" ;;
  *)
    echo "$user@$ip: removing pbx01's key failed (exit $rc): $(printf '%s' "$out" | tr '\n' ' ')" >&2
    exit 1 ;;
esac
