#!/usr/bin/env bash
# Prints, as a JSON array for a workflow matrix, the sites (stacks) a change touches: reads the changed files'
# paths on stdin, one a line. A site is touched when its stack file Pulumi.<site>.yaml changed, every site when
# the program changed (Pulumi.yaml, the project file, infra/, components/). With --all it prints every site.
# The sites are the Pulumi.<site>.yaml files in the repository root (not the Pulumi.<site>.deploy.yaml ones).
set -euo pipefail
cd "$(dirname "$0")/../.."

sites=()
for file in Pulumi.*.yaml; do
  case "$file" in
    Pulumi.*.deploy.yaml) ;;
    *) site="${file#Pulumi.}"; sites+=("${site%.yaml}") ;;
  esac
done

touched=()
if [ "${1:-}" = --all ]; then
  touched=("${sites[@]}")
else
  program=0
  changed=()
  while IFS= read -r path; do
    case "$path" in
      Pulumi.yaml | PortsipInfra.csproj | infra/* | components/*) program=1 ;;
      Pulumi.*.yaml) changed+=("$path") ;;
    esac
  done
  for site in "${sites[@]}"; do
    if [ "$program" = 1 ] || printf '%s\n' "${changed[@]+"${changed[@]}"}" | grep -qxF "Pulumi.$site.yaml"; then
      touched+=("$site")
    fi
  done
fi

json="["
for site in "${touched[@]+"${touched[@]}"}"; do
  [ "$json" = "[" ] || json+=","
  json+="\"$site\""
done
echo "$json]"
