#!/usr/bin/env bash
# transferTo file-to-file and file-to-socket MiB/s, the JDK's provider against io-engine's drop-in as shipped
# (drop-in: buffered channels are the JDK's) and with every channel on the engine
# (-Dioengine.fileChannels=engine) on each engine, the order rotating each round, ROUNDS runs each (best of 3 transfers per run).
# Needs target/classes (./build package).
#   scripts/transfer-bench.sh [size-MiB=256] [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/find-jdk.sh
size_mib=${1:-256}
runs=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c $((size_mib << 20)) /dev/urandom > "$work/source"
cat "$work/source" > /dev/null
"$JAVA_HOME/bin/javac" -d "$work/classes" scripts/transfer-bench/TransferBench.java
classes=
for d in src/target/classes target/classes; do [ -d "$d" ] && { classes=$d; break; }; done
[ -n "$classes" ] || { echo "build first: ./build package" >&2; exit 2; }
dropin=(-cp "$work/classes:$classes" --enable-native-access=ALL-UNNAMED
        -Djava.nio.file.spi.DefaultFileSystemProvider=dev.ioengine.fs.IoEngineFileSystemProvider)
printf '%-15s %12s %12s\n' contender file-MiB/s socket-MiB/s
contenders=(jdk drop-in engine-io_uring engine-aio engine-threads)
n=${#contenders[@]}
for ((r = 0; r < runs; r++)); do
  for ((i = 0; i < n; i++)); do
    # The order rotates each round: a run pays for the page cache write-back of the run before it.
    who=${contenders[$(((i + r) % n))]}
    case "$who" in
      jdk) out=$("$JAVA_HOME/bin/java" -cp "$work/classes" TransferBench "$work" 3) ;;
      drop-in) out=$("$JAVA_HOME/bin/java" "${dropin[@]}" TransferBench "$work" 3) ;;
      *) out=$("$JAVA_HOME/bin/java" "${dropin[@]}" -Dioengine.fileChannels=engine -Dioengine.engine="${who#engine-}" \
           TransferBench "$work" 3) ;;
    esac
    printf '%-15s %12s %12s\n' "$who" $out
  done
done
