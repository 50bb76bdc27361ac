#!/bin/sh
# Runs first in every command of the stack on pbx01 but the owner step (SiteOwnership.cs puts it there): the owner
# mark (~/.portsip-infra/site-owner, written by site-owner.sh, which every other step waits for) must carry this
# stack's site id; otherwise the command stops here, before it does anything. Reads only: no stdin, no file written.
# Header: site_id, site_stack.
: "${site_id:?}" "${site_stack:?}"
owner_mark="$HOME/.portsip-infra/site-owner"
if [ ! -f "$owner_mark" ]; then
  echo "$site_stack (site id $site_id): refused, nothing was changed: pbx01 carries no owner mark ($owner_mark), which this stack's site-owner step writes before any other step. It was removed, or pbx01 was rebuilt, or another SSH user logs in. If pbx01 is this stack's site, write the mark again: pulumi up --replace with the URN of the site-owner step (pulumi stack --show-urns)." >&2
  exit 1
fi
owner_id=$(sed -n 's/^id=//p' "$owner_mark")
if [ "$owner_id" != "$site_id" ]; then
  echo "$site_stack (site id $site_id): refused, nothing was changed: pbx01 belongs to stack $(sed -n 's/^stack=//p' "$owner_mark") (site id $owner_id). A stack drives only its own site: check that this stack file names the right pbx01; a handover is made with takeOverSiteFrom (README, One stack owns a site)." >&2
  exit 1
fi
