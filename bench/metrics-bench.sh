#!/usr/bin/env bash
# What collecting metrics costs (issue 14, docs/ops/metrics.md), in one run on this machine with the
# same driver. Two servers run side by side on the same build, each with its own data directory:
#   ON   metrics collected (the default) and scraped every --scrape-interval by a background curl, as a
#        Prometheus would (every 15 s is usual; 5 s by default here, to be harsher)
#   OFF  --metrics false: no exchange listener, no fsync or webhook hooks, no /_tarn/metrics
# Then --rounds rounds, each measuring 4 KiB GET (64 clients, 1000 objects) and 4 KiB PUT (64 clients)
# on ON and OFF, one short run after the other, the order alternating per round: interleaving short
# runs is what makes a few percent visible on a shared machine (see bench/README.md, verify-bench.sh).
# Prints the medians and ON/OFF against the target (>= 97 %); exit 1 if one misses.
# Pass --server-opts '...' to add options to both servers (e.g. the access log's, to measure both), and
# --off-opts '' to run OFF with metrics on too: an A/A run, which shows how far two servers of the same
# build differ on this machine (on a loaded 2-core machine, by more than the 3 % being measured).
# --on-opts '...' adds options to ON only: all of issue 14's per-request work against none of it is
#   --on-opts "--access-log /tmp/x/access.log" (OFF: no metrics, access log off by default).
# Usage: bench/metrics-bench.sh [--rounds 7] [--duration 4s] [--warmup 10s] [--scrape-interval 5]
#        [--server-opts OPTS] [--on-opts OPTS] [--off-opts OPTS] [--off-first] [--jar JAR] [--tmp DIR]
# --off-first starts OFF before ON and measures it first in the first round (a check for a bias of
# position: which JVM started first, which ran first).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/tarn.jar"
DURATION=4s
WARMUP=10s
ROUNDS=7
SCRAPE=5
SERVER_OPTS=""
OFF_OPTS="--metrics false"
ON_OPTS=""
OFF_FIRST=0
TMP=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --scrape-interval) SCRAPE=${2:?}; shift 2 ;;
    --server-opts) SERVER_OPTS=${2?}; shift 2 ;;
    --off-opts) OFF_OPTS=${2?}; shift 2 ;;
    --on-opts) ON_OPTS=${2?}; shift 2 ;;
    --off-first) OFF_FIRST=1; shift ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --tmp) TMP=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "metrics-bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
BENCH=metrics-bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" # die, WORK, PIDS and cleanup, ports, start_server, field, median
bench_credentials MB

declare -A URL SPID
start() { # name server-options...
  local name=$1 port; shift; port=$(free_port)
  URL[$name]="http://127.0.0.1:$port"
  # shellcheck disable=SC2086 # SERVER_OPTS is a list of options
  start_server "$name" "$WORK/$name" "$port" --scrub-rate 0 $SERVER_OPTS "$@"
  SPID[$name]=$SERVER_PID
}
# The server's CPU time so far (user + system, clock ticks): CPU per request varies less than
# throughput on a shared machine, whose other work takes the cores away from both servers at random.
cpu_ticks() { awk '{print $14 + $15}' "/proc/${SPID[$1]}/stat"; }
bench() { # name op duration warmup: one run's JSON line
  local r extra=()
  [ "$2" = get ] && extra=(--objects 1000)
  r=$(java -jar "$JAR" bench --json --endpoint "${URL[$1]}" --op "$2" --size 4KiB --clients 64 "${extra[@]}" \
    --duration "$3" --warmup "$4")
  [ "$(field "$r" errors)" = 0 ] || die "a run against $1 had failed requests: $r"
  echo "$r"
}

# shellcheck disable=SC2086 # OFF_OPTS is a list of options
if [ "$OFF_FIRST" = 1 ]; then
  start OFF $OFF_OPTS
  start ON --metrics-public $ON_OPTS
else
  start ON --metrics-public $ON_OPTS
  start OFF $OFF_OPTS
fi
# A scraper, as Prometheus: the whole exposition each time, read and thrown away.
( while sleep "$SCRAPE"; do curl -sf -o /dev/null "${URL[ON]}/_tarn/metrics" || echo "scrape failed" >&2; done ) &
PIDS+=($!)
order=(ON OFF)
[ "$OFF_FIRST" = 1 ] && order=(OFF ON)
echo "== warming up each server: $WARMUP of 4 KiB GET and of 4 KiB PUT (JIT)"
for s in "${order[@]}"; do
  bench "$s" get "$WARMUP" 0s >/dev/null
  bench "$s" put "$WARMUP" 0s >/dev/null
done

declare -A GET PUT TICKS OPS
measure() { # name op: one run; its ops/s in LAST, its CPU ticks and requests added up
  local t0 R
  t0=$(cpu_ticks "$1")
  R=$(bench "$1" "$2" "$DURATION" 0s)
  TICKS[$1$2]=$(( ${TICKS[$1$2]:-0} + $(cpu_ticks "$1") - t0 ))
  OPS[$1$2]=$(( ${OPS[$1$2]:-0} + $(field "$R" ops) ))
  LAST=$(field "$R" opsPerSec)
}
for r in $(seq "$ROUNDS"); do
  for s in "${order[@]}"; do
    measure "$s" get; GET[$s]+="$LAST "
  done
  for s in "${order[@]}"; do
    measure "$s" put; PUT[$s]+="$LAST "
  done
  echo "== round $r/$ROUNDS (${order[*]}) so far: GET ON ${GET[ON]}| OFF ${GET[OFF]}| PUT ON ${PUT[ON]}| OFF ${PUT[OFF]}"
  order=("${order[@]:1}" "${order[0]}")
done
SCRAPED=$(curl -sf "${URL[ON]}/_tarn/metrics" | grep -c '^tarn_' || true)

m() { tr ' ' '\n' <<<"$1" | grep . | median; }
report() { # name with without target%: ratio = with/without
  awk -v name="$1" -v on="$2" -v off="$3" -v target="$4" 'BEGIN {
    ratio = 100 * on / off; ok = ratio >= target
    printf "%-34s %10.1f %10.1f   ratio %6.1f %% (target >= %d %%)  %s\n", name, on, off, ratio, target, ok ? "PASS" : "FAIL"
    exit ok ? 0 : 1 }'
}
echo
echo "medians of $ROUNDS interleaved rounds ($DURATION each)     metrics on    off"
FAIL=0
report "4 KiB GET ops/s" "$(m "${GET[ON]}")" "$(m "${GET[OFF]}")" 97 || FAIL=1
report "4 KiB PUT ops/s" "$(m "${PUT[ON]}")" "$(m "${PUT[OFF]}")" 97 || FAIL=1
HZ=$(getconf CLK_TCK)
for op in get put; do
  awk -v op="$op" -v hz="$HZ" -v ton="${TICKS[ON$op]}" -v non="${OPS[ON$op]}" -v toff="${TICKS[OFF$op]}" \
    -v noff="${OPS[OFF$op]}" 'BEGIN {
      on = 1e6 * ton / hz / non; off = 1e6 * toff / hz / noff
      printf "server CPU per 4 KiB %s: %.1f us with metrics, %.1f us without (%+.1f %%)\n", toupper(op), on, off, 100 * (on / off - 1) }'
done
echo "every round: GET ON ${GET[ON]}/ OFF ${GET[OFF]}; PUT ON ${PUT[ON]}/ OFF ${PUT[OFF]}"
echo "the last scrape of ON had $SCRAPED tarn_ samples"
exit $FAIL
