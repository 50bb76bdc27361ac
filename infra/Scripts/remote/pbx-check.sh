#!/bin/sh
# The PBX HA cluster's create: the HA install must be there (its res/vars.yml) before anything is recorded.
# Comes before record-version.sh.
# Header: vars_file.
set -eu
: "${vars_file:?}"
if [ ! -f "$vars_file" ]; then
  printf '%s\n' "pbx01 has no finished PBX HA install: $vars_file is missing. Install the HA cluster first (High Availability Installations on Ubuntu)." >&2
  exit 1
fi
