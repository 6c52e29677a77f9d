#!/usr/bin/env bash
# README command 1: set up everything on a fresh clone and run the cascade.
#   ./run.sh                       classify every photo in ../shared/data with the in-process cascade
#   ./run.sh classify PATH...      any other cascade command and arguments
# Needs only the .NET 10 SDK: ONNX Runtime and libvips come with their NuGet packages.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build tools/Cascade.Cli -c Release -v quiet -nologo
cascade=(dotnet tools/Cascade.Cli/bin/Release/net10.0/cascade.dll)
# Models: from ../shared/models when it is there (no internet here), else from each pack's canonical URL.
if [ -d ../shared/models ]; then "${cascade[@]}" models pull --from ../shared/models; else "${cascade[@]}" models pull; fi
if [ "$#" -eq 0 ]; then set -- classify ../shared/data; fi
exec "${cascade[@]}" "$@"
