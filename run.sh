#!/usr/bin/env bash
# README command 1: set up everything on a fresh clone and run the cascade.
#   ./run.sh                       classify every photo in ../shared/data with the in-process cascade
#   ./run.sh classify PATH...      any other cascade command and arguments
# Needs only the .NET 10 SDK: ONNX Runtime and libvips come with their NuGet packages.
# stdout is only the command's own output (`./run.sh classify --json DIR | jq` works): building and installing
# packs report on stderr, and the build runs only when a tracked source file is newer than the built command.
set -euo pipefail
cd "$(dirname "$0")"
built=tools/Cascade.Cli/bin/Release/net10.0/cascade.dll
if [ ! -f "$built" ] || [ -n "$(git ls-files -z --cached --others --exclude-standard 2>/dev/null | xargs -0 -r find 2>/dev/null -newer "$built" -type f -print -quit)" ] || ! git rev-parse 2>/dev/null; then
  dotnet build tools/Cascade.Cli -c Release -v quiet -nologo >&2
fi
cascade=(dotnet "$built")
# The clone keeps its packs in ./.models (README, compose and test.sh read them there), not in the per-user folder an
# installed cascade defaults to; a CASCADE_MODEL_DIR already set still wins.
export CASCADE_MODEL_DIR=${CASCADE_MODEL_DIR:-$PWD/.models}
# Models: from ../shared/models when it is there (no internet here), else from each pack's canonical URL.
if [ -d ../shared/models ]; then "${cascade[@]}" models pull --from ../shared/models >&2; else "${cascade[@]}" models pull >&2; fi
if [ "$#" -eq 0 ]; then set -- classify ../shared/data; fi
exec "${cascade[@]}" "$@"
