#!/usr/bin/env bash
# Allocation per operation (JMH -prof gc, gc.alloc.rate.norm) of the AsynchronousFileChannel CompletionHandler path
# and of the engine API, for this checkout and optionally a saved earlier build, run alternately in one session.
#   [BASE=/dir] scripts/alloc-per-op.sh [ROUNDS] [JMH ARGS...]
# BASE is a directory holding io-engine.jar and io-engine-benchmarks.jar of another build (for a before/after
# comparison: save them with `scripts/alloc-per-op.sh --save DIR` on that checkout). Prints one line per result:
# round, build, benchmark, params, B/op.
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
[ $# -gt 0 ] || set -- -f 1 -wi 3 -w 1 -i 3 -r 1
./build mvn -o -q -Dmaven.test.skip=true -pl benchmarks -am package
deps="$(tr ':' '\n' < benchmarks/target/runtime-classpath.txt | grep -v '/io-engine.jar$' | paste -sd:)"
builds=(new)
[ -n "${BASE:-}" ] && builds+=(base)
classpath() {
  case "$1" in
    new) echo "benchmarks/target/io-engine-benchmarks.jar:target/io-engine.jar:$deps" ;;
    base) echo "$BASE/io-engine-benchmarks.jar:$BASE/io-engine.jar:$deps" ;;
  esac
}
n=${#builds[@]}
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < n; i++)); do
    b="${builds[$(( (i + r) % n ))]}"
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$(classpath "$b")" org.openjdk.jmh.Main \
        'AsyncChannelHandlerBenchmark|EngineRoundTripBenchmark' -prof gc "$@" 2>/dev/null \
      | awk -v r="$r" -v b="$b" '/^[A-Za-z]+Benchmark\.[A-Za-z]+:gc\.alloc\.rate\.norm/ {
          name = $1; sub(/:.*/, "", name); sub(/.*\./, "", name);
          params = ""; for (i = 2; i < NF && $i != "avgt"; i++) params = params " " $i;
          print r, b, name, params, $(i + 2), "B/op" }'
  done
done
