#!/usr/bin/env bash
# io-engine's drop-in against the JDK's own provider on what plain programs do (issue 10's table): each
# measurement in a fresh JVM of its own, the two contenders alternating, the median of REPS runs each, and the
# io-engine/JDK ratio per row (above 1 is io-engine faster; for start-up, the extra milliseconds).
#
#   ./build package && scripts/jdk-parity.sh [JAR]
#   REPS=5 SECONDS_PER_RUN=3 DIR=/data/parity scripts/jdk-parity.sh
#
# Needs only a JDK 25 and the io-engine jar (found under src/target/ when not given).
# DIR (default: a fresh directory under /tmp, removed at the end) must be on the file system to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/find-jdk.sh

JAR="${1:-$(ls src/target/io-engine*.jar target/io-engine*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1 || true)}"
[ -n "$JAR" ] && [ -f "$JAR" ] || { echo "no io-engine jar: run ./build package first, or give its path" >&2; exit 2; }
REPS="${REPS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-2}"
STARTS="${STARTS:-10}"
DIR="${DIR:-}"
if [ -z "$DIR" ]; then
  DIR=$(mktemp -d /tmp/jdk-parity.XXXXXX)
  trap 'rm -rf "$DIR"' EXIT
fi
mkdir -p "$DIR"

CLASSES="$DIR/classes"
mkdir -p "$CLASSES"
cp "$JAR" "$DIR/io-engine.jar" # a rebuild during the run does not change what is measured
JAR="$DIR/io-engine.jar"
"$JAVA_HOME/bin/javac" -d "$CLASSES" scripts/JdkParity.java

DROP_IN=-Djava.nio.file.spi.DefaultFileSystemProvider=dev.ioengine.fs.IoEngineFileSystemProvider
run() { # contender, args...
  local contender="$1"; shift
  local extra=()
  [ "$contender" = io-engine ] && extra=("$DROP_IN")
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${extra[@]}" -cp "$CLASSES:$JAR" JdkParity "$@"
}

median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.0f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "io-engine jar: ${1:-$JAR}; JDK: $JAVA_HOME; dir: $DIR ($(df -T "$DIR" | awk 'NR == 2 { print $2 }')); $(nproc) CPUs"
echo "each figure: median of $REPS runs of ${SECONDS_PER_RUN}s in a fresh JVM, contenders alternating"
printf '%-58s %14s %14s %8s\n' "workload" "JDK" "io-engine" "ratio"

# Start-up: JVM start, one Files.readString, exit; wall time of the whole JVM.
echo "hello" > "$DIR/hello.txt"
jdk_ms=(); ours_ms=()
for ((i = 0; i < STARTS; i++)); do
  for contender in $([ $((i % 2)) -eq 0 ] && echo "jdk io-engine" || echo "io-engine jdk"); do
    start=$(date +%s%N)
    run "$contender" readString "$DIR/hello.txt"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ "$contender" = jdk ]; then jdk_ms+=("$ms"); else ours_ms+=("$ms"); fi
  done
done
jdk=$(printf '%s\n' "${jdk_ms[@]}" | median); ours=$(printf '%s\n' "${ours_ms[@]}" | median)
printf '%-58s %12s ms %12s ms %+6s ms\n' "JVM start + Files.readString + exit (wall)" "$jdk" "$ours" "$((ours - jdk))"

row() { # label, workload args...
  local label="$1"; shift
  local jdk_ops=() ours_ops=()
  for ((i = 0; i < REPS; i++)); do
    for contender in $([ $((i % 2)) -eq 0 ] && echo "jdk io-engine" || echo "io-engine jdk"); do
      value=$(run "$contender" "$@")
      if [ "$contender" = jdk ]; then jdk_ops+=("$value"); else ours_ops+=("$value"); fi
    done
  done
  local jdk ours
  jdk=$(printf '%s\n' "${jdk_ops[@]}" | median); ours=$(printf '%s\n' "${ours_ops[@]}" | median)
  printf '%-58s %10.0f/s %10.0f/s %7.2fx\n' "$label" "$jdk" "$ours" "$(echo "$ours / $jdk" | bc -l)"
}

S="$SECONDS_PER_RUN"
row "Files.readAllBytes, 2,000 cached 4 KiB files, 1 thread" readAllBytes "$DIR/small" "$S"
row "4 KiB positional write + force(false), 1 thread" writeForce "$DIR/log1" 1 "$S"
row "4 KiB positional write + force(false), 16 threads" writeForce "$DIR/log16" 16 "$S"
row "8 KiB writes, buffered, through Files.newOutputStream" streamWrites "$DIR/stream" "$S"
row "4 KiB random positional reads, cached file, 1 thread" randomReads "$DIR/random" 1 "$S"
row "4 KiB random positional reads, cached file, 8 threads" randomReads "$DIR/random" 8 "$S"
