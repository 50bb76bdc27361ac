#!/usr/bin/env bash
# Mutation testing (Stryker.NET) of the config reading and validation code, infra/Config/*.cs, with the tests
# that need no SSH host and no fake API (so no lock on the simulated hosts is needed).
# Usage: tests/mutation.sh [extra stryker options]   Report: tests/StrykerOutput/<date>/reports/
#
# The Pulumi packages come from the same offline source as the tests (README, .ci/run): MSBuild reads
# RestoreAdditionalProjectSources from the environment for the restore Stryker's build does.
set -euo pipefail
cd "$(dirname "$0")"

offline="${OFFLINE_NUGET:-../../shared/offline-nuget}"
if [ -d "$offline" ]; then
  RestoreAdditionalProjectSources="$(cd "$offline" && pwd)"
  export RestoreAdditionalProjectSources
fi

dotnet tool restore >/dev/null
exec dotnet stryker \
  --project PortsipInfra.csproj \
  --mutate '**/infra/Config/*.cs' \
  --test-case-filter 'FullyQualifiedName!~PortsipInfra.Tests.OverSsh&FullyQualifiedName!~PortsipInfra.Tests.Portal.PortalHelperTests' \
  --concurrency "${STRYKER_CONCURRENCY:-2}" \
  --reporter Progress --reporter Html --reporter Json --reporter ClearText \
  --skip-version-check \
  "$@"
