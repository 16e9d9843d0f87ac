#!/usr/bin/env bash
# Start-up + exit of a hello-world that opens one file, the JDK's provider against io-engine's drop-in on each
# engine, alternating, RUNS runs each. Prints the median wall time of the whole process and the median exit time
# (from main's return to the process's end; HotSpot waits there for threads in native code).
#   scripts/startup-exit.sh [RUNS=20] [async|plain]   (async: one AsynchronousFileChannel read, starting an engine)
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/find-jdk.sh
runs=${1:-20}
mode=${2:-async}
classes=
for d in src/target/classes target/classes; do [ -d "$d" ] && { classes=$d; break; }; done
[ -n "$classes" ] || { echo "build the library first: ./build package" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo hello > "$work/file.txt"
"$JAVA_HOME/bin/javac" -d "$work/classes" scripts/startup-exit/HelloOneFile.java
python3 - "$runs" "$JAVA_HOME/bin/java" "$work/classes:$classes" "$work/file.txt" "$mode" <<'PY'
import subprocess, sys, time, statistics
runs, java, cp, file, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
dropin = ["--enable-native-access=ALL-UNNAMED",
          "-Djava.nio.file.spi.DefaultFileSystemProvider=dev.ioengine.fs.IoEngineFileSystemProvider"]
contenders = {"jdk": []}
for e in ("io_uring", "aio", "threads"):
    contenders[e] = dropin + ["-Dioengine.engine=" + e]
walls = {c: [] for c in contenders}; exits = {c: [] for c in contenders}
names = list(contenders)
for r in range(runs):
    for i in range(len(names)):
        c = names[(i + r) % len(names)]
        t0 = time.time_ns()
        out = subprocess.run([java] + contenders[c] + ["-cp", cp, "HelloOneFile", file, mode],
                             capture_output=True, text=True, check=True)
        t1 = time.time_ns()
        walls[c].append((t1 - t0) / 1e6)
        exits[c].append((t1 - int(out.stdout.split()[-1])) / 1e6)
jw, je = statistics.median(walls["jdk"]), statistics.median(exits["jdk"])
print("%-9s %10s %10s %12s %12s" % ("contender", "wall ms", "exit ms", "wall - JDK", "exit - JDK"))
for c in names:
    w, e = statistics.median(walls[c]), statistics.median(exits[c])
    print("%-9s %10.0f %10.1f %12.0f %12.1f" % (c, w, e, w - jw, e - je))
PY
