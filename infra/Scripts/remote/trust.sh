#!/bin/sh
# Runs on pbx01 (after ssh-from-pbx01.sh and key-file.sh): authorizes pbx01's existing ~/.ssh/id_rsa.pub for $user on the
# server $ip, as the guides' ssh-copy-id step does, without a terminal. Stdin: the shared password (first line),
# needed only when the key is not authorized yet. See HostPreparation.Trust for the steps.
# Header: user, ip, pinned (the server's pinned host key "type base64", or empty), askpass (askpass.sh),
# add_key (key-file.sh and server-add-key.sh, run on the server).
set -eu
: "${user:?}" "${ip:?}" "${pinned?}" "${askpass:?}" "${add_key:?}"
umask 077
password=''
IFS= read -r password || :
key="$HOME/.ssh/id_rsa"
if [ ! -r "$key" ] || [ ! -r "$key.pub" ]; then
  echo "pbx01 has no SSH key pair $key(.pub) for the guides' scripts: the PBX HA install makes it; nothing was changed on $user@$ip" >&2
  exit 1
fi
mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh"
known="$HOME/.ssh/known_hosts"
touch "$known"
if [ -n "$pinned" ]; then
  strict=yes
  have=$(ssh-keygen -F "$ip" -f "$known" 2>/dev/null | awk '!/^#/ { print $2 " " $3 }')
  if ! printf '%s\n' "$have" | grep -qxF -- "$pinned"; then
    if [ -n "$have" ]; then
      ssh-keygen -R "$ip" -f "$known" >/dev/null 2>&1
      rm -f "$known.old"
    fi
    key_file_edit "$known" add line "$ip $pinned" >/dev/null
    echo "pbx01 now pins the host key of $ip (${pinned%% *})"
  fi
else
  strict=accept-new
fi

key_login() {
  ssh_key -n -o StrictHostKeyChecking="$strict" "$user@$ip" true 2>&1
}
refused_host_key() {
  echo "$user@$ip: the server's host key does not match the one pbx01 pins for $ip; nothing was changed. A reinstalled server or a man in the middle: check the key (ssh-keyscan on a trusted path) and set it as the server's pinned host key." >&2
  printf '%s\n' "$1" | grep -iE 'host key|known_hosts|fingerprint' | sed 's/^/  /' >&2
  exit 1
}
if out=$(key_login); then
  echo "$user@$ip already trusts pbx01's key (~/.ssh/id_rsa.pub); nothing to do"
  exit 0
fi
case $out in
  *"Host key verification failed"*|*"IDENTIFICATION HAS CHANGED"*|*"host key is known"*) refused_host_key "$out" ;;
  *"Permission denied"*) ;;
  *)
    echo "$user@$ip: pbx01 cannot reach the server over SSH: $(printf '%s' "$out" | tr '\n' ' ')" >&2
    exit 1 ;;
esac
if [ -z "$password" ]; then
  echo "$user@$ip does not trust pbx01's key yet and no password came on stdin: give the PBX user's password (shared by every server) to authorize it" >&2
  exit 1
fi

# The password never reaches a file: it is piped into ssh, and ssh's askpass helper (askpass.sh), which shares
# ssh's stdin, reads it when ssh asks for it, before the session opens. The helper holds no secret; it lives in
# a private temporary folder named after this shell's process id, so that a folder left behind by a killed run
# (or one of an older version, which held the password) is recognised and removed here.
for base in "${XDG_RUNTIME_DIR:-}" /dev/shm "${TMPDIR:-/tmp}" /tmp; do
  if [ -n "$base" ] && [ -d "$base" ] && [ -w "$base" ]; then break; fi
done
for old in "$base"/portsip-askpass.*; do
  if [ ! -d "$old" ] || [ ! -O "$old" ]; then continue; fi
  pid=${old##*/portsip-askpass.}
  pid=${pid%%.*}
  case $pid in
    ''|*[!0-9]*) ;;
    *) if kill -0 "$pid" 2>/dev/null; then continue; fi ;;
  esac
  rm -rf "$old"
done
tmp=$(mktemp -d "$base/portsip-askpass.$$.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
printf '%s\n' "$askpass" > "$tmp/askpass"
chmod 700 "$tmp/askpass"
# The key line goes in front of the remote command (key-file.sh and server-add-key.sh), quoted.
IFS= read -r pub < "$key.pub" || :
rc=0
out=$(printf '%s\n' "$password" | SSH_ASKPASS="$tmp/askpass" SSH_ASKPASS_REQUIRE=force \
  ssh_common -o BatchMode=no -o PubkeyAuthentication=no -o PreferredAuthentications=keyboard-interactive,password \
    -o NumberOfPasswordPrompts=1 -o StrictHostKeyChecking="$strict" \
    "$user@$ip" "$(remote_assign line "$pub")
$add_key" 2>&1) || rc=$?
password=''
rm -rf "$tmp"
if [ $rc -ne 0 ]; then
  case $out in
    *"Host key verification failed"*|*"IDENTIFICATION HAS CHANGED"*|*"host key is known"*) refused_host_key "$out" ;;
    *"Permission denied"*)
      echo "$user@$ip refused the password from stdin: it must be the PBX user's password, the same on every server (guide: User Account Requirements)" >&2 ;;
    *)
      echo "$user@$ip: adding pbx01's key failed (exit $rc): $(printf '%s' "$out" | tr '\n' ' ')" >&2 ;;
  esac
  exit 1
fi
if ! check=$(key_login); then
  echo "$user@$ip: pbx01's key is in ~/.ssh/authorized_keys but a key login still fails: $(printf '%s' "$check" | tr '\n' ' ') (check the server's sshd: PubkeyAuthentication, AuthorizedKeysFile, permissions of the home folder)" >&2
  exit 1
fi
case $out in
  *added*) echo "$user@$ip now trusts pbx01's key (~/.ssh/id_rsa.pub)" ;;
  *) echo "$user@$ip already had pbx01's key (~/.ssh/id_rsa.pub); key login works" ;;
esac
