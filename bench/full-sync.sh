#!/usr/bin/env bash
# Full-sync benchmark: a generated Clever district (default 100,000 students) synced from the
# built-in sandbox into 20 fresh PostgreSQL databases on localhost:5432 with a 256 MB heap.
# Usage: bench/full-sync.sh [students]      e.g. bench/full-sync.sh 500000
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx256m -XX:+UseG1GC -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  com.cleversync.bench.FullSyncBenchmark "${1:-100000}"
