#!/bin/sh
# The owner step's delete, the last command of a destroy: removes the owner mark only when it carries this stack's
# site id. A mark of another stack (the site was handed over) is left as it is.
# Header: site_id, site_stack.
set -eu
: "${site_id:?}" "${site_stack:?}"
mark="$HOME/.portsip-infra/site-owner"
if [ ! -f "$mark" ]; then
  echo "pbx01 carries no owner mark; nothing to remove"
  exit 0
fi
mark_id=$(sed -n 's/^id=//p' "$mark")
mark_stack=$(sed -n 's/^stack=//p' "$mark")
if [ "$mark_id" = "$site_id" ]; then
  rm -f "$mark"
  echo "pbx01 is no longer the site of stack $site_stack (site id $site_id)"
else
  echo "pbx01 belongs to stack $mark_stack (site id $mark_id), not to $site_stack (site id $site_id): its mark is left as it is"
fi
