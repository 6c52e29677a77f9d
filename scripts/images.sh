#!/usr/bin/env bash
# Builds the container images locally, for machines that cannot pull from Docker Hub or Microsoft's registry:
#   local/debian:bookworm       a minimal Debian 12 made with debootstrap from the apt mirror this machine uses,
#                               built once and cached with `docker save` in $CASCADE_IMAGE_CACHE
#   cascade/rabbitmq:local      Debian's rabbitmq-server (deploy/rabbitmq/Dockerfile)
#   cascade/postgres:local      Debian's postgresql-15 (deploy/postgres/Dockerfile), env like the official image
#   cascade/gate:local, cascade/classifier:local, cascade/orchestrator:local
#                               services/*/Dockerfile, target `prebuilt`: a self-contained `dotnet publish` made
#                               here (the SDK image cannot be pulled) is copied onto the Debian base
#   cascade/classifier:gpu-local
#                               only with --gpu: the classifier published with -p:OnnxRuntime=Gpu
#                               (Microsoft.ML.OnnxRuntime.Gpu.Linux, about 540 MB more) on $CASCADE_CUDA_IMAGE, a
#                               CUDA 12 + cuDNN 9 runtime image; without one, on the Debian base, where it falls back
#                               to CPU with one warning (tests/containers/compose-stack.sh --gpu-image checks that)
# docker-compose.local.yml points the compose stack at these names. Unchanged inputs cost a few seconds: the
# publish is skipped when no source file changed, and docker's layer cache does the rest.
# Starts dockerd (as root) when no engine answers and stops it again at the end.
#   scripts/images.sh [--gpu]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/docker-engine.sh

cache=${CASCADE_IMAGE_CACHE:-$HOME/.cache/cascade-images}
base=local/debian:bookworm
publish_root=.artifacts/publish
services=(gate classifier orchestrator)
case "${1:-}" in
  "") gpu=false ;;
  --gpu) gpu=true ;;
  *) echo "usage: scripts/images.sh [--gpu]" >&2; exit 2 ;;
esac

# The Debian base: from the engine, else from the cache, else debootstrap (about a minute) and cache it.
base_image() {
  if docker image inspect "$base" >/dev/null 2>&1; then return; fi
  mkdir -p "$cache"
  if [ -f "$cache/debian-bookworm.tar" ]; then
    docker load -i "$cache/debian-bookworm.tar"
    return
  fi
  local sources=/etc/apt/sources.list.d/debian.sources rootfs
  local mirror
  mirror=$(awk '/^URIs:/ { print $2; exit }' "$sources")
  rootfs=$(mktemp -d)
  echo "debootstrap bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
  cp "$sources" "$rootfs/etc/apt/sources.list.d/debian.sources"
  rm -f "$rootfs/etc/apt/sources.list"
  # As in Docker Hub's debian images: apt keeps no package files or caches in image layers.
  cat > "$rootfs/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import - "$base"
  rm -rf "$rootfs"
  docker save -o "$cache/debian-bookworm.tar.partial" "$base"
  mv "$cache/debian-bookworm.tar.partial" "$cache/debian-bookworm.tar"
}

# Self-contained publish of one service (the orchestrator's folder also gets the CLI, for models-init) with one
# ONNX Runtime build (Cpu or Gpu), into $publish_root/NAME, in artifacts folders of its own so it never touches
# the bin/ and obj/ of the normal build (nor the CPU build those of the GPU one). Skipped when the stamp (a hash of
# the ONNX Runtime build and of every source file the build reads) is unchanged.
publish() {
  local service=$1 onnxruntime=$2 name=$3 out=$publish_root/$3 artifacts=.artifacts/build stamp
  if [ "$onnxruntime" = Gpu ]; then artifacts=.artifacts/build-gpu; fi
  stamp=$({ echo "$onnxruntime"; git ls-files -co --exclude-standard -- shared services tools packs Directory.Build.props Directory.Packages.props global.json ':!*Dockerfile' \
    | xargs -d '\n' sha256sum; } | sha256sum | cut -d' ' -f1)
  if [ -f "$out.stamp" ] && [ "$(cat "$out.stamp")" = "$stamp" ]; then echo "publish $name: unchanged"; return; fi
  rm -rf "$out" "$out.stamp"
  local projects=("services/${service^}/Cascade.${service^}.csproj")
  if [ "$service" = orchestrator ]; then projects=(tools/Cascade.Cli/Cascade.Cli.csproj "${projects[@]}"); fi
  for project in "${projects[@]}"; do
    echo "publish $project (ONNX Runtime $onnxruntime)"
    dotnet publish "$project" -c Release -r linux-x64 --self-contained -p:OnnxRuntime="$onnxruntime" -p:ErrorOnDuplicatePublishOutputFiles=false \
      --artifacts-path "$artifacts" -o "$out" -v quiet -nologo
  done
  echo "$stamp" > "$out.stamp"
}

start_docker_engine
trap stop_docker_engine EXIT
base_image
docker build -q -t cascade/rabbitmq:local --build-arg BASE_IMAGE="$base" deploy/rabbitmq
docker build -q -t cascade/postgres:local --build-arg BASE_IMAGE="$base" deploy/postgres
# Debian's engine has no BuildKit here (the CLI warns that the legacy builder is deprecated): that is fine, as
# the `prebuilt` stage comes before the SDK stage, so no builder ever needs the SDK image.
for service in "${services[@]}"; do
  publish "$service" Cpu "$service"
  docker build -q -t "cascade/$service:local" -f "services/${service^}/Dockerfile" --target prebuilt \
    --build-arg RUNTIME_IMAGE="$base" "$publish_root/$service"
done
if $gpu; then
  publish classifier Gpu classifier-gpu
  docker build -q -t cascade/classifier:gpu-local -f services/Classifier/Dockerfile --target prebuilt \
    --build-arg RUNTIME_IMAGE="${CASCADE_CUDA_IMAGE:-$base}" "$publish_root/classifier-gpu"
fi
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E '^(cascade/|local/debian)' | sort
