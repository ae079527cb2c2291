#!/usr/bin/env bash
# The README's test command (`npm test`) and its subsets: builds, starts the real engines the tests need through
# the project's own scripts (a Kafka broker, a Cassandra node and a Spark Connect server from scripts/engines/),
# runs the given vitest projects (all tiers when none is given), and stops what it started. An engine given by its
# environment variable (VIGIL_KAFKA_BROKERS, VIGIL_CASSANDRA_CONTACT_POINTS, VIGIL_SPARK_CONNECT) is used as it is.
#   scripts/test.sh                      unit, integration, contract and e2e
#   scripts/test.sh --project contract   one tier
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
started=()
cleanup() { for e in "${started[@]}"; do scripts/engines/"$e".sh down || true; done; }
trap cleanup EXIT
if [ "${VIGIL_KAFKA_BROKERS:-}" = "" ] && ! scripts/engines/kafka.sh status >/dev/null 2>&1; then
  scripts/engines/kafka.sh up
  started+=(kafka)
fi
if [ "${VIGIL_CASSANDRA_CONTACT_POINTS:-}" = "" ] && ! scripts/engines/cassandra.sh status >/dev/null 2>&1; then
  scripts/engines/cassandra.sh up
  started+=(cassandra)
fi
if [ "${VIGIL_SPARK_CONNECT:-}" = "" ] && ! scripts/engines/spark.sh status >/dev/null 2>&1; then
  scripts/engines/spark.sh up
  started+=(spark)
fi
if [ "$#" -eq 0 ]; then set -- --project unit --project integration --project contract --project e2e; fi
npx vitest run "$@"
