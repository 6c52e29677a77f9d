# Sourced by scripts that need a Docker engine (scripts/images.sh, test.sh).
#   start_docker_engine   starts dockerd (as root) when no engine answers; remembers that it did
#   stop_docker_engine    stops the dockerd that start_docker_engine started, and nothing else
# Debian's dockerd 20.10 speaks API 1.41 at most; newer clients (Testcontainers, docker CLI 28) must be told.
export DOCKER_API_VERSION=${DOCKER_API_VERSION:-1.41}
cascade_dockerd_pid=

start_docker_engine() {
  if docker info >/dev/null 2>&1; then return 0; fi
  local log=${TMPDIR:-/tmp}/cascade-dockerd.log
  echo "starting dockerd (log: $log)"
  dockerd >"$log" 2>&1 &
  cascade_dockerd_pid=$!
  for _ in $(seq 120); do
    if docker info >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "dockerd did not answer within 60 s; see $log" >&2
  return 1
}

stop_docker_engine() {
  if [ -z "$cascade_dockerd_pid" ]; then return 0; fi
  echo "stopping the dockerd this script started (pid $cascade_dockerd_pid)"
  kill "$cascade_dockerd_pid" 2>/dev/null || true
  for _ in $(seq 40); do kill -0 "$cascade_dockerd_pid" 2>/dev/null || break; sleep 0.5; done
  cascade_dockerd_pid=
}
