#!/usr/bin/env bash
# Real programs under the JDK's file system provider and under io-engine's drop-in: javac compiling
# commons-lang3's sources, Lucene 10 indexing and searching (MMapDirectory and NIOFSDirectory), H2 2.x in its file
# mode, the JDK's zip file system, and Files walking / reading / copying a tree (scripts/real-programs/RealPrograms.java).
# Each runs in a JVM of its own, the contenders alternating (their order rotates each round), ROUNDS rounds. The
# output of each run (a SHA-256 of what the program produced) must equal the JDK's; the table gives medians of the
# process's wall time, its CPU time (user + system) and the workload's own time, and io-engine/JDK ratios.
#
#   scripts/real-programs.sh [ROUNDS=3]
#   ENGINES="io_uring io_uring:engine aio:engine threads:engine"  the drop-in's contenders: an ioengine.engine value,
#       as shipped (buffered blocking channels are the JDK's, O_DIRECT and async ones io-engine's), or with ":engine" under
#       -Dioengine.fileChannels=engine (every channel io-engine's: its outputs must be identical too)
#   PROGRAMS="javac lucene-mmap lucene-niofs h2 zipfs files"
#   IO_ENGINE_REAL_CACHE=~/.cache/io-engine-real  where the JARs (from Maven Central, through mvn) and sources go
#
# Needs the library built (./build package, or ./build mvn compile). The machine should be quiet: the figures
# are ratios of medians, each pair measured side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/find-jdk.sh
rounds=${1:-3}
engines=${ENGINES:-io_uring io_uring:engine aio:engine threads:engine}
programs=${PROGRAMS:-javac lucene-mmap lucene-niofs h2 zipfs files}
cache=${IO_ENGINE_REAL_CACHE:-$HOME/.cache/io-engine-real}
artifacts=(
  org.apache.commons:commons-lang3:3.17.0:jar:sources
  org.apache.lucene:lucene-core:10.3.2
  com.h2database:h2:2.5.252
)

classes=
for d in src/target/classes target/classes; do [ -d "$d" ] && { classes=$d; break; }; done
[ -n "$classes" ] || { echo "build the library first: ./build package" >&2; exit 2; }
classes=$(cd "$classes" && pwd)

mkdir -p "$cache/jars"
for a in "${artifacts[@]}"; do
  IFS=: read -r group artifact version _ classifier <<< "$a"
  jar="$cache/jars/$artifact-$version${classifier:+-$classifier}.jar"
  if [ ! -s "$jar" ]; then
    echo "fetching $a" >&2
    mvn -B -q -ntp dependency:copy -Dartifact="$a" -DoutputDirectory="$cache/jars" -Dmdep.useBaseVersion=true >&2
  fi
done
sources="$cache/commons-lang3-src"
if [ ! -d "$sources" ]; then
  mkdir -p "$sources"
  (cd "$sources" && "$JAVA_HOME/bin/jar" xf "$cache/jars/commons-lang3-3.17.0-sources.jar")
fi
cp_jars="$cache/jars/lucene-core-10.3.2.jar:$cache/jars/h2-2.5.252.jar"
driver="$cache/driver"
mkdir -p "$driver"
"$JAVA_HOME/bin/javac" -nowarn -cp "$cp_jars" -d "$driver" scripts/real-programs/RealPrograms.java

results=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$work" "$results"' EXIT
contenders=(jdk $engines)

run() { # contender program -> appends "contender program wall cpu workload-ms hash" to $results
  local who=$1 program=$2 opts=() timing out
  if [ "$who" != jdk ]; then
    opts=(--enable-native-access=ALL-UNNAMED -Dioengine.engine="${who%%:*}"
          -Djava.nio.file.spi.DefaultFileSystemProvider=dev.ioengine.fs.IoEngineFileSystemProvider)
    [[ "$who" == *:engine ]] && opts+=(-Dioengine.fileChannels=engine)
  fi
  local input=
  [ "$program" = javac ] && input=$sources
  timing="$work/time"
  if ! out=$(/usr/bin/time -f "%e %U %S" -o "$timing" "$JAVA_HOME/bin/java" "${opts[@]}" \
        -cp "$driver:$cp_jars:$classes" RealPrograms "$program" "$work/run" $input 2> "$work/stderr"); then
    echo "$program failed under $who:" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
  read -r wall user sys < "$timing"
  read -r hash millis <<< "$out"
  echo "$who $program $wall $(echo "$user + $sys" | bc) $millis $hash" >> "$results"
}

for ((r = 0; r < rounds; r++)); do
  for program in $programs; do
    n=${#contenders[@]}
    for ((i = 0; i < n; i++)); do
      run "${contenders[$(((i + r) % n))]}" "$program"
    done
  done
  echo "round $((r + 1)) of $rounds done" >&2
done

python3 - "$results" "$engines" <<'EOF'
import sys, statistics, collections
rows = [l.split() for l in open(sys.argv[1])]
engines = sys.argv[2].split()
by = collections.defaultdict(list)
for who, program, wall, cpu, ms, h in rows:
    by[(who, program)].append((float(wall), float(cpu), float(ms), h))
programs = list(dict.fromkeys(r[1] for r in rows))
print("%-13s %-16s %9s %9s %9s %8s %8s %8s  %s" % ("program", "contender", "wall s", "cpu s", "work ms",
      "wall x", "cpu x", "work x", "output"))
bad = 0
for p in programs:
    jdk = by[("jdk", p)]
    jw, jc, jm = (statistics.median(v[i] for v in jdk) for i in range(3))
    hashes = {v[3] for v in jdk}
    print("%-13s %-16s %9.2f %9.2f %9.0f %8s %8s %8s  %s" % (p, "jdk", jw, jc, jm, "", "", "",
          "reference" if len(hashes) == 1 else "JDK RUNS DIFFER"))
    for e in engines:
        ours = by[(e, p)]
        w, c, m = (statistics.median(v[i] for v in ours) for i in range(3))
        same = all(v[3] in hashes for v in ours) and len(hashes) == 1
        bad += not same
        print("%-13s %-16s %9.2f %9.2f %9.0f %8.2f %8.2f %8.2f  %s" % (p, e, w, c, m, w / jw, c / jc, m / jm,
              "identical" if same else "DIFFERS"))
sys.exit(1 if bad else 0)
EOF
