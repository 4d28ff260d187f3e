#!/usr/bin/env bash
# Resident memory of a Tarn server under a mixed load (issue 14: "reasonable memory by default").
# Starts one server with the JVM flags of TARN_JAVA_OPTS (none: the JVM's defaults, a quarter of the
# machine's RAM as heap) and Native Memory Tracking, then runs two `tarn bench --op mixed` drivers at
# once for --duration: 4 KiB objects (32 clients) and 256 KiB objects (4 clients), each 60% GET, 30% PUT
# of new keys, 10% LIST. Every 10 s it samples the server's RSS (VmRSS) and peak RSS (VmHWM); at the end
# it prints the NMT summary (heap, metaspace, threads, direct buffers under "Other"; RocksDB's own
# mallocs are not tracked: they are RSS minus NMT's committed total) and both benches' tables.
# Usage: bench/memory.sh [--duration 10m] [--jar JAR] [--tmp DIR]
#        TARN_JAVA_OPTS='-Xmx512m -XX:MaxDirectMemorySize=256m' bench/memory.sh --duration 3m
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/tarn.jar"
DURATION=10m
TMP=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=${2:?}; shift 2 ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --tmp) TMP=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "memory: unknown option '$1'" >&2; exit 2 ;;
  esac
done
BENCH=memory
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" # die, WORK, PIDS and cleanup, ports, start_server, field, median
bench_credentials MEM

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
EXTRA_JAVA_OPTS=-XX:NativeMemoryTracking=summary start_server server "$WORK/data" "$PORT"
SERVER=$SERVER_PID
rss() { awk -v k="$1" '$1 == k":" {printf "%.0f", $2 / 1024}' "/proc/$SERVER/status"; }
echo "server pid $SERVER, JVM flags: ${TARN_JAVA_OPTS:-(defaults)}; started: RSS $(rss VmRSS) MiB"

bench() { # name size clients
  java -Xmx512m -jar "$JAR" bench --endpoint "$URL" --bucket "mem-$1" --op mixed --size "$2" --clients "$3" \
    --objects 2000 --duration "$DURATION" --warmup 5s >"$WORK/bench-$1.txt" 2>&1
}
bench small 4KiB 32 &
B1=$!
bench large 256KiB 4 &
B2=$!
PIDS+=("$B1" "$B2")
start=$(date +%s)
while kill -0 "$B1" 2>/dev/null || kill -0 "$B2" 2>/dev/null; do
  sleep 10
  echo "t=$(( $(date +%s) - start ))s RSS $(rss VmRSS) MiB, peak $(rss VmHWM) MiB"
done
wait "$B1" || echo "memory: the 4 KiB bench reported errors"
wait "$B2" || echo "memory: the 256 KiB bench reported errors"
echo "end: RSS $(rss VmRSS) MiB, peak RSS $(rss VmHWM) MiB"
jcmd "$SERVER" GC.heap_info | sed 's/^/  /'
jcmd "$SERVER" VM.native_memory summary | grep -E "Total|Java Heap|Class|Thread|Code|GC|Internal|Other|Metaspace" \
  | grep -v "^ *$" | head -20 | sed 's/^/  /'
echo "-- 4 KiB mixed:"; cat "$WORK/bench-small.txt"
echo "-- 256 KiB mixed:"; cat "$WORK/bench-large.txt"
echo "data directory: $(du -sh "$WORK/data" | cut -f1)"
