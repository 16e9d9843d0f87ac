#!/usr/bin/env bash
# Every figure of BENCHMARKS.md's "One run" section, one after another on a quiet machine, each script's output
# kept in OUT (default /tmp/io-engine-measure-DATE). Builds the library and the tool first. About 40 minutes on 2 vCPUs.
#   scripts/measure-all.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/io-engine-measure-$(date +%Y%m%d-%H%M)}"
mkdir -p "$out"
./build package -q -DskipTests >/dev/null
step() { # name, command...
  local name="$1"; shift
  echo "== $name ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)): $*" | tee -a "$out/steps.log" >&2
  "$@" > "$out/$name.txt" 2>&1 || echo "   $name failed: see $out/$name.txt" | tee -a "$out/steps.log" >&2
}
step startup scripts/startup.sh -n 11
step jdk-parity env REPS=3 SECONDS_PER_RUN=2 STARTS=10 scripts/jdk-parity.sh target/io-engine.jar
step async-alternating scripts/bench-async-alternating.sh 3 5
step transfers scripts/transfer-bench.sh 256 3
step real-programs scripts/real-programs.sh 3
echo "results in $out" >&2
