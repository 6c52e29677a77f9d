#!/usr/bin/env bash
# README command 1: set up everything on a fresh clone and run the cascade.
#   ./run.sh                       classify every photo in ../shared/data with the in-process cascade
#   ./run.sh classify PATH...      any other cascade command and arguments
# Needs only the .NET 10 SDK: ONNX Runtime and libvips come with their NuGet packages.
# stdout is only the command's own output (`./run.sh classify --json DIR | jq` works): building and installing
# packs report on stderr, and the build runs only when a tracked or new file changed since the last build.
set -euo pipefail
cd "$(dirname "$0")"
built=tools/Cascade.Cli/bin/Release/net10.0/cascade.dll
# Marks the last successful build. Not the dll's own time: the dll keeps it when a change compiles to nothing new
# (a README edit), and every later call would build again.
stamp=tools/Cascade.Cli/bin/Release/net10.0/.run-sh-built
needs_build() {
  [ -f "$built" ] && [ -f "$stamp" ] || return 0
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0   # not a git checkout: no way to tell what changed
  # A tracked or new (not ignored) file newer than the last build. find wants its paths before the test, hence sh -c.
  [ -n "$(git ls-files -z --cached --others --exclude-standard | xargs -0 -r sh -c 'find "$@" -maxdepth 0 -type f -newer "$0" -print -quit 2>/dev/null' "$stamp")" ]
}
if needs_build; then
  # Stamped with the time the build started, so an edit made while it runs still counts; kept only when it succeeds.
  mkdir -p "$(dirname "$stamp")" && touch "$stamp.new"
  dotnet build tools/Cascade.Cli -c Release -v quiet -nologo >&2
  mv "$stamp.new" "$stamp"
fi
cascade=(dotnet "$built")
# The clone keeps its packs in ./.models (README, compose and test.sh read them there), not in the per-user folder an
# installed cascade defaults to; a CASCADE_MODEL_DIR already set still wins.
export CASCADE_MODEL_DIR=${CASCADE_MODEL_DIR:-$PWD/.models}
# Models: from ../shared/models when it is there (no internet here), else from each pack's canonical URL.
if [ -d ../shared/models ]; then "${cascade[@]}" models pull --from ../shared/models >&2; else "${cascade[@]}" models pull >&2; fi
if [ "$#" -eq 0 ]; then set -- classify ../shared/data; fi
exec "${cascade[@]}" "$@"
