#!/usr/bin/env bash
# The A B comparison behind docs/benchmarks.md "Stage fusion over the bus": an older build (default 2ce2162, before
# issue 14) against this checkout, alternating, on one RabbitMQ broker bound to 127.0.0.1 (host network: no docker-proxy).
#   1. each build trains its own packs (`cascade train --out DIR --cache DIR`, the bear example);
#   2. per round: `cascade bench --end-to-end` with those packs, old then new (services' packs given by environment too,
#      as the old bench started its services with the default packs);
#   3. per round: `/usr/bin/time -v cascade classify --json` over MIX with those packs (wall, CPU, peak RSS).
# Needs cascade/rabbitmq:local (scripts/images.sh) and ../shared. Writes $OUT (default .artifacts/stage-fusion-ab).
# NEW_TRAIN_ARGS: more `cascade train` options for this checkout's packs (e.g. the int8 backbone:
# NEW_TRAIN_ARGS="--backbone ../shared/models/mobilenetv2-12-int8.onnx").
#   scripts/stage-fusion-ab.sh [BASE_COMMIT] [MIX_FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/docker-engine.sh
base_commit=${1:-2ce2162}
mix=$(realpath "${2:-../shared/data}")
out=$(realpath -m "${OUT:-.artifacts/stage-fusion-ab}")
rounds=${ROUNDS:-2}
mkdir -p "$out"
# Beside this checkout, so that the old build's defaults (../shared/models, ../shared/data) resolve as here.
base_tree=$(realpath -m "../cascade-ab-base-$base_commit")
[ -d "$base_tree" ] || git worktree add -q --detach "$base_tree" "$base_commit"
for tree in "$base_tree" "$PWD"; do dotnet build "$tree/tools/Cascade.Cli" -c Release -v quiet -nologo >&2; done
cli() { (cd "$1" && shift && dotnet tools/Cascade.Cli/bin/Release/net10.0/cascade.dll "$@"); }
for build in base new; do
  tree=$base_tree; [ $build = new ] && tree=$PWD
  extra=(); [ $build = new ] && read -ra extra <<< "${NEW_TRAIN_ARGS:-}"
  [ -d "$out/packs-$build" ] || cli "$tree" train --out "$out/packs-$build" --cache "$out/cache-$build" "${extra[@]}" > "$out/train-$build.log"
done

start_docker_engine
trap 'docker rm -f cascade-ab-rabbit >/dev/null 2>&1; stop_docker_engine' EXIT
printf 'loopback_users = none\nlisteners.tcp.1 = 127.0.0.1:5672\nmanagement.tcp.ip = 127.0.0.1\ndistribution.listener.interface = 127.0.0.1\n' > "$out/rabbitmq.conf"
docker rm -f cascade-ab-rabbit >/dev/null 2>&1 || true
docker run -d --name cascade-ab-rabbit --network host -e ERL_EPMD_ADDRESS=127.0.0.1 \
  -v "$out/rabbitmq.conf:/etc/rabbitmq/rabbitmq.conf:ro" "${CASCADE_RABBITMQ_IMAGE:-cascade/rabbitmq:local}" >/dev/null
for _ in $(seq 60); do docker exec cascade-ab-rabbit rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1 && break; sleep 2; done

report=$out/report.md; : > "$report"
for round in $(seq "$rounds"); do
  for build in base new; do
    tree=$base_tree; [ $build = new ] && tree=$PWD
    packs=$out/packs-$build
    echo "## $build, round $round ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" >> "$report"
    (cd "$tree" && Gate__Pack=$packs/gate-bear-trained Classifier__Pack=$packs/classifier-bear-trained \
      dotnet tools/Cascade.Cli/bin/Release/net10.0/cascade.dll bench --end-to-end --gate "$packs/gate-bear-trained" \
      --classifier "$packs/classifier-bear-trained" --images "${IMAGES:-300}" --open-loop-seconds 15 --markdown "$report" > "$out/bench-$build-$round.log")
    (cd "$tree" && /usr/bin/time -v dotnet tools/Cascade.Cli/bin/Release/net10.0/cascade.dll classify --json \
      --gate "$packs/gate-bear-trained" --classifier "$packs/classifier-bear-trained" "$mix" > "$out/classify-$build-$round.jsonl" 2> "$out/classify-$build-$round.time")
    t=$out/classify-$build-$round.time
    echo "- classify: wall $(awk '/Elapsed \(wall/ {print $NF}' "$t"), user $(awk '/User time/ {print $NF}' "$t") s, sys $(awk '/System time/ {print $NF}' "$t") s, peak RSS $(awk '/Maximum resident/ {print $NF}' "$t") kB" >> "$report"
  done
done
grep -E '^## |RabbitMq: (end|CPU|p99)|^- classify' "$report"
