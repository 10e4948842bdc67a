#!/usr/bin/env bash
# OneRoster full-sync benchmark: the generated district (default 100,000 students, 20 schools) served by
# the OneRoster 1.2 simulator in a JVM of its own, synced in full by offset pages (default 1,000 records)
# into 20 fresh PostgreSQL databases on localhost:5432 with a 256 MB heap, beside the plain-JDBC and
# COPY ceilings measured in the same run; then the unchanged re-syncs (full and incremental).
# Usage: bench/oneroster.sh [students] [page-size]
#   bench/oneroster.sh               100,000 students, 1,000-record pages
#   bench/oneroster.sh 100000 5000   5,000-record pages (the simulator's maximum follows the page size)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx256m -XX:+UseParallelGC -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  com.cleversync.bench.OneRosterBenchmark "${1:-100000}" "${2:-1000}"
