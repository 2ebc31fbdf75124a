#!/usr/bin/env bash
# Makes sure the RabbitMQ server that compensation-amqp's tests use is running on localhost:5672 (guest/guest, which
# RabbitMQ allows from localhost). Idempotent: does nothing when it already answers. Needs root.
set -euo pipefail

if ! command -v rabbitmq-server >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
fi

if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
    rabbitmq-server -detached >/dev/null 2>&1
    for _ in $(seq 1 90); do
        rabbitmq-diagnostics -q ping >/dev/null 2>&1 && break
        sleep 1
    done
    rabbitmq-diagnostics -q ping >/dev/null
fi
echo "RabbitMQ ready on localhost:5672 (guest/guest)"
