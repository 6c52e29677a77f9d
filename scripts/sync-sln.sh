#!/usr/bin/env bash
# Adds every project under shared/, services/, tools/ and tests/ to Cascade.sln (solution folder = top folder).
# Handy after merging branches that each added projects.
set -euo pipefail
cd "$(dirname "$0")/.."
for top in shared services tools tests; do
  [ -d "$top" ] || continue
  find "$top" -name '*.csproj' -not -path '*/bin/*' -not -path '*/obj/*' | sort | while read -r project; do
    grep -q "$(basename "$project")" Cascade.sln || dotnet sln Cascade.sln add --solution-folder "$top" "$project" >/dev/null
  done
done
