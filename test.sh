#!/usr/bin/env bash
# README command 2: install and start what the tests need, build, and run every test: the xunit suites (the
# RabbitMQ ones on a Testcontainers broker), the fault tests on their own, then the container tests: the compose stack on locally built images
# and README command 1 on a bare Debian 12 container (tests/containers/).
set -euo pipefail
cd "$(dirname "$0")"
# The local RabbitMQ that install-test-deps.sh starts is stopped again at the end, unless it was running before.
source scripts/lib/local-broker.sh
broker_was_running=no
if local_broker_running; then broker_was_running=yes; fi
scripts/install-test-deps.sh
source scripts/lib/docker-engine.sh
stop_started_services() {
  stop_docker_engine
  if [ "$broker_was_running" = no ]; then echo "stopping the local RabbitMQ this script started"; rabbitmqctl -q stop || true; fi
}
trap stop_started_services EXIT
start_docker_engine
# No Ryuk here (its image is on Docker Hub): the fixtures label their containers and remove them themselves.
export TESTCONTAINERS_RYUK_DISABLED=true CASCADE_RABBITMQ_IMAGE=cascade/rabbitmq:local CASCADE_POSTGRES_IMAGE=cascade/postgres:local
(cd tests && npm ci --no-audit --no-fund)
dotnet build Cascade.sln -c Release
# The clone's packs, where run.sh and docker-compose.yml look too (not the per-user folder an installed cascade uses).
CASCADE_MODEL_DIR=$PWD/.models dotnet tools/Cascade.Cli/bin/Release/net10.0/cascade.dll models pull --from ../shared/models
scripts/images.sh
dotnet test Cascade.sln -c Release --no-build --logger "console;verbosity=normal" --filter "FullyQualifiedName!~.Faults." "$@"
# The fault tests alone: their services must keep up with 20 submissions/s, which they do not while the other
# suites run in parallel on 2 cores; their timeouts would be the machine's doing, not the system's.
dotnet test tests/Cascade.Services.Tests -c Release --no-build --logger "console;verbosity=normal" --filter "FullyQualifiedName~.Faults." "$@"
tests/containers/compose-stack.sh
tests/containers/fresh-machine.sh
