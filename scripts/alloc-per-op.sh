#!/usr/bin/env bash
# Allocation per operation (JMH -prof gc, gc.alloc.rate.norm) of the AsynchronousFileChannel CompletionHandler path
# (AsyncChannelHandlerBenchmark) and of the engine API (EngineRoundTripBenchmark), one JVM fork per benchmark.
#   scripts/alloc-per-op.sh [ROUNDS] [JMH ARGS...]              this checkout (built first)
#   scripts/alloc-per-op.sh --save DIR                          builds this checkout and keeps its jars in DIR
#   BUILDS="before=DIR1 after=DIR2" scripts/alloc-per-op.sh ... saved builds instead, run in turn (the order rotated
#                                                               each round), for a before/after in one session
# Prints one line per result: round, build, benchmark, params, B/op.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. .ci/find-jdk.sh
if [ "${1:-}" = "--save" ]; then
  ./build mvn -o -q -Dmaven.test.skip=true -pl benchmarks -am package
  mkdir -p "$2" && cp target/io-engine.jar benchmarks/target/io-engine-benchmarks.jar "$2"/
  exit 0
fi
rounds="${1:-1}"
shift || true
[ $# -gt 0 ] || set -- -f 1 -wi 3 -w 2 -i 3 -r 2
if [ -z "${BUILDS:-}" ]; then
  ./build mvn -o -q -Dmaven.test.skip=true -pl benchmarks -am package
  BUILDS="this=$root/target/alloc-jars"
  mkdir -p target/alloc-jars && cp target/io-engine.jar benchmarks/target/io-engine-benchmarks.jar target/alloc-jars/
fi
[ -f benchmarks/target/runtime-classpath.txt ] || ./build mvn -o -q -Dmaven.test.skip=true -pl benchmarks -am package
deps="$(tr ':' '\n' < benchmarks/target/runtime-classpath.txt | grep -v '/io-engine.jar$' | paste -sd:)"
read -ra builds <<< "$BUILDS"
n=${#builds[@]}
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < n; i++)); do
    b="${builds[$(( (i + r) % n ))]}"
    label="${b%%=*}"
    dir="${b#*=}"
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
        -cp "$dir/io-engine-benchmarks.jar:$dir/io-engine.jar:$deps" org.openjdk.jmh.Main \
        'AsyncChannelHandlerBenchmark|EngineRoundTripBenchmark' -prof gc "$@" 2>/dev/null \
      | awk -v r="$r" -v b="$label" '/^[A-Za-z]+Benchmark\.[A-Za-z]+:gc\.alloc\.rate\.norm/ {
          name = $1; sub(/:.*/, "", name); sub(/.*\./, "", name);
          params = ""; for (i = 2; i < NF && $i != "avgt"; i++) params = params " " $i;
          print r, b, name, params, $(i + 2), "B/op" }'
  done
done
