#!/usr/bin/env bash
# Runs every job of the performance targets (issue 4) with `io-engine bench --compare`, one after another, and
# writes for each a Markdown table, the JSON result and an SVG plot to OUT_DIR (default docs/bench).
#   scripts/bench-targets.sh [FILE] [ROUNDS] [RUNTIME]
# FILE: a 1 GiB file on the disk under test (laid out if missing); a second, 512 MiB file next to it is read
# through the page cache. Needs fio on the PATH for the reference rows (apt-get install fio). Every Java contender
# runs each round in a fresh JVM of its own (io-engine bench --compare does that), so the figures of one contender
# never carry another's engines, threads or garbage. FILE may be a block device: read jobs never write it, but the
# write jobs below do.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
file="${1:-/var/tmp/ioe-bench-1g.dat}"
rounds="${2:-2}"
runtime="${3:-5}"
out="${OUT_DIR:-$root/docs/bench}"
cached="${file%.dat}-cached-512m.dat"
mkdir -p "$out"
bench() {
  local name="$1"; shift
  echo "== $name: $*" >&2
  "$root/io-engine" bench --compare="$rounds" --runtime="$runtime" --output-format=json "$@" > "$out/$name.json"
  "$root/io-engine" plot --from="$out/$name.json" --out="$out/$name.svg"
}
all=io_uring,aio,threads,jdk-async,jdk-filechannel,io-engine-async,io-engine-async-engine-thread,io-engine-filechannel,\
fio-io_uring,fio-libaio
bench randread-qd32-direct --contenders=$all --rw=randread --bs=4k --iodepth=32 --direct --size=1g --filename="$file"
bench randwrite-qd32-direct --contenders=$all --rw=randwrite --bs=4k --iodepth=32 --direct --size=1g \
  --filename="$file"
# The page-cache jobs: the file is read once first, so that every contender finds it cached.
[ -f "$cached" ] || head -c 512M /dev/urandom > "$cached"
cat "$cached" > /dev/null
bench randread-qd32-cached \
  --contenders=io_uring,jdk-async,io-engine-async,io-engine-async-engine-thread,jdk-filechannel,io-engine-filechannel,fio-io_uring \
  --rw=randread --bs=4k --iodepth=32 --size=512m --filename="$cached"
bench randread-qd1-cached-filechannel --contenders=jdk-filechannel,io-engine-filechannel,io_uring,fio-io_uring \
  --rw=randread --bs=4k --iodepth=1 --size=512m --filename="$cached"
bench randread-qd1-direct \
  --contenders=io_uring,aio,jdk-async,io-engine-async,io-engine-async-engine-thread,jdk-filechannel,io-engine-filechannel,fio-io_uring,fio-libaio \
  --rw=randread --bs=4k --iodepth=1 --direct --size=1g --filename="$file"
bench read-128k-qd8-direct --contenders=io_uring,aio,jdk-async,io-engine-async,io-engine-async-engine-thread,fio-io_uring,fio-libaio \
  --rw=read --bs=128k --iodepth=8 --direct --size=1g --filename="$file"
bench randread-vthreads-10000-direct --vthreads=10000 \
  --contenders=io_uring,fio-io_uring,jdk-filechannel-vthreads,io-engine-filechannel-vthreads \
  --rw=randread --bs=4k --iodepth=32 --direct --size=1g --filename="$file"
echo "results in $out" >&2
