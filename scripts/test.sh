#!/usr/bin/env bash
# The README's test command (`npm test`) and its subsets: builds, starts the real engines the tests need through
# the project's own scripts (a Kafka broker, a Cassandra node, a Spark Connect server and a Kubernetes control plane
# from scripts/engines/), runs the given vitest projects (all tiers when none is given), and stops what it started. An
# engine given by its environment variable (VIGIL_KAFKA_BROKERS, VIGIL_CASSANDRA_CONTACT_POINTS, VIGIL_SPARK_CONNECT,
# VIGIL_KUBECONFIG with VIGIL_KUBECTL) is used as it is. The Kubernetes binaries are built once into the engines' cache.
#   scripts/test.sh                      unit, integration, contract, e2e and kubernetes
#   scripts/test.sh --project contract   one tier
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
# The kubernetes tier's control plane only when that tier runs; its binaries are built (the first time) before the
# other engines start, so the build has the machine to itself.
wants_kubernetes=false
if [ "$#" -eq 0 ] || [[ " $* " == *" kubernetes "* ]] || [[ " $* " == *"--project=kubernetes"* ]]; then wants_kubernetes=true; fi
if $wants_kubernetes && [ "${VIGIL_KUBECONFIG:-}" = "" ]; then scripts/engines/kubernetes.sh build; fi
started=()
cleanup() { for e in "${started[@]}"; do scripts/engines/"$e".sh down || true; done; }
trap cleanup EXIT
# An engine the tests start themselves starts empty: every test makes keyspaces and topics of its own and leaves
# them, and a data directory kept from run to run grew (752 keyspaces after a day of runs) until Cassandra's small
# heap went from one full GC to the next and every Cassandra test timed out. One already running is left as it is.
if [ "${VIGIL_KAFKA_BROKERS:-}" = "" ] && ! scripts/engines/kafka.sh status >/dev/null 2>&1; then
  scripts/engines/kafka.sh reset
  scripts/engines/kafka.sh up
  started+=(kafka)
fi
if [ "${VIGIL_CASSANDRA_CONTACT_POINTS:-}" = "" ] && ! scripts/engines/cassandra.sh status >/dev/null 2>&1; then
  scripts/engines/cassandra.sh reset
  scripts/engines/cassandra.sh up
  started+=(cassandra)
fi
if [ "${VIGIL_SPARK_CONNECT:-}" = "" ] && ! scripts/engines/spark.sh status >/dev/null 2>&1; then
  scripts/engines/spark.sh up
  started+=(spark)
fi
if $wants_kubernetes && [ "${VIGIL_KUBECONFIG:-}" = "" ]; then
  if ! scripts/engines/kubernetes.sh status >/dev/null 2>&1; then
    started+=(kubernetes) # several processes: stopped even when one of them fails to start
    scripts/engines/kubernetes.sh up
  fi
  # VIGIL_KUBECONFIG (the admin's) and VIGIL_KUBECTL for the kubernetes tier.
  while IFS= read -r setting; do export "${setting?}"; done < <(scripts/engines/kubernetes.sh env)
fi
if [ "$#" -eq 0 ]; then set -- --project unit --project integration --project contract --project e2e --project kubernetes; fi
npx vitest run "$@"
