#!/usr/bin/env bash
# A real Apache Cassandra 5.0 node for development and tests, on 127.0.0.1 (CQL on 9042). Fetched from Maven
# Central with mvn into a cache outside the repo; second runs use the cache. Started with the JVM options that
# Cassandra's own distribution uses on Java 17 (conf/jvm17-server.options), a small heap for CI.
#
#   scripts/engines/cassandra.sh up       fetch (once), configure, start, wait until CQL answers
#   scripts/engines/cassandra.sh down     stop it (data kept)
#   scripts/engines/cassandra.sh status   running or not, and where
#   scripts/engines/cassandra.sh reset    stop it and delete its data
#
# Settings: VIGIL_ENGINES_CACHE (default ~/.cache/vigil-engines), VIGIL_CASSANDRA_PORT (CQL, default 9042; the
# storage port is CQL port - 2000 and JMX CQL port - 1800), VIGIL_CASSANDRA_HEAP (default 768m).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="$(sed -n 's:.*<cassandra.version>\(.*\)</cassandra.version>.*:\1:p' "$here/cassandra-pom.xml")"
cache="${VIGIL_ENGINES_CACHE:-$HOME/.cache/vigil-engines}/cassandra-$version"
port="${VIGIL_CASSANDRA_PORT:-9042}"
storage_port=$((port - 2000))
jmx_port=$((port - 1800))
heap="${VIGIL_CASSANDRA_HEAP:-768m}"
run="$cache/run-$port"
pidfile="$run/cassandra.pid"

configure() {
  mkdir -p "$run/data" "$run/commitlog" "$run/saved_caches" "$run/hints" "$run/cdc_raw" "$run/logs"
  cat > "$run/cassandra.yaml" <<YAML
cluster_name: vigil-dev
num_tokens: 16
allocate_tokens_for_local_replication_factor: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
data_file_directories: [$run/data]
commitlog_directory: $run/commitlog
saved_caches_directory: $run/saved_caches
hints_directory: $run/hints
cdc_raw_directory: $run/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:$storage_port"
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
storage_port: $storage_port
native_transport_port: $port
start_native_transport: true
endpoint_snitch: SimpleSnitch
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
auto_snapshot: false
snapshot_before_compaction: false
concurrent_reads: 8
concurrent_writes: 16
concurrent_counter_writes: 8
memtable_allocation_type: heap_buffers
disk_access_mode: mmap_index_only
read_request_timeout: 10000ms
write_request_timeout: 5000ms
range_request_timeout: 20000ms
request_timeout: 20000ms
batch_size_warn_threshold: 64KiB
batch_size_fail_threshold: 1024KiB
user_defined_functions_enabled: false
materialized_views_enabled: false
YAML
  cat > "$run/logback.xml" <<LOGBACK
<configuration scan="false">
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$run/logs/system.log</file>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE" /></root>
</configuration>
LOGBACK
}

# The JVM options of Cassandra's distribution for Java 17 (conf/jvm17-server.options), plus a small fixed heap.
jvm_opts=(
  "-Xms$heap" "-Xmx$heap" -Xss256k
  -XX:+UseG1GC -XX:+ParallelRefProcEnabled -XX:MaxTenuringThreshold=1 -XX:G1HeapRegionSize=16m
  -XX:G1RSetUpdatingPauseTimePercent=5 -XX:MaxGCPauseMillis=300 -XX:InitiatingHeapOccupancyPercent=70
  -Djdk.attach.allowAttachSelf=true
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
  --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
  --add-exports java.sql/java.sql=ALL-UNNAMED
  --add-exports java.base/java.lang.ref=ALL-UNNAMED
  --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
  --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
  --add-opens java.base/java.lang.module=ALL-UNNAMED
  --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
  --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
  --add-opens java.base/jdk.internal.math=ALL-UNNAMED
  --add-opens java.base/jdk.internal.module=ALL-UNNAMED
  --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.base/java.io=ALL-UNNAMED
  --add-opens java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/java.util=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true
  -Dio.netty.allocator.useCacheForAllThreads=true
  -Dio.netty.allocator.maxOrder=11
)

launch() {
  nohup java "${jvm_opts[@]}" \
    -Dcassandra.config="file://$run/cassandra.yaml" -Dlogback.configurationFile="$run/logback.xml" \
    -Dcassandra.logdir="$run/logs" -Dcassandra.storagedir="$run" -Dcassandra-foreground=yes \
    -Dcassandra.jmx.local.port="$jmx_port" -Dcassandra.skip_wait_for_gossip_to_settle=0 -Dcassandra.ring_delay_ms=100 \
    -cp "$cache/libs/*" org.apache.cassandra.service.CassandraDaemon > "$run/stdout.log" 2>&1 &
}

engine=cassandra
pom="$here/cassandra-pom.xml"
log_file="$run/logs/system.log"
wait_seconds=120
# shellcheck source=engine-lib.sh
. "$here/engine-lib.sh"
engine_main "$@"
