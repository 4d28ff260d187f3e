#!/usr/bin/env bash
# Issue 11, the long version: thousands of slowloris connections (a request head trickled one byte
# every --interval, spread over loopback source addresses, --per-address each) against a fresh Tarn,
# while `tarn bench` measures a normal client. Prints the normal client's latencies before and
# during the trickle, and when and how the trickling connections were closed. Tarn runs with its
# default limits unless --tarn-args says otherwise. See bench/README.md.
#
# Usage: bench/slow-clients.sh [--connections 5000] [--interval 10] [--per-address 400]
#                              [--duration 15s] [--clients 8] [--tarn-args "--request-head-timeout 30s"]
#                              [--jar server/target/tarn.jar] [--tmp DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/tarn.jar"
CONNECTIONS=5000
INTERVAL=10
PER_ADDRESS=400
DURATION=15s
CLIENTS=8
TARN_ARGS=""
TMP="${TMPDIR:-/tmp}"
DRIVER_OPTS=${BENCH_JAVA_OPTS:--Xmx1g}

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --connections) CONNECTIONS=${2:?}; shift 2 ;;
    --interval) INTERVAL=${2:?}; shift 2 ;;
    --per-address) PER_ADDRESS=${2:?}; shift 2 ;;
    --duration) DURATION=${2:?}; shift 2 ;;
    --clients) CLIENTS=${2:?}; shift 2 ;;
    --tarn-args) TARN_ARGS=${2?}; shift 2 ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --tmp) TMP=${2:?}; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "slow-clients: unknown option '$1'" >&2; usage 2 ;;
  esac
done
BENCH=slow-clients
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" # die, WORK, PIDS and cleanup, ports, start_server, credentials
command -v java >/dev/null || die "java not found"
command -v python3 >/dev/null || die "python3 not found"
# Both this driver and the server hold one descriptor per connection, plus their own.
need=$(( CONNECTIONS + 256 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" 2>/dev/null || die "ulimit -n is $(ulimit -n); $need needed for $CONNECTIONS connections (raise the hard limit)"
fi

bench_credentials BENCH
PORT=$(free_port)
mkdir -p "$WORK/data"
# shellcheck disable=SC2086 # TARN_ARGS is a list of options
start_server tarn "$WORK/data" "$PORT" $TARN_ARGS
echo "Tarn on 127.0.0.1:$PORT ($TARN_ARGS), work dir $WORK"

bench() { # label: the normal client, mixed GET/PUT/LIST of 4 KiB objects
  # shellcheck disable=SC2086
  java $DRIVER_OPTS -jar "$JAR" bench --json --endpoint "http://127.0.0.1:$PORT" --op mixed --size 4KiB \
    --objects 100 --clients "$CLIENTS" --duration "$DURATION" --warmup 2s 2>>"$WORK/bench.log" | tail -n 1 >"$WORK/$1.json" || true
}

echo "== warm-up (the JIT compiler; not reported)"
bench warmup
echo "== normal client alone"
bench alone
echo "== $CONNECTIONS trickling connections ($PER_ADDRESS per source address, a byte every ${INTERVAL}s)"
python3 "$ROOT/bench/slowloris.py" --port "$PORT" --connections "$CONNECTIONS" --interval "$INTERVAL" \
  --per-address "$PER_ADDRESS" --duration 120 --ready "$WORK/ready" >"$WORK/loris.json" &
LORIS_PID=$!
PIDS+=("$LORIS_PID")
while [ ! -f "$WORK/ready" ]; do kill -0 "$LORIS_PID" 2>/dev/null || die "slowloris.py failed"; sleep 0.2; done
# A fresh connection and request while every trickling connection is open.
curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$PORT/" >"$WORK/curl.txt" || true
echo "== normal client during the trickle"
bench during
wait "$LORIS_PID" || true

python3 - "$WORK" <<'PY'
import json, sys, os
w = sys.argv[1]
def load(n):
    try:
        return json.load(open(os.path.join(w, n)))
    except Exception:
        return None
print()
print("%-28s %8s %8s %8s %8s %7s" % ("normal client (4KiB mixed)", "ops/s", "p50 ms", "p99 ms", "max ms", "errors"))
for label in ("alone", "during"):
    r = load(label + ".json")
    if not r:
        print("%-28s no result (see bench.log)" % label); continue
    for op in r["results"]:
        print("%-28s %8.1f %8.2f %8.2f %8.2f %7d" % (label + " " + op["op"], op["opsPerSec"], op["p50Ms"], op["p99Ms"], op["maxMs"], op["errors"]))
c = open(os.path.join(w, "curl.txt")).read().split()
if c:
    print("new connection during the trickle (curl, anonymous): HTTP %s in %.3f s" % (c[0], float(c[1])))
l = load("loris.json")
print()
print("trickling connections: " + json.dumps(l))
PY
