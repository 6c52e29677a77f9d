#!/usr/bin/env bash
# README command 2: install and start what the tests need, build, and run every test.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-test-deps.sh
(cd tests && npm ci --no-audit --no-fund)
dotnet build Cascade.sln -c Release
dotnet tools/Cascade.Cli/bin/Release/net10.0/cascade.dll models pull --from ../shared/models
dotnet test Cascade.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
