#!/usr/bin/env bash
# README command 1 on a fresh machine: a bare Debian 12 container (the local base image from scripts/images.sh)
# with only the .NET SDK's own prerequisites (libicu72, ca-certificates, libssl3: a derived image, layer-cached),
# the host's .NET SDK mounted read-only at /usr/share/dotnet, the host's CA certificates (so NuGet's HTTPS
# verifies), ../shared read-only beside a fresh clone of this repository's HEAD, and an empty NuGet cache. No
# libvips, no npm, no other apt step. `./run.sh` must classify every photo in ../shared/data and print the summary.
#   tests/containers/fresh-machine.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/docker-engine.sh

started=$SECONDS
work=$(mktemp -d)
image=local/dotnet-sdk-deps:bookworm
name=cascade-fresh-machine-$$
finish() {
  local status=$?
  docker rm -f "$name" >/dev/null 2>&1 || true
  rm -rf "$work"
  stop_docker_engine
  echo "fresh-machine test: $([ "$status" -eq 0 ] && echo passed || echo failed) in $((SECONDS - started)) s"
}
trap finish EXIT

start_docker_engine
scripts/images.sh >/dev/null
docker build -q -t "$image" - >/dev/null <<'DOCKERFILE'
FROM local/debian:bookworm
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libicu72 ca-certificates libssl3 \
 && rm -rf /var/lib/apt/lists/*
DOCKERFILE

git -c advice.detachedHead=false clone --quiet . "$work/cascade"
shared=$(realpath ../shared)
photos=$(find "$shared/data" -name '*.jpg' | wc -l)
echo "./run.sh in a fresh Debian 12 container ($(git rev-parse --short HEAD), $photos photos)"
docker run --name "$name" --rm \
  -v /usr/share/dotnet:/usr/share/dotnet:ro -v /etc/ssl/certs:/etc/ssl/certs:ro \
  -v "$work/cascade:/home/cascade" -v "$shared:/home/shared:ro" \
  -e PATH=/usr/share/dotnet:/usr/sbin:/usr/bin:/sbin:/bin -e DOTNET_CLI_TELEMETRY_OPTOUT=1 -e DOTNET_NOLOGO=1 -e COLUMNS=160 \
  -w /home/cascade "$image" ./run.sh >"$work/output.txt" 2>&1 || { tail -40 "$work/output.txt"; exit 1; }

# The summary table ends with the total: every photo got a verdict.
tail -15 "$work/output.txt"
grep -Eq "total[^0-9]*\b$photos\b" "$work/output.txt" || { echo "no summary with a total of $photos images"; exit 1; }
grep -Eq "grizzly[^0-9]*[0-9]{3}" "$work/output.txt" || { echo "the summary has no grizzly row"; exit 1; }
