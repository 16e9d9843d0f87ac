#!/usr/bin/env bash
# Start-up plus exit of a hello world that reads one file (Files.readString), under the JDK's own file system and
# under the io-engine drop-in (as shipped, native access denied, and with every channel on the engine), side by side: N rounds, each runs every contender once (the order
# reversed every other round), then the median wall time and CPU time (user + sys of the JVM process) of each, and
# its difference from the JDK's. CPU time is the steadier figure on a shared machine.
#
#   scripts/startup.sh [-n ROUNDS] [--aot] [--jar PATH]
#
# Needs target/io-engine.jar (./build package), or the jar given with --jar (to compare two builds). With --aot it also measures the JDK 25 AOT cache (JEP 483/514):
# one training run per contender writes a cache under the work directory, then the cached runs are measured too.
# The drop-in then goes on the boot class path (-Xbootclasspath/a): on the class path, a JDK 25 JVM started with
# an AOT cache fails in start-up with a custom default file system provider (the shared classes' code source URLs
# are made through Path.of while the default file system is being made). README.md, "Start-up", says more.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/find-jdk.sh

rounds=11
aot=false
jar="$PWD/target/io-engine.jar"
while [ $# -gt 0 ]; do
  case "$1" in
    -n) rounds="$2"; shift 2 ;;
    --aot) aot=true; shift ;;
    --jar) jar=$(realpath "$2"); shift 2 ;;
    *) echo "usage: scripts/startup.sh [-n ROUNDS] [--aot] [--jar PATH]" >&2; exit 2 ;;
  esac
done

[ -f "$jar" ] || { echo "startup.sh: $jar is missing: run ./build package first" >&2; exit 1; }
java="$JAVA_HOME/bin/java"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The program: read one small file, print its length, exit. Packed in a jar: an AOT cache needs jars, not directories.
mkdir -p "$work/src" "$work/classes"
cat > "$work/src/Hello.java" <<'EOF'
import java.nio.file.Files;
import java.nio.file.Path;

public class Hello {
    public static void main(String[] args) throws Exception {
        System.out.println("read " + Files.readString(Path.of(args[0])).length() + " chars");
    }
}
EOF
"$JAVA_HOME/bin/javac" -d "$work/classes" "$work/src/Hello.java"
"$JAVA_HOME/bin/jar" cf "$work/hello.jar" -C "$work/classes" .
printf 'hello, start-up\n' > "$work/input.txt"

dropin="-Djava.nio.file.spi.DefaultFileSystemProvider=dev.ioengine.fs.IoEngineFileSystemProvider"
names=(jdk drop-in denied engine-io_uring engine-threads)
# drop-in: as shipped (the read, on the main thread, is the JDK's channel's); denied: native access denied;
# engine-*: -Dioengine.fileChannels=engine, the read made through FFM on the caller's thread.
declare -A opts=(
  [jdk]="-cp $work/hello.jar"
  [drop-in]="--enable-native-access=ALL-UNNAMED -cp $work/hello.jar:$jar $dropin"
  [denied]="--illegal-native-access=deny -cp $work/hello.jar:$jar $dropin"
  [engine-io_uring]="--enable-native-access=ALL-UNNAMED -cp $work/hello.jar:$jar $dropin -Dioengine.fileChannels=engine -Dioengine.engine=io_uring"
  [engine-threads]="--enable-native-access=ALL-UNNAMED -cp $work/hello.jar:$jar $dropin -Dioengine.fileChannels=engine -Dioengine.engine=threads"
)
if $aot; then
  boot="-Xbootclasspath/a:$jar --enable-native-access=ALL-UNNAMED -cp $work/hello.jar"
  opts[jdk+aot]="-XX:AOTCache=$work/jdk.aot -cp $work/hello.jar"
  engine="-Dioengine.fileChannels=engine"
  opts[engine+boot]="$boot $dropin $engine"
  opts[engine+boot+aot]="-XX:AOTCache=$work/dropin.aot $boot $dropin $engine"
  names+=(jdk+aot engine+boot engine+boot+aot)
  # Training: record what the program loads and links, then write the cache. The create step runs without the
  # drop-in property: it does not run the program, and with the property the JDK 25 create step fails as above.
  "$java" -XX:AOTMode=record -XX:AOTConfiguration="$work/jdk.aotconf" ${opts[jdk]} Hello "$work/input.txt" >/dev/null
  "$java" -XX:AOTMode=create -XX:AOTConfiguration="$work/jdk.aotconf" -XX:AOTCache="$work/jdk.aot" ${opts[jdk]} \
    Hello >/dev/null
  "$java" -XX:AOTMode=record -XX:AOTConfiguration="$work/dropin.aotconf" $boot $dropin $engine Hello \
    "$work/input.txt" >/dev/null
  "$java" -XX:AOTMode=create -XX:AOTConfiguration="$work/dropin.aotconf" -XX:AOTCache="$work/dropin.aot" $boot \
    Hello >/dev/null
fi

# Each contender once, to check it runs and to count the classes it loads.
declare -A classes
for name in "${names[@]}"; do
  out=$("$java" -Xlog:class+load:file="$work/$name.classes" ${opts[$name]} Hello "$work/input.txt" 2>"$work/$name.err") \
    || { echo "startup.sh: $name failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
  [ "$out" = "read 16 chars" ] || { echo "startup.sh: $name printed '$out'" >&2; exit 1; }
  classes[$name]=$(grep -c . "$work/$name.classes")
done

# One timed run: appends "wall cpu" (seconds) to $work/$name.times. bash's time reports the child's rusage.
run() {
  local name=$1 t
  t=$( { TIMEFORMAT='%R %U %S'; time "$java" ${opts[$name]} Hello "$work/input.txt" >/dev/null 2>&1; } 2>&1 )
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' <<< "$t" >> "$work/$name.times"
}

echo "start-up + exit, hello world reading one file: $rounds rounds, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $("$java" -version 2>&1 | head -1); kernel $(uname -r)"
for ((round = 0; round < rounds; round++)); do
  if ((round % 2 == 0)); then order=("${names[@]}"); else order=(); for ((i = ${#names[@]} - 1; i >= 0; i--)); do order+=("${names[$i]}"); done; fi
  for name in "${order[@]}"; do run "$name"; done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
jdk_wall=$(cut -d' ' -f1 "$work/jdk.times" | median)
jdk_cpu=$(cut -d' ' -f2 "$work/jdk.times" | median)
printf '%-15s %9s %9s %11s %11s %8s\n' contender "wall ms" "cpu ms" "wall - jdk" "cpu - jdk" classes
for name in "${names[@]}"; do
  wall=$(cut -d' ' -f1 "$work/$name.times" | median)
  cpu=$(cut -d' ' -f2 "$work/$name.times" | median)
  awk -v n="$name" -v w="$wall" -v c="$cpu" -v jw="$jdk_wall" -v jc="$jdk_cpu" -v k="${classes[$name]}" \
    'BEGIN { printf "%-15s %9.0f %9.0f %+11.0f %+11.0f %8d\n", n, w * 1000, c * 1000, (w - jw) * 1000, (c - jc) * 1000, k }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
