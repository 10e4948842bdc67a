#!/usr/bin/env bash
# Attendance benchmark: a school year of about 1M records (7 schools x 7 periods, default 10,500 students)
# served by the Aeries simulator in a JVM of its own, backfilled in weekly chunks into 7 fresh PostgreSQL
# databases on localhost:5432 with a 256 MB heap; then the correction-window run, and a run-once child
# killed (SIGKILL) with half of the year committed and a new one resuming (its time to resume printed).
# Usage: bench/attendance.sh [students] [requests-per-minute]
#   bench/attendance.sh              10,500 students, no practical client limit
#   bench/attendance.sh 10500 60     Aeries' default client limit of 60 requests/min
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx256m -XX:+UseParallelGC -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  com.cleversync.bench.AttendanceBenchmark "${1:-10500}" "${2:-1000000}"
