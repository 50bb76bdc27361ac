#!/bin/sh
# key_file_edit FILE add|remove key|line LINE: adds LINE to an SSH key file (authorized_keys, known_hosts) or
# removes it, and prints what it did: added, present, removed or absent. Put before the scripts that use it
# (deploy-key-*.sh and trust.sh on pbx01; server-add-key.sh and server-remove-key.sh, shipped with it as the
# SSH remote command, on a server).
#   key:  a line is LINE's when it holds LINE's key ("type base64", after any options; comment aside), and
#         is not a comment;
#   line: a line is LINE's when it is LINE exactly.
# A line ending in CR (a file with CRLF line ends) matches all the same. Only LINE's lines are removed; every
# other line is kept as it is, and a last line without its newline gets one (so an added line is never glued
# to it). The edit is atomic: the new text is written to a temporary file in the same folder, given the file's
# mode, checked, then renamed over the file. On any error (a full disk, a read-only folder) the file is left as
# it was, the temporary file is removed, and the function fails with a message on stderr.
set -eu

key_file_edit() (
  set -eu
  file=$1 action=$2 match=$3 want=$4
  case $action:$match in
    add:key|add:line|remove:key|remove:line) ;;
    *) echo "key_file_edit: unknown action or match: $action $match" >&2; exit 2 ;;
  esac
  want=$(printf '%s' "$want" | tr -d '\r')
  case $want in *"
"*|'') echo "key_file_edit: the line to $action must be one non-empty line" >&2; exit 2 ;; esac
  if [ -L "$file" ]; then
    file=$(readlink -f "$file")
  fi
  if [ ! -e "$file" ]; then
    if [ "$action" = remove ]; then
      echo absent
      exit 0
    fi
    source=/dev/null
  else
    source=$file
  fi
  umask 077
  tmp=$(mktemp "$(dirname "$file")/.portsip-keys.XXXXXX") || { echo "cannot write beside $file" >&2; exit 1; }
  trap 'rm -f "$tmp"' EXIT
  # awk writes the new text to $tmp and prints the number of lines written, then whether anything changed.
  rc=0
  counts=$(KF_WANT=$want KF_TMP=$tmp awk -v action="$action" -v match_by="$match" '
    BEGIN {
      want = ENVIRON["KF_WANT"]; out = ENVIRON["KF_TMP"]; found = 0; lines = 0
      if (match_by == "line") sub(/[ \t]+$/, "", want)
      if (split(want, w, /[ \t]+/) < 2 || w[1] == "") { bad = 1; exit 3 }
    }
    function ours(l,   n, f, i) {
      sub(/\r$/, "", l)
      if (match_by == "line") { sub(/[ \t]+$/, "", l); return l == want }
      if (l ~ /^[ \t]*#/) return 0
      n = split(l, f, /[ \t]+/)
      for (i = 1; i < n; i++) if (f[i] == w[1] && f[i + 1] == w[2]) return 1
      return 0
    }
    {
      if (ours($0)) { found++; if (action == "remove") next }
      print > out; lines++
    }
    END {
      if (bad) exit 3
      if (action == "add" && !found) { print want > out; lines++ }
      if (lines > 0 && close(out) != 0) exit 2   # nothing written: $tmp stays the empty file mktemp made
      print lines, ((action == "add") == (found == 0)) ? "changed" : "same"
    }' "$source") || rc=$?
  case $rc in
    0) ;;
    3) echo "key_file_edit: not a key line: $want" >&2; exit 2 ;;
    *) echo "cannot write the new $file (disk full?); it is unchanged" >&2; exit 1 ;;
  esac
  lines=${counts% *}
  if [ "${counts#* }" = same ]; then
    if [ "$action" = add ]; then echo present; else echo absent; fi
    exit 0
  fi
  # Every line made it to the disk (a short write shows here even where awk missed it).
  if [ "$(wc -l < "$tmp")" -ne "$lines" ] || { [ "$lines" -gt 0 ] && [ -n "$(tail -c 1 "$tmp")" ]; }; then
    echo "cannot write the new $file (disk full?); it is unchanged" >&2
    exit 1
  fi
  if [ "$source" = "$file" ]; then
    chmod --reference="$file" "$tmp" || { echo "cannot give the new $file its mode; it is unchanged" >&2; exit 1; }
  fi
  mv -f "$tmp" "$file" || { echo "cannot replace $file; it is unchanged" >&2; exit 1; }
  if [ "$action" = add ]; then echo added; else echo removed; fi
)
