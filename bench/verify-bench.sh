#!/usr/bin/env bash
# What read verification and the background scrub cost (issue 11). In one run on this machine, with the
# same driver and the same data directory (blob files only: the server runs with --inline-threshold 0,
# so 4 KiB objects are files too):
#   1. 4 KiB GET (--objects 1000, 64 clients) and 64 MiB GET (--objects 4, 4 clients), read verification
#      on vs off (--verify-reads=true|false), both without background scrub: targets <= 3 % and <= 10 %;
#   2. 4 KiB GET with the background scrub running at its default rate (--scrub-rate default, passes back
#      to back: --scrub-interval 0, so it reads during the whole measurement) vs no scrub, verification on
#      in both: target <= 10 %.
# Each configuration is a fresh server on the same data (so JIT warm-up applies equally: every run has
# its own --warmup); the rounds alternate in ABBA order, and the ratios use the medians of --rounds runs.
# Usage: bench/verify-bench.sh [--duration 8s] [--warmup 8s] [--rounds 3] [--jar JAR] [--tmp DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/tarn.jar"
DURATION=8s
WARMUP=8s
ROUNDS=3
TMP=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --tmp) TMP=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "verify-bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
die() { echo "verify-bench: $*" >&2; exit 2; }
[ -f "$JAR" ] || die "no $JAR: build it first (mvn -o -q package -DskipTests)"

WORK=$(mktemp -d "$TMP/tarn-verify-bench.XXXXXX")
TARN_PID=
cleanup() {
  [ -n "$TARN_PID" ] && kill "$TARN_PID" 2>/dev/null && wait "$TARN_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p; for _ in $(seq 100); do p=$((20000 + RANDOM % 40000)); port_open "$p" || { echo "$p"; return; }; done; die "no free port"; }

export TARN_ACCESS_KEY="VB$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F)"
export TARN_SECRET_KEY=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')

start() { # server options...: a fresh server on the shared data directory
  local port; port=$(free_port)
  export TARN_ENDPOINT="http://127.0.0.1:$port"
  TARN_ROOT_ACCESS_KEY=$TARN_ACCESS_KEY TARN_ROOT_SECRET_KEY=$TARN_SECRET_KEY \
    java ${TARN_JAVA_OPTS:-} -jar "$JAR" server --data "$WORK/data" --address "127.0.0.1:$port" \
    --inline-threshold 0 "$@" >>"$WORK/tarn.log" 2>&1 &
  TARN_PID=$!
  for _ in $(seq 600); do port_open "$port" && return 0; sleep 0.1; done
  tail -20 "$WORK/tarn.log" >&2; die "the server did not start"
}
stop() { kill -TERM "$TARN_PID"; wait "$TARN_PID" 2>/dev/null || true; TARN_PID=; }

get() { # size objects clients: one GET run, its JSON line
  java -jar "$JAR" bench --json --endpoint "$TARN_ENDPOINT" --op get --size "$1" --objects "$2" --clients "$3" \
    --duration "$DURATION" --warmup "$WARMUP"
}
field() { sed -n "s/.*\"$2\":\([-0-9.e]*\).*/\1/p" <<<"$1" | head -n 1; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
errors() { local e; e=$(field "$1" errors); [ "${e:-0}" = 0 ] || die "a run had $e failed requests: $1"; }

echo "== populating: 1000 x 4 KiB and 4 x 64 MiB blob files"
start --scrub-rate 0
java -jar "$JAR" bench --endpoint "$TARN_ENDPOINT" --op get --size 4KiB --objects 1000 --clients 8 --requests 1 >/dev/null
java -jar "$JAR" bench --endpoint "$TARN_ENDPOINT" --op get --size 64MiB --objects 4 --clients 4 --requests 1 >/dev/null
stop

ON_SMALL=(); OFF_SMALL=(); ON_BIG=(); OFF_BIG=(); SCRUB_SMALL=(); QUIET_SMALL=()
verify_run() { # true|false
  start --verify-reads="$1" --scrub-rate 0
  echo "== round $r/$ROUNDS: verification $1: GET 4KiB x64"; local s; s=$(get 4KiB 1000 64); echo "$s"; errors "$s"
  echo "== round $r/$ROUNDS: verification $1: GET 64MiB x4"; local b; b=$(get 64MiB 4 4); echo "$b"; errors "$b"
  stop
  if [ "$1" = true ]; then ON_SMALL+=("$(field "$s" opsPerSec)"); ON_BIG+=("$(field "$b" mibPerSec)")
  else OFF_SMALL+=("$(field "$s" opsPerSec)"); OFF_BIG+=("$(field "$b" mibPerSec)"); fi
}
scrub_run() { # on|off
  if [ "$1" = on ]; then start --scrub-interval 0; else start --scrub-rate 0; fi
  echo "== round $r/$ROUNDS: background scrub $1: GET 4KiB x64"; local s; s=$(get 4KiB 1000 64); echo "$s"; errors "$s"
  stop
  if [ "$1" = on ]; then SCRUB_SMALL+=("$(field "$s" opsPerSec)"); else QUIET_SMALL+=("$(field "$s" opsPerSec)"); fi
}
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then verify_run true; verify_run false; else verify_run false; verify_run true; fi
done
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then scrub_run on; scrub_run off; else scrub_run off; scrub_run on; fi
done
PASSES=$(grep -c "scrub pass done" "$WORK/tarn.log" || true)

m() { printf '%s\n' "$@" | median; }
report() { # name on off limit%: cost = 1 - on/off
  awk -v name="$1" -v on="$2" -v off="$3" -v limit="$4" 'BEGIN {
    cost = 100 * (1 - on / off); ok = cost <= limit
    printf "%-44s %12.1f %12.1f   cost %5.1f %% (target <= %d %%)  %s\n", name, on, off, cost, limit, ok ? "PASS" : "FAIL"
    exit ok ? 0 : 1 }'
}
echo
echo "medians of $ROUNDS rounds ($DURATION each after $WARMUP warm-up)    with      without"
FAIL=0
report "4 KiB GET ops/s, verification on vs off" "$(m "${ON_SMALL[@]}")" "$(m "${OFF_SMALL[@]}")" 3 || FAIL=1
report "64 MiB GET MiB/s, verification on vs off" "$(m "${ON_BIG[@]}")" "$(m "${OFF_BIG[@]}")" 10 || FAIL=1
report "4 KiB GET ops/s, scrub at default rate vs none" "$(m "${SCRUB_SMALL[@]}")" "$(m "${QUIET_SMALL[@]}")" 10 || FAIL=1
echo "every round: 4KiB on ${ON_SMALL[*]} / off ${OFF_SMALL[*]}; 64MiB on ${ON_BIG[*]} / off ${OFF_BIG[*]};" \
  "scrub ${SCRUB_SMALL[*]} / none ${QUIET_SMALL[*]}; complete scrub passes during the scrub runs: $PASSES"
exit $FAIL
