#!/usr/bin/env bash
# A real Apache Kafka 4.x broker for development and tests: one combined broker/controller (KRaft, no ZooKeeper)
# on 127.0.0.1. Fetched from Maven Central with mvn into a cache outside the repo; second runs use the cache.
#
#   scripts/engines/kafka.sh up       fetch (once), format storage (once), start, wait until it answers
#   scripts/engines/kafka.sh down     stop it (data kept)
#   scripts/engines/kafka.sh status   running or not, and where
#   scripts/engines/kafka.sh reset    stop it and delete its data
#
# Settings: VIGIL_ENGINES_CACHE (default ~/.cache/vigil-engines), VIGIL_KAFKA_PORT (default 9092),
# VIGIL_KAFKA_HEAP (default 512m).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/kafka-pom.xml")"
cache="${VIGIL_ENGINES_CACHE:-$HOME/.cache/vigil-engines}/kafka-$version"
port="${VIGIL_KAFKA_PORT:-9092}"
cport=$((port + 1))
heap="${VIGIL_KAFKA_HEAP:-512m}"
run="$cache/run-$port"
pidfile="$run/kafka.pid"
cp_="$cache/libs/*"

configure() {
  mkdir -p "$run/data"
  cat > "$run/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$run/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
PROPS
  cat > "$run/log4j2.properties" <<LOG
status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = $run/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = warn
logger.apache.name = org.apache.kafka
logger.apache.level = warn
LOG
  if [ ! -f "$run/data/meta.properties" ]; then
    local id
    id="$(java -cp "$cp_" org.apache.kafka.tools.StorageTool random-uuid 2>/dev/null || java -cp "$cp_" kafka.tools.StorageTool random-uuid)"
    java -Dlog4j2.configurationFile="$run/log4j2.properties" -cp "$cp_" kafka.tools.StorageTool format -t "$id" -c "$run/server.properties" >/dev/null
  fi
}

launch() {
  KAFKA_HEAP_OPTS="-Xmx$heap -Xms$heap" nohup java "-Xmx$heap" "-Xms$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$run/log4j2.properties" -cp "$cp_" kafka.Kafka "$run/server.properties" > "$run/stdout.log" 2>&1 &
}

engine=kafka
pom="$here/kafka-pom.xml"
log_file="$run/server.log"
wait_seconds=60
# shellcheck source=engine-lib.sh
. "$here/engine-lib.sh"
engine_main "$@"
