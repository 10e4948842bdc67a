#!/usr/bin/env bash
# Resume benchmark: a 100,000-student district (20 schools) synced in full by a run-once child JVM
# (-Xmx256m) into fresh PostgreSQL databases, then a child killed (SIGKILL) at ~50 % of the records and a
# new child resuming from the checkpoints; prints both sync times.
# Usage: bench/resume.sh [students] [kill-at-percent]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx512m -XX:+UseParallelGC -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  com.cleversync.bench.ResumeBenchmark "${1:-100000}" "${2:-50}"
