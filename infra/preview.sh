#!/usr/bin/env bash
# Previews a stack of this project (default: dev) on a fresh workstation: the state goes to a local folder
# (.pulumi-state, no Pulumi account needed) and, as every preview, no remote command runs and no host is
# reached. Usage: infra/preview.sh [stack]
set -euo pipefail
cd "$(dirname "$0")/.."
stack="${1:-dev}"

missing=0
if ! command -v pulumi >/dev/null 2>&1; then
  echo "The Pulumi CLI is not installed. Install it (https://www.pulumi.com/docs/install/), then run this again." >&2
  missing=1
fi
if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
  echo "The .NET 10 SDK is not installed (dotnet --list-sdks shows no 10.x). Install it, then run this again." >&2
  missing=1
fi
[ "$missing" = 0 ] || exit 1

if [ ! -f "Pulumi.$stack.yaml" ]; then
  echo "There is no Pulumi.$stack.yaml: a stack's file describes its site (see README.md, 'The stack config')." >&2
  exit 1
fi

export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}"
mkdir -p .pulumi-state
if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  echo "note: PULUMI_CONFIG_PASSPHRASE is not set; this preview uses an empty passphrase for the local state." >&2
  echo "      Set PULUMI_CONFIG_PASSPHRASE before you store real secrets in this stack." >&2
  export PULUMI_CONFIG_PASSPHRASE=""
fi

pulumi stack select "$stack" >/dev/null 2>&1 || pulumi stack init "$stack" --secrets-provider passphrase
exec pulumi preview --stack "$stack" --diff
