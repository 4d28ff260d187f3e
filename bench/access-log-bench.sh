#!/usr/bin/env bash
# The access log's cost (issue 14): 4 KiB GET and PUT ops/s with the access log on (to a file) and off.
#   1. starts two Tarn servers (server/target/tarn.jar) on free 127.0.0.1 ports, each on a fresh temp
#      data dir: one with --access-log off, one with --access-log FILE (text, rotation at its default);
#   2. runs `tarn bench --op get` and `--op put` (4 KiB, --clients, --duration) against each, in
#      interleaved rounds (off, on, off, on, ...) so that drift of a shared machine hits both alike; only
#      one server is under load at a time;
#   3. prints every round's ops/s and the server's CPU time per request (from /proc/PID/stat), the medians,
#      and the on/off ratios. On a machine shared with other work, ops/s swings with the neighbours' load;
#      CPU per request hardly does, and off/on of it is the throughput ratio a CPU-bound server would see.
# Usage: bench/access-log-bench.sh [--rounds 5] [--duration 10s] [--clients 16] [--format text|json]
#                                  [--extra "SERVER OPTIONS"] [--jar JAR] [--tmp DIR]
# --extra is added to both servers (e.g. the metrics options, to measure all of #14 at once).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/tarn.jar"
ROUNDS=5
DURATION=10s
CLIENTS=16
FORMAT=text
EXTRA=
TMP=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --duration) DURATION=${2:?}; shift 2 ;;
    --clients) CLIENTS=${2:?}; shift 2 ;;
    --format) FORMAT=${2:?}; shift 2 ;;
    --extra) EXTRA=${2:?}; shift 2 ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --tmp) TMP=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "access-log-bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
BENCH=access-log-bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" # die, WORK, PIDS and cleanup, ports, start_server, median, credentials
bench_credentials AL

declare -A PORT SPID
start() { # name, access log option value
  PORT[$1]=$(free_port)
  # shellcheck disable=SC2086 # EXTRA is a list of options
  start_server "$1" "$WORK/$1-data" "${PORT[$1]}" --access-log "$2" --access-log-format "$FORMAT" $EXTRA
  SPID[$1]=$SERVER_PID
}
start off off
start on "$WORK/access.log"
OFF_PORT=${PORT[off]}
ON_PORT=${PORT[on]}
echo "== access log off: 127.0.0.1:$OFF_PORT; on: 127.0.0.1:$ON_PORT ($FORMAT, $WORK/access.log)"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in clock ticks
TICK=$(getconf CLK_TCK)
run() { # name port op; prints "ops/s cpu-microseconds-per-op"
  local pid before json ops secs after
  pid=${SPID[$1]}
  before=$(cpu_ticks "$pid")
  json=$(java -jar "$JAR" bench --endpoint "http://127.0.0.1:$2" --op "$3" --size 4KiB --clients "$CLIENTS" \
    --duration "$DURATION" --warmup 2s --json 2>/dev/null)
  after=$(cpu_ticks "$pid")
  ops=$(echo "$json" | sed -n 's/.*"results":\[{"op":"[A-Z]*","ops":\([0-9]*\).*/\1/p')
  secs=$(echo "$json" | sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p')
  [ -n "$ops" ] && [ -n "$secs" ] || return 0
  # The CPU of the whole run (warm-up, populate included) over the measured requests: an upper bound,
  # the same for both servers.
  awk -v o="$ops" -v s="$secs" -v t=$((after - before)) -v hz="$TICK" 'BEGIN { printf "%.1f %.1f\n", o / s, t / hz * 1e6 / o }'
}

for op in get put; do
  : >"$WORK/$op.off"; : >"$WORK/$op.on"; : >"$WORK/$op.off.cpu"; : >"$WORK/$op.on.cpu"
done
for round in $(seq "$ROUNDS"); do
  for op in get put; do
    off=$(run off "$OFF_PORT" "$op"); on=$(run on "$ON_PORT" "$op")
    if [ -z "$off" ] || [ -z "$on" ]; then die "round $round $op: no result"; fi
    echo "${off% *}" >>"$WORK/$op.off"; echo "${on% *}" >>"$WORK/$op.on"
    echo "${off#* }" >>"$WORK/$op.off.cpu"; echo "${on#* }" >>"$WORK/$op.on.cpu"
    printf 'round %d  %-3s  off %10.1f ops/s %7.1f us CPU/op   on %10.1f ops/s %7.1f us CPU/op\n' "$round" "$op" \
      "${off% *}" "${off#* }" "${on% *}" "${on#* }"
  done
done
echo "== medians of $ROUNDS rounds (4 KiB, $CLIENTS clients, $DURATION each)"
for op in get put; do
  off=$(median <"$WORK/$op.off"); on=$(median <"$WORK/$op.on")
  offc=$(median <"$WORK/$op.off.cpu"); onc=$(median <"$WORK/$op.on.cpu")
  awk -v op="$op" -v off="$off" -v on="$on" -v offc="$offc" -v onc="$onc" \
    'BEGIN { printf "%-3s  ops/s off %10.1f on %10.1f on/off %.3f   server CPU/op off %.1f us on %.1f us off/on %.3f\n", op, off, on, on / off, offc, onc, offc / onc }'
done
echo "== access log: $(wc -l <"$WORK/access.log") lines, $(du -h "$WORK/access.log" | cut -f1)"
grep -h "dropped\|could not be written" "$WORK/on.log" || echo "== no line dropped"
