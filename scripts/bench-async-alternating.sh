#!/usr/bin/env bash
# The default AsynchronousFileChannel's job (CompletionHandler chaining, 32 reads in flight, 4 KiB random, O_DIRECT)
# with each contender in its own JVM: one `io-engine bench --compare` invocation per contender, the order rotated
# per round. Prints one line per run: round, label, then the tool's row (IOPS, MiB/s, mean, p99, CPU/IO).
#   [BASE=/path/to/another/checkout] scripts/bench-async-alternating.sh [ROUNDS] [RUNTIME] [FILE]
# BASE adds that checkout's io-engine-async as "base-async" (for a before/after comparison).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-3}"
runtime="${2:-5}"
file="${3:-/var/tmp/ioe-bench-1g.dat}"
base="${BASE:-}"
job=(--rw=randread --bs=4k --iodepth=32 --direct --size=1g --filename="$file")
labels=(new-async jdk-async fio-io_uring new-io_uring)
[ -n "$base" ] && labels+=(base-async)
run() {
  case "$1" in
    new-async) "$root/io-engine" bench --compare --runtime="$runtime" --contenders=io-engine-async "${job[@]}" ;;
    base-async) "$base/io-engine" bench --compare --runtime="$runtime" --contenders=io-engine-async "${job[@]}" ;;
    jdk-async) "$root/io-engine" bench --compare --runtime="$runtime" --contenders=jdk-async "${job[@]}" ;;
    fio-io_uring) "$root/io-engine" bench --compare --runtime="$runtime" --contenders=fio-io_uring "${job[@]}" ;;
    new-io_uring) "$root/io-engine" bench --compare --runtime="$runtime" --contenders=io_uring "${job[@]}" ;;
  esac 2>/dev/null | awk -v l="$1" -v r="$2" '/^  [a-z]/ && !/contender/ {print r, l, $0}'
}
n=${#labels[@]}
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < n; i++)); do
    run "${labels[$(( (i + r) % n ))]}" "$r"
  done
done
