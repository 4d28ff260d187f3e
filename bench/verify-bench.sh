#!/usr/bin/env bash
# What read verification and the background scrub cost (issue 11), in one run on this machine with the
# same driver. Three servers run side by side, each on its own copy of the same data set (blob files
# only: --inline-threshold 0, so 4 KiB objects are files too), all warmed up:
#   ON    --verify-reads=true,  no background scrub
#   OFF   --verify-reads=false, no background scrub
#   SCRUB --verify-reads=true,  background scrub at its default --scrub-rate, passes back to back
#         (--scrub-interval 0: it reads during every measurement; a pass over the 260 MiB takes 8 s)
# Then --rounds rounds, each measuring 4 KiB GET (64 clients, 1000 objects) on ON, OFF and SCRUB and
# 64 MiB GET (4 clients, 4 objects) on ON and OFF, one short run after the other, the order rotating
# per round. Interleaving short runs is what makes a small difference visible on a shared machine,
# where throughput moves by tens of percent within a minute: whatever else runs hits every
# configuration alike. Prints the medians and each cost against its target: verification <= 3 % of
# 4 KiB GET and <= 10 % of 64 MiB GET, the scrub <= 10 % of 4 KiB GET; exit 1 if one misses.
# Usage: bench/verify-bench.sh [--rounds 7] [--duration 4s] [--warmup 10s] [--jar JAR] [--tmp DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/tarn.jar"
DURATION=4s
WARMUP=10s
ROUNDS=7
TMP=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --tmp) TMP=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "verify-bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
BENCH=verify-bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" # die, WORK, PIDS and cleanup, ports, start_server, field, median
bench_credentials VB

declare -A URL
start() { # name server-options...
  local name=$1 port; shift; port=$(free_port)
  URL[$name]="http://127.0.0.1:$port"
  start_server "$name" "$WORK/$name" "$port" --inline-threshold 0 "$@"
}
bench() { # name size objects clients duration warmup: one GET run's JSON line
  local r
  r=$(java -jar "$JAR" bench --json --endpoint "${URL[$1]}" --op get --size "$2" --objects "$3" --clients "$4" \
    --duration "$5" --warmup "$6")
  [ "$(field "$r" errors)" = 0 ] || die "a run against $1 had failed requests: $r"
  echo "$r"
}

start ON --scrub-rate 0
start OFF --verify-reads=false --scrub-rate 0
# Its first pass starts at once (no pass on record), and the next a second after one ends.
start SCRUB --scrub-interval 0
echo "== populating and warming up each server: 1000 x 4 KiB and 4 x 64 MiB, $WARMUP of each GET (JIT)"
for s in ON OFF SCRUB; do
  bench "$s" 4KiB 1000 64 "$WARMUP" 0s >/dev/null
  # SCRUB holds the 64 MiB objects too: 256 MiB keep a pass at 32 MiB/s reading for 8 s.
  bench "$s" 64MiB 4 4 "$WARMUP" 0s >/dev/null
done

declare -A SMALL BIG
order=(ON OFF SCRUB)
for r in $(seq "$ROUNDS"); do
  for s in "${order[@]}"; do
    R=$(bench "$s" 4KiB 1000 64 "$DURATION" 1s); SMALL[$s]+="$(field "$R" opsPerSec) "
  done
  for s in "${order[@]}"; do
    [ "$s" = SCRUB ] && continue
    R=$(bench "$s" 64MiB 4 4 "$DURATION" 1s); BIG[$s]+="$(field "$R" mibPerSec) "
  done
  echo "== round $r/$ROUNDS (${order[*]}) so far: 4KiB ops/s ON ${SMALL[ON]}| OFF ${SMALL[OFF]}| SCRUB ${SMALL[SCRUB]}|" \
    "64MiB MiB/s ON ${BIG[ON]}| OFF ${BIG[OFF]}"
  order=("${order[@]:1}" "${order[0]}")
done
PASSES=$(grep -c "scrub pass done" "$WORK/SCRUB.log" || true)

m() { tr ' ' '\n' <<<"$1" | grep . | median; }
report() { # name with without limit%: cost = 1 - with/without
  awk -v name="$1" -v on="$2" -v off="$3" -v limit="$4" 'BEGIN {
    cost = 100 * (1 - on / off); ok = cost <= limit
    printf "%-46s %10.1f %10.1f   cost %5.1f %% (target <= %d %%)  %s\n", name, on, off, cost, limit, ok ? "PASS" : "FAIL"
    exit ok ? 0 : 1 }'
}
echo
echo "medians of $ROUNDS interleaved rounds ($DURATION each)          with    without"
FAIL=0
report "4 KiB GET ops/s, verification on vs off" "$(m "${SMALL[ON]}")" "$(m "${SMALL[OFF]}")" 3 || FAIL=1
report "64 MiB GET MiB/s, verification on vs off" "$(m "${BIG[ON]}")" "$(m "${BIG[OFF]}")" 10 || FAIL=1
report "4 KiB GET ops/s, scrub at default rate vs none" "$(m "${SMALL[SCRUB]}")" "$(m "${SMALL[ON]}")" 10 || FAIL=1
echo "every round: 4KiB ON ${SMALL[ON]}/ OFF ${SMALL[OFF]}/ SCRUB ${SMALL[SCRUB]}; 64MiB ON ${BIG[ON]}/ OFF ${BIG[OFF]}"
echo "complete scrub passes: $PASSES ($(grep "scrub pass done" "$WORK/SCRUB.log" | tail -1 | sed 's/.*scrub pass done/done/'))"
exit $FAIL
