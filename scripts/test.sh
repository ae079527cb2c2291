#!/usr/bin/env bash
# The README's test command (`npm test`) and its subsets: builds, starts the real engines the tests need through
# the project's own scripts (a Kafka broker from scripts/engines/kafka.sh), runs the given vitest projects (all
# tiers when none is given), and stops what it started.
#   scripts/test.sh                      unit, contract and e2e
#   scripts/test.sh --project contract   one tier
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
started=""
if [ "${VIGIL_KAFKA_BROKERS:-}" = "" ] && ! scripts/engines/kafka.sh status >/dev/null 2>&1; then
  scripts/engines/kafka.sh up
  started=1
fi
cleanup() { if [ -n "$started" ]; then scripts/engines/kafka.sh down || true; fi; }
trap cleanup EXIT
if [ "$#" -eq 0 ]; then set -- --project unit --project contract --project e2e; fi
npx vitest run "$@"
