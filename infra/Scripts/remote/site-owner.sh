#!/bin/sh
# The owner step (site-owner), the first command of the stack on pbx01: writes the owner mark, the stack's site id
# and name, in ~/.portsip-infra/site-owner, so that no other stack drives this site (owner-check.sh, run first by
# every other command, refuses unless the mark carries this stack's id). A mark of another stack is replaced only
# when take_over_from names exactly its id (the config key takeOverSiteFrom: a handover); otherwise nothing is
# changed and the step fails naming both stacks.
# Header: site_id, site_stack (organization/project/stack), take_over_from (another stack's site id, or empty).
set -eu
: "${site_id:?}" "${site_stack:?}" "${take_over_from?}"
folder="$HOME/.portsip-infra"
mark="$folder/site-owner"
if [ -f "$mark" ]; then
  mark_id=$(sed -n 's/^id=//p' "$mark")
  mark_stack=$(sed -n 's/^stack=//p' "$mark")
  if [ "$mark_id" = "$site_id" ]; then
    if [ "$mark_stack" = "$site_stack" ]; then
      echo "pbx01 is the site of stack $site_stack (site id $site_id)"
      exit 0
    fi
    echo "pbx01 is the site of this stack (site id $site_id), now named $site_stack (was $mark_stack)"
  elif [ -n "$take_over_from" ] && [ "$mark_id" = "$take_over_from" ]; then
    echo "pbx01 is handed over from stack $mark_stack (site id $mark_id) to stack $site_stack (site id $site_id)"
  elif [ -n "$take_over_from" ]; then
    echo "$site_stack (site id $site_id): refused, nothing was changed: takeOverSiteFrom is $take_over_from, but pbx01 belongs to stack $mark_stack (site id $mark_id). Set takeOverSiteFrom to the site id of the stack that owns pbx01 now, only if that stack is to give this site up." >&2
    exit 1
  else
    echo "$site_stack (site id $site_id): refused, nothing was changed: pbx01 belongs to stack $mark_stack (site id $mark_id). A stack drives only its own site: check that this stack file names the right pbx01. To hand the site over to this stack, set takeOverSiteFrom: $mark_id in its config and run pulumi up again (README, One stack owns a site)." >&2
    exit 1
  fi
fi
mkdir -p "$folder"
chmod 700 "$folder"
printf 'id=%s\nstack=%s\n' "$site_id" "$site_stack" > "$mark.new"
mv -f "$mark.new" "$mark"
echo "pbx01 is marked as the site of stack $site_stack (site id $site_id)"
