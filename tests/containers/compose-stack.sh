#!/usr/bin/env bash
# The compose stack for real, on images built here (scripts/images.sh + docker-compose.local.yml): RabbitMQ,
# models-init (offline, from ../shared/models), gate, two classifier replicas and the orchestrator start and
# become healthy; a bear and a non-bear are classified through gRPC, REST and the AMQP queue
# (tests/containers/front_doors.py). Everything is removed afterwards, on failure too: containers, network and
# volumes of a compose project named after this process; projects left by killed runs are swept first.
# --gpu-image (opt-in, not in test.sh: the GPU package adds about 540 MB to restore and copy): the classifiers run
# the GPU image instead (scripts/images.sh --gpu, docker-compose.gpu-local.yml: the -p:OnnxRuntime=Gpu build on the
# local Debian base, the CUDA provider set); with no CUDA here, each must log the one warning that CUDA cannot
# load, then classify on CPU.
#   tests/containers/compose-stack.sh [--gpu-image]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/docker-engine.sh
case "${1:-}" in
  "") gpu=false ;;
  --gpu-image) gpu=true ;;
  *) echo "usage: tests/containers/compose-stack.sh [--gpu-image]" >&2; exit 2 ;;
esac

started=$SECONDS
project=cascade-test-$$
work=$(mktemp -d)
compose_files=(-f docker-compose.yml -f docker-compose.local.yml)
image_options=()
if $gpu; then compose_files+=(-f docker-compose.gpu-local.yml); image_options=(--gpu); fi
python=/usr/bin/python3   # Debian's, with python3-grpcio and python3-pika
export CASCADE_MODEL_DIR=$work/models CASCADE_MODEL_MIRROR
CASCADE_MODEL_MIRROR=$(realpath ../shared/models)
# Every published port on a free loopback port: nothing clashes with the broker test.sh runs on 5672.
export CASCADE_HTTP_PORT=127.0.0.1: CASCADE_GRPC_PORT=127.0.0.1: CASCADE_AMQP_PORT=127.0.0.1: CASCADE_RABBITMQ_UI_PORT=127.0.0.1:

down() { docker-compose -p "$1" "${compose_files[@]}" down --volumes --remove-orphans --timeout 10 >/dev/null 2>&1; }
finish() {
  local status=$?
  if [ "$status" -ne 0 ]; then
    echo "compose stack test FAILED; containers, then their last warnings and errors:"
    docker-compose -p "$project" "${compose_files[@]}" ps 2>&1 || true
    docker-compose -p "$project" "${compose_files[@]}" logs --no-color --tail 100 2>&1 | grep -v -e '"LogLevel":"Information"' -e '\[info\]' | cut -c1-600 | tail -40 || true
  fi
  down "$project" || true
  rm -rf "$work"
  stop_docker_engine
  echo "compose stack test: $([ "$status" -eq 0 ] && echo passed || echo failed) in $((SECONDS - started)) s"
}
trap finish EXIT

start_docker_engine
for stale in $(docker ps -a --filter label=com.docker.compose.project --format '{{.Label "com.docker.compose.project"}}' | grep '^cascade-test-' | sort -u); do
  if ! kill -0 "${stale#cascade-test-}" 2>/dev/null; then echo "removing stack $stale left by a killed run"; down "$stale" || true; fi
done

scripts/images.sh "${image_options[@]}"
echo "compose up ($project)"
docker-compose -p "$project" "${compose_files[@]}" up --detach --no-build --scale classifier=2

# Healthy means every HEALTHCHECK passed: models loaded and the bus connected (/health/ready).
containers=$(docker-compose -p "$project" "${compose_files[@]}" ps -q gate classifier orchestrator)
[ "$(wc -w <<<"$containers")" -eq 4 ] || { echo "expected 4 service containers, got: $containers"; exit 1; }
for _ in $(seq 90); do
  statuses=$(docker inspect --format '{{.State.Health.Status}}' $containers | sort -u | tr '\n' ' ')
  [ "$statuses" = "healthy " ] && break
  sleep 2
done
echo "service health: $statuses($((SECONDS - started)) s)"
[ "$statuses" = "healthy " ]
if $gpu; then
  echo "GPU classifier image: $(docker image inspect --format '{{.Size}}' cascade/classifier:gpu-local | numfmt --to=si --round=nearest)B"
  for classifier in $(docker-compose -p "$project" "${compose_files[@]}" ps -q classifier); do
    warnings=$(docker logs "$classifier" 2>&1 | grep -o '"Message":"CUDA execution provider requested but it cannot load[^"]*"' || true)
    count=$(grep -c . <<<"$warnings" || true)
    echo "classifier ${classifier:0:12}: $count CUDA warning(s): $warnings"
    [ "$count" -eq 1 ]
  done
fi

port() { docker-compose -p "$project" "${compose_files[@]}" port "$1" "$2" | cut -d: -f2; }
"$python" -m grpc_tools.protoc -I shared/Cascade.Protos/Proto --python_out="$work" --grpc_python_out="$work" cascade/v1/cascade.proto
# The first photo of each folder, as the xunit tests pick them (awk reads to the end: no SIGPIPE under pipefail).
bear=$(find ../shared/data/bears/grizzly -name '*.jpg' | LC_ALL=C sort | awk 'NR == 1')
negative=$(find ../shared/data/negatives -name '*.jpg' | LC_ALL=C sort | awk 'NR == 1')
"$python" tests/containers/front_doors.py "$(port orchestrator 8080)" "$(port orchestrator 5001)" "$(port rabbitmq 5672)" "$work" "$bear" "$negative"
