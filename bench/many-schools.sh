#!/usr/bin/env bash
# Many-schools benchmark: 1,000 configured schools (default 100 districts of 10) whose databases are
# schemas of one PostgreSQL database on localhost:5432 (default max_connections 100), with a 512 MB heap.
# Prints startup time, idle heap and threads, the connections held at idle, one sync of every district
# (all at once, then 4 at a time) with peak connections and heap, and the connections held afterwards.
# Usage: bench/many-schools.sh [districts] [schools-per-district]
#   bench/many-schools.sh          100 districts x 10 schools
#   bench/many-schools.sh 10 10    a quick run: 100 schools
#   bench/many-schools.sh 100 10 camel.main.jmx-management-m-beans-level=RoutesOnly   further arguments: key=value settings
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx512m -XX:+UseParallelGC -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  com.cleversync.bench.ManySchoolsBenchmark "${1:-100}" "${2:-10}" "${@:3}"
