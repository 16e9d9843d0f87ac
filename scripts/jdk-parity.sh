#!/usr/bin/env bash
# io-engine's drop-in against the JDK's own provider on what plain programs do (issue 10's table): each
# measurement in a fresh JVM of its own, the contenders alternating (rotating order), the median of REPS runs each,
# and the io-engine/JDK ratio per row (above 1 is io-engine faster; for start-up, the extra milliseconds).
# Contenders: jdk (no drop-in), io-engine (the drop-in as shipped: buffered blocking channels are the JDK's,
# O_DIRECT and asynchronous ones io-engine's), engine-road (the drop-in with -Dioengine.fileChannels=engine:
# every channel io-engine's). Rows marked "virtual" run on virtual threads, their shared channel opened on one.
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
"$JAVA_HOME/bin/javac" -nowarn -XDsuppressNotes -d "$CLASSES" scripts/JdkParity.java 2>/dev/null # (DIRECT is jdk.unsupported API)

DROP_IN=-Djava.nio.file.spi.DefaultFileSystemProvider=dev.ioengine.fs.IoEngineFileSystemProvider
CONTENDERS=(jdk io-engine engine-road)
run() { # contender, args...
  local contender="$1"; shift
  local extra=()
  [ "$contender" = io-engine ] && extra=("$DROP_IN")
  [ "$contender" = engine-road ] && extra=("$DROP_IN" -Dioengine.fileChannels=engine)
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${extra[@]}" -cp "$CLASSES:$JAR" JdkParity "$@"
}

median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.0f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "io-engine jar: ${1:-$JAR}; JDK: $JAVA_HOME; dir: $DIR ($(df -T "$DIR" | awk 'NR == 2 { print $2 }')); $(nproc) CPUs"
echo "each figure: median of $REPS runs of ${SECONDS_PER_RUN}s in a fresh JVM, contenders alternating"
printf '%-58s %12s %12s %7s %12s %7s\n' "workload" "JDK" "io-engine" "ratio" "engine-road" "ratio"

# The contenders in round i: rotated by i, so each runs first, second and third as often.
order() { local i="$1" n=${#CONTENDERS[@]} k; for ((k = 0; k < n; k++)); do echo "${CONTENDERS[$(((i + k) % n))]}"; done; }

# Start-up: JVM start, one Files.readString, exit; wall time of the whole JVM.
echo "hello" > "$DIR/hello.txt"
declare -A ms
for ((i = 0; i < STARTS; i++)); do
  for contender in $(order "$i"); do
    start=$(date +%s%N)
    run "$contender" readString "$DIR/hello.txt"
    ms[$contender]+="$(( ($(date +%s%N) - start) / 1000000 )) "
  done
done
jdk=$(printf '%s\n' ${ms[jdk]} | median); ours=$(printf '%s\n' ${ms[io-engine]} | median)
road=$(printf '%s\n' ${ms[engine-road]} | median)
printf '%-58s %9s ms %9s ms %+4s ms %9s ms %+4s ms\n' "JVM start + Files.readString + exit (wall)" "$jdk" "$ours" \
  "$((ours - jdk))" "$road" "$((road - jdk))"

row() { # label, workload args...
  local label="$1"; shift
  declare -A ops=()
  for ((i = 0; i < REPS; i++)); do
    for contender in $(order "$i"); do
      ops[$contender]+="$(run "$contender" "$@") "
    done
  done
  local jdk ours road
  jdk=$(printf '%s\n' ${ops[jdk]} | median); ours=$(printf '%s\n' ${ops[io-engine]} | median)
  road=$(printf '%s\n' ${ops[engine-road]} | median)
  printf '%-58s %10.0f/s %10.0f/s %6.2fx %10.0f/s %6.2fx\n' "$label" "$jdk" "$ours" "$(echo "$ours / $jdk" | bc -l)" \
    "$road" "$(echo "$road / $jdk" | bc -l)"
}

S="$SECONDS_PER_RUN"
row "Files.readAllBytes, 2,000 cached 4 KiB files, 1 thread" readAllBytes "$DIR/small" 1 "$S"
row "4 KiB positional write + force(false), 1 thread" writeForce "$DIR/log1" 1 "$S"
row "4 KiB positional write + force(false), 16 threads" writeForce "$DIR/log16" 16 "$S"
row "8 KiB writes, buffered, through Files.newOutputStream" streamWrites "$DIR/stream" "$S"
row "4 KiB random positional reads, cached file, 1 thread" randomReads "$DIR/random" 1 "$S"
row "4 KiB random positional reads, cached file, 8 threads" randomReads "$DIR/random" 8 "$S"
row "Files.readAllBytes, cached 4 KiB files, 64 virtual" readAllBytes "$DIR/small" v64 "$S"
row "4 KiB random positional reads, cached file, 64 virtual" randomReads "$DIR/random" v64 "$S"
row "4 KiB random positional reads, O_DIRECT, 1 thread" directReads "$DIR/random" 1 "$S"
row "4 KiB random positional reads, O_DIRECT, 64 virtual" directReads "$DIR/random" v64 "$S"
row "4 KiB positional write + force(false), 16 virtual" writeForce "$DIR/log16v" v16 "$S"
