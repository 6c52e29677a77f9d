#!/usr/bin/env bash
# Issue 14's peer comparison: the job `cascade classify --json DATA` done by cascade, by ML.NET's standard image
# pipeline and by a plain ONNX Runtime + NetVips loop (tests/Cascade.PeerBenchmarks), run alternating (cascade,
# ML.NET, plain, ROUNDS times), each a whole process timed by /usr/bin/time -v (wall time, peak RSS, and the CPU
# time it used, steadier than wall time on a shared machine). Prints a markdown table of medians and ratios
# against cascade's, then how far each peer's verdicts agree with cascade's.
#   scripts/peers.sh [DATA]    DATA: ../shared/data. Environment: ROUNDS (3), MODELS (../shared/models),
#                              OUT (where the outputs and timings stay; a new folder under /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data}
rounds=${ROUNDS:-3}
models=${MODELS:-../shared/models}
[ -d "$data" ] || { echo "error: no data folder $data" >&2; exit 2; }
[ -d "$models" ] || { echo "error: no models folder $models (MODELS)" >&2; exit 2; }
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "error: ROUNDS must be a whole number from 1, was '$rounds'" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is missing (Debian package 'time')" >&2; exit 1; }
out=${OUT:-$(mktemp -d /tmp/cascade-peers.XXXXXX)}
mkdir -p "$out"

dotnet build tools/Cascade.Cli -c Release -v quiet -nologo >&2
dotnet build tests/Cascade.PeerBenchmarks -c Release -v quiet -nologo >&2
# The packs where ./run.sh keeps them, unless CASCADE_MODEL_DIR says otherwise.
export CASCADE_MODEL_DIR=${CASCADE_MODEL_DIR:-$PWD/.models}
cascade=(dotnet tools/Cascade.Cli/bin/Release/net10.0/cascade.dll)
peers=(dotnet tests/Cascade.PeerBenchmarks/bin/Release/net10.0/Cascade.PeerBenchmarks.dll)
# Every pack, as ./run.sh does, so cascade finds its default packs whichever they are.
"${cascade[@]}" models pull --from "$models" >&2
packs=(--data "$data" --gate packs/gate-mobilenetv2-int8 --classifier packs/classifier-mobilenetv2-fp32 --models "$models")

contenders=(cascade mlnet plain)
run() { # NAME ROUND: one whole process, its JSON lines and its /usr/bin/time -v report into $out
  local command
  case $1 in
    cascade) command=("${cascade[@]}" classify --json "$data") ;;
    *) command=("${peers[@]}" "$1" "${packs[@]}") ;;
  esac
  /usr/bin/time -v -o "$out/$1.$2.time" "${command[@]}" > "$out/$1.$2.jsonl"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; outputs in $out"
for round in $(seq "$rounds"); do
  for name in "${contenders[@]}"; do run "$name" "$round"; done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Wall seconds, CPU seconds (user + system) and peak RSS in MiB of one run, from its /usr/bin/time -v report.
measure() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
              /User time|System time/ { cpu += $2 }
              /Maximum resident set size/ { rss = $2 / 1024 }
              END { printf "%.2f %.2f %.0f\n", s, cpu, rss }' "$1"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
declare -A wall cpu rss
rows=()
for name in "${contenders[@]}"; do
  walls=() cpus=() peaks=()
  for round in $(seq "$rounds"); do
    read -r w c r < <(measure "$out/$name.$round.time")
    walls+=("$w") cpus+=("$c") peaks+=("$r")
  done
  wall[$name]=$(printf '%s\n' "${walls[@]}" | median)
  cpu[$name]=$(printf '%s\n' "${cpus[@]}" | median)
  rss[$name]=$(printf '%s\n' "${peaks[@]}" | median)
  rows+=("| $name | ${walls[*]} | ${wall[$name]} | $(ratio "${wall[$name]}" "${wall[cascade]}") | ${cpus[*]} | ${cpu[$name]} | $(ratio "${cpu[$name]}" "${cpu[cascade]}") | ${peaks[*]} | ${rss[$name]} | $(ratio "${rss[$name]}" "${rss[cascade]}") |")
done
echo
echo "$(wc -l < "$out/cascade.1.jsonl") images, $rounds rounds; medians, and their ratios to cascade's"
echo "| contender | wall s per round | median | vs cascade | CPU s per round | median | vs cascade | peak RSS MiB per round | median | vs cascade |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
for name in mlnet plain; do
  "${peers[@]}" compare --cascade "$out/cascade.1.jsonl" --peer "$out/$name.1.jsonl" --name "$name" --pack packs/gate-mobilenetv2-int8
done
