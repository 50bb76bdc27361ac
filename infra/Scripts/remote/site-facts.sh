#!/bin/sh
# What the site really runs, read on pbx01 (sourced after guide-lock.sh, before upgrade.sh: $state is set).
# pbx01's records in $state are a cache: when they are missing (pbx01 rebuilt, another SSH user, a site built
# by hand by the guides) these facts decide, so that a change of connection alone never upgrades anything.
# Header: key; for upgrade.sh site_fact (empty: none; "pbx": the PBX HA cluster; "role": an extended server
# role; "recorded": IM, SBC, Data Flow) and vars_file; for install.sh portal_status (empty: none).
set -eu
: "${state:?}" "${key:?}"

# The PBX image res/vars.yml names (the HA guide's `pbx_image`), empty when the file or the key is missing.
# The guides are silent on whether update.sh rewrites it; the program assumes it does (the stand-in does), and
# pbx01's record still answers when the file lags.
vars_pbx_image() {
  [ -f "$1" ] || return 0
  sed -n 's/^pbx_image:[[:space:]]*//p' "$1" | head -n 1 | sed "s/[[:space:]]*#.*\$//; s/^[\"']//; s/[\"']\$//; s/[[:space:]]*\$//"
}

# Does the site already run $2 for $1 (pbx or role)? Called when pbx01's record does not say so.
site_runs() {
  image=$(vars_pbx_image "${vars_file:-}")
  case $1 in
    pbx)
      # The Certificate Manager leaves nothing the guides name: its setting is known from pbx01's record only;
      # with no record (adoption) the stack's setting is taken as it is.
      case $(cat "$state/versions/pbx" 2>/dev/null || true) in
        "") now_cm=${2#"${2%" with Certificate Manager"}"} ;;
        *" with Certificate Manager") now_cm=" with Certificate Manager" ;;
        *) now_cm="" ;;
      esac
      [ -n "$image" ] && [ "$image$now_cm" = "$2" ] ;;
    role)
      # A role recorded at another version is a real upgrade; with no record, the role is taken at the image
      # the cluster ran before update.sh last ran in this state (pbx.before), else at the cluster's image now.
      [ ! -f "$state/versions/$key" ] || return 1
      if [ -f "$state/versions/pbx.before" ]; then
        [ "$(cat "$state/versions/pbx.before")" = "$2" ]
      else
        [ "$image" = "$2" ]
      fi ;;
    recorded)
      # IM, SBC, Data Flow: the guides show no read-only fact of their version; a missing record is a cache miss
      # (another SSH user, pbx01 rebuilt), not a change, so the version is taken as it is.
      [ ! -f "$state/versions/$key" ] ;;
    *) return 1 ;;
  esac
}

# upgrade_done SUBJECT: true, saying so, when pbx01 records $key at $version already, or (with $site_fact) the site
# shows it runs $version, which is then recorded; false when the upgrade must run.
# SUBJECT: what the message starts with ("$what is", "$what are"). Used by upgrade.sh and rolling-upgrade.sh.
upgrade_done() {
  if [ "$(cat "$state/versions/$key" 2>/dev/null || true)" = "${version:?}" ]; then
    printf '%s\n' "$1 at $version already; nothing to do"
    return 0
  fi
  # Decided from what the site runs when the record is missing or stale: already there, record it.
  if [ -n "${site_fact:-}" ] && site_runs "$site_fact" "$version"; then
    printf '%s\n' "$version" > "$state/versions/$key"
    printf '%s\n' "${what:?}: the site already runs $version; nothing to do"
    return 0
  fi
  return 1
}

# Before update.sh really runs: keep the image the cluster ran, for the roles without a record (site_runs role).
site_before_guide() {
  if [ "$1" = pbx ]; then
    printf '%s\n' "$(vars_pbx_image "${vars_file:-}")" > "$state/versions/pbx.before"
  fi
}

# Does the Web Portal list this server under its name at its IP, ONLINE? ($portal_status: the REST helper's
# read-only status line, its connection on stdin; sets $portal_now to its answer.) The guides name nothing that
# extend.sh leaves on pbx01, so the portal is where a server built by hand shows. A helper failure fails the step.
portal_now=""
portal_shows_online() {
  [ -n "${portal_status:-}" ] || return 1
  portal_now=$(sh -c "$portal_status") || exit 1
  [ "$portal_now" = online ]
}
