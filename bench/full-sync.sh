#!/usr/bin/env bash
# Full-sync benchmark: a generated Clever district (default 100,000 students) synced from the
# built-in sandbox into 20 fresh PostgreSQL databases on localhost:5432 with a 256 MB heap.
# Usage: bench/full-sync.sh [students] [page-size] [faults]
#   bench/full-sync.sh                      100,000 students, 10,000-record pages
#   bench/full-sync.sh 500000               the 500,000-student district
#   bench/full-sync.sh 100000 1000 faults   10 % injected 5xx and periodic 429 bursts (compare: without "faults")
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx256m -XX:+UseParallelGC -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  com.cleversync.bench.FullSyncBenchmark "${1:-100000}" "${2:-10000}" "${3:-}"
