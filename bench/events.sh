#!/usr/bin/env bash
# Incremental-sync benchmark: a generated district (default 20,000 students, 20 schools) synced in full
# into 20 fresh PostgreSQL databases on localhost:5432, then 10,000 changes (updates, deletes, creates
# spread over every school) applied from the sandbox's events feed by one incremental run, -Xmx256m.
# Usage: bench/events.sh [events] [students]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx256m -XX:+UseParallelGC -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  com.cleversync.bench.EventsBenchmark "${1:-10000}" "${2:-20000}"
