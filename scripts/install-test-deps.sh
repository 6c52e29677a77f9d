#!/usr/bin/env bash
# Installs what the test suite needs on a bare Debian 12 machine (run as root) and starts RabbitMQ on 127.0.0.1.
# Idempotent: skips what is already there.
set -euo pipefail

apt_packages=(
  rabbitmq-server      # real broker for the service tests
  python3-grpcio python3-grpc-tools python3-protobuf protobuf-compiler  # gRPC interop tests (reference C-core client)
  grpc-proto           # grpc.health.v1 and grpc.reflection protos for the interop clients
  python3-pika         # plain-AMQP submission test
  chromium             # web page test (Playwright drives Debian's chromium)
  docker-compose       # `docker-compose config` validates docker-compose.yml; the compose stack test
  docker.io            # Docker engine: Testcontainers, the compose stack and fresh-machine tests (tests/containers)
  debootstrap          # the local Debian base image (scripts/images.sh)
  time                 # GNU time: the peak memory of `cascade classify` (ClassifyMemoryTests)
)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

source "$(dirname "$0")/lib/local-broker.sh"
if ! local_broker_running; then
  echo 'listeners.tcp.default = 127.0.0.1:5672' > /etc/rabbitmq/rabbitmq.conf
  printf 'NODENAME=rabbit@localhost\nNODE_IP_ADDRESS=127.0.0.1\nERL_EPMD_ADDRESS=127.0.0.1\n' > /etc/rabbitmq/rabbitmq-env.conf
  rabbitmq-server -detached
  for _ in $(seq 120); do rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1 && break; sleep 0.5; done
  rabbitmqctl -q await_startup --timeout 5
fi
echo "RabbitMQ ready on 127.0.0.1:5672"
