# Sourced by scripts/install-test-deps.sh (which starts the local RabbitMQ) and test.sh (which stops the one it started).
#   local_broker_running   whether a RabbitMQ on this machine answers rabbitmqctl
local_broker_running() {
  command -v rabbitmqctl >/dev/null && rabbitmqctl -q await_startup --timeout 2 >/dev/null 2>&1
}
