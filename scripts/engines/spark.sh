#!/usr/bin/env bash
# A real Apache Spark 3.5 for development and tests: a Spark Connect server in local mode on 127.0.0.1, with the
# Spark Cassandra Connector and a catalog `cassandra` over the Cassandra node (so `cassandra.twitter_analytics.tweet`
# is a table). Spark's own jars come from PyPI's pyspark (it ships them); the Connect server and the connector from
# Maven Central with mvn (spark-pom.xml). All of it into a cache outside the repo; second runs use the cache.
#
#   scripts/engines/spark.sh up       fetch (once), start, wait until the Connect port answers
#   scripts/engines/spark.sh down     stop it
#   scripts/engines/spark.sh status   running or not, and where
#   scripts/engines/spark.sh reset    stop it and delete its scratch space
#
# Settings: VIGIL_ENGINES_CACHE (default ~/.cache/vigil-engines), VIGIL_SPARK_PORT (default 15002),
# VIGIL_SPARK_HEAP (default 1g), VIGIL_SPARK_CORES (default *: all), VIGIL_SPARK_CASSANDRA (default
# 127.0.0.1:9042, the node the catalog reads).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pom="$here/spark-pom.xml"
version="$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$pom")"
cache="${VIGIL_ENGINES_CACHE:-$HOME/.cache/vigil-engines}/spark-$version"
port="${VIGIL_SPARK_PORT:-15002}"
heap="${VIGIL_SPARK_HEAP:-1g}"
cores="${VIGIL_SPARK_CORES:-*}"
cassandra="${VIGIL_SPARK_CASSANDRA:-127.0.0.1:9042}"
run="$cache/run-$port"
pidfile="$run/spark.pid"

configure() {
  log "note: Spark 3.5's Connect server listens on every interface (the address setting came with Spark 4.0); firewall port $port on a shared machine"
  mkdir -p "$run/tmp" "$run/warehouse"
  cat > "$run/log4j2.properties" <<LOG
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
logger.connect.name = org.apache.spark.sql.connect
logger.connect.level = info
LOG
}

# The JVM options Spark's launcher adds on Java 17 (Spark reaches into these JDK internals).
JAVA17_OPENS=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false)

launch() {
  SPARK_LOCAL_IP=127.0.0.1 nohup java "-Xmx$heap" "${JAVA17_OPENS[@]}" -Djava.io.tmpdir="$run/tmp" -Dlog4j2.configurationFile="$run/log4j2.properties" \
    -Dspark.master="local[$cores]" -Dspark.app.name="vigil-spark-connect" \
    -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 -Dspark.ui.enabled=false \
    -Dspark.local.dir="$run/tmp" -Dspark.sql.warehouse.dir="$run/warehouse" -Dspark.sql.session.timeZone=UTC \
    -Dspark.sql.shuffle.partitions=8 \
    -Dspark.connect.grpc.binding.port="$port" -Dspark.connect.grpc.binding.address=127.0.0.1 \
    -Dspark.sql.extensions=com.datastax.spark.connector.CassandraSparkExtensions \
    -Dspark.sql.catalog.cassandra=com.datastax.spark.connector.datasource.CassandraCatalog \
    -Dspark.cassandra.connection.host="${cassandra%:*}" -Dspark.cassandra.connection.port="${cassandra##*:}" \
    -cp "$cache/spark/jars/*:$cache/libs/*" org.apache.spark.sql.connect.service.SparkConnectServer > "$run/stdout.log" 2>&1 &
}

engine=spark
log_file="$run/stdout.log"
wait_seconds=180
# shellcheck source=engine-lib.sh
. "$here/engine-lib.sh"

# Spark itself from PyPI (pyspark's sdist carries Spark's jars), the rest from Maven Central.
fetch() {
  if [ -f "$cache/.complete" ]; then return; fi
  command -v python3 >/dev/null || { log "python3 not found: needed to fetch pyspark from PyPI"; exit 1; }
  log "fetching Spark $version (pyspark from PyPI) and the Connect server and Cassandra connector (Maven Central) into $cache (once) …"
  mkdir -p "$cache/download" "$cache/spark"
  python3 -m pip download --quiet --no-deps --no-binary :all: "pyspark==$version" -d "$cache/download"
  tar xzf "$cache/download/pyspark-$version.tar.gz" -C "$cache/spark" --strip-components=2 "pyspark-$version/deps/jars"
  rm -rf "$cache/download"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$cache/libs" -DincludeScope=runtime
  touch "$cache/.complete"
}

engine_main "$@"
