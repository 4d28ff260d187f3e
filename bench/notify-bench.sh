#!/usr/bin/env bash
# Webhooks must never slow uploads. Measures, in one run on this machine, with the same driver:
#   1. 4 KiB PUTs at 64 clients into a bucket without rules;
#   2. the same into a bucket with 10 matching rules pointed at a receiver that answers after 1 s
#      (its backlog grows: PUT p50 and ops/s must stay within 10% of run 1);
#   3. the same into a bucket with 1 rule pointed at a healthy receiver (nginx, two workers, answering 204, so the
#      receiver is not the bottleneck): the delay from each event's eventTime to its arrival at the
#      receiver (nginx logs every delivery's arrival time and body), p50 and p99 over the whole run,
#      and whether deliveries keep up (nothing pending right after the run, and 5 s later).
# After a --warmup of unmeasured PUTs into the bucket without rules and as long into the healthy one
# (the JIT compiles the upload AND the delivery path; the measurement waits for that backlog to drain
# and counts only events of the measured run), run 3 goes first (no slow backlog yet), then runs 1 and
# 2 alternate --rounds times in ABBA order (so a machine still speeding up favours neither), and the
# ratios use the medians.
# Usage: bench/notify-bench.sh [--duration 8s] [--clients 64] [--rounds 4] [--warmup 10s] [--jar JAR]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/tarn.jar"
DURATION=8s
CLIENTS=64
ROUNDS=4
WARMUP=10s
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=${2:?}; shift 2 ;;
    --clients) CLIENTS=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --jar) JAR=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "notify-bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
BENCH=notify-bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" # die, WORK, PIDS and cleanup, ports, start_server, field, median
bench_credentials NB
command -v python3 >/dev/null || die "python3 not found"

TARN_PORT=$(free_port)
export TARN_ENDPOINT="http://127.0.0.1:$TARN_PORT"
start_server tarn "$WORK/data" "$TARN_PORT"
SLOW_PORT=$(free_port)
python3 "$ROOT/bench/webhook-receiver.py" --port "$SLOW_PORT" --delay 1 >"$WORK/slow.json" &
SLOW_PID=$!
PIDS+=("$SLOW_PID")
HEALTHY_PORT=$(free_port)
SINK_PORT=$(free_port)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || die "nginx not found (Debian: apt-get install nginx-light)"
mkdir -p "$WORK/nginx/tmp"
user_line=""; [ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);"
cat >"$WORK/nginx/nginx.conf" <<NGX
$user_line
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $WORK/nginx/tmp/body; proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/f; uwsgi_temp_path $WORK/nginx/tmp/u; scgi_temp_path $WORK/nginx/tmp/s;
  # The body is only in \$request_body when nginx reads it for a proxy: pass it to a 204 behind, over
  # at least as many kept-alive connections as Tarn opens (with fewer, the extra ones reconnect per request).
  log_format arrival '\$msec \$request_body';
  upstream sink { server 127.0.0.1:$SINK_PORT; keepalive 1024; }
  server {
    listen 127.0.0.1:$HEALTHY_PORT;
    client_body_buffer_size 64k;
    location / {
      access_log $WORK/nginx/arrivals.log arrival buffer=256k flush=1s;
      proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://sink;
    }
  }
  server { listen 127.0.0.1:$SINK_PORT; location / { return 204; } }
}
NGX
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx/out.log" 2>&1 &
PIDS+=($!)
wait_port "$SLOW_PORT"; wait_port "$HEALTHY_PORT"; wait_port "$SINK_PORT"

tarn() { java -jar "$JAR" "$@"; }
put() { # bucket [duration] [warm-up]: one PUT run, its JSON result line
  tarn bench --json --endpoint "$TARN_ENDPOINT" --bucket "$1" --op put --size 4KiB --clients "$CLIENTS" \
    --duration "${2:-$DURATION}" --warmup "${3:-2s}"
}
mkbucket() { tarn bench --endpoint "$TARN_ENDPOINT" --bucket "$1" --op put --size 1 --clients 1 --requests 1 >/dev/null; }

mkbucket nb-none; mkbucket nb-slow; mkbucket nb-healthy
for i in $(seq 10); do
  tarn webhooks add nb-slow --url "http://127.0.0.1:$SLOW_PORT/hook$i" --events 's3:ObjectCreated:*' >/dev/null
done
RULE=$(tarn webhooks add nb-healthy --url "http://127.0.0.1:$HEALTHY_PORT/hook" --events 's3:ObjectCreated:*')

echo "== warm-up: $WARMUP + $WARMUP of unmeasured PUTs without rules and to the healthy receiver (JIT)"
put nb-none "$WARMUP" 0s >/dev/null; put nb-healthy "$WARMUP" 0s >/dev/null
for _ in $(seq 120); do # until the warm-up's deliveries are done
  [ "$(field "$(tarn webhooks stats nb-healthy "$RULE" --json 2>/dev/null | tr -d '\n ')" pending)" = 0 ] && break
  sleep 0.5
done
# The healthy receiver first, while no slow backlog is being written and compacted.
START=$(date +%s.%N)
echo "== PUT 4KiB x$CLIENTS, 1 rule to a healthy receiver"; HEALTHY=$(put nb-healthy); echo "$HEALTHY"
AFTER=$(tarn webhooks stats nb-healthy "$RULE" --json 2>/dev/null | tr -d '\n ' || echo '{}')
sleep 5
STATS=$(tarn webhooks stats nb-healthy "$RULE" --json 2>/dev/null | tr -d '\n ' || echo '{}')
NONE_OPS=(); NONE_P50=(); SLOW_OPS=(); SLOW_P50=()
none_run() {
  echo "== round $r/$ROUNDS: PUT 4KiB x$CLIENTS, no rules"; R=$(put nb-none); echo "$R"
  NONE_OPS+=("$(field "$R" opsPerSec)"); NONE_P50+=("$(field "$R" p50Ms)")
}
slow_run() {
  echo "== round $r/$ROUNDS: PUT 4KiB x$CLIENTS, 10 rules to a receiver answering after 1 s"; R=$(put nb-slow); echo "$R"
  SLOW_OPS+=("$(field "$R" opsPerSec)"); SLOW_P50+=("$(field "$R" p50Ms)")
}
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then none_run; slow_run; else slow_run; none_run; fi
done
kill -TERM "$SLOW_PID"; wait "$SLOW_PID" 2>/dev/null || true
SLOW_STATS=$(cat "$WORK/slow.json")
kill -HUP "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true; sleep 1.5 # flushes the arrival log
# Delay of each delivery of the healthy run: arrival ($msec) minus the event's eventTime.
DELAYS=$(python3 - "$WORK/nginx/arrivals.log" "$START" <<'PY'
import datetime, re, sys
pat = re.compile(r'eventTime\\x22:\\x22([0-9T:.-]+)Z')
d = []
for line in open(sys.argv[1], errors="replace"):
    msec, _, body = line.partition(" ")
    m = pat.search(body)
    if m:
        t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
        if t.timestamp() >= float(sys.argv[2]):  # events of the measured run, not of the warm-up
            d.append((float(msec) - t.timestamp()) * 1000.0)
d.sort()
q = lambda p: d[min(len(d) - 1, int(p * len(d)))] if d else float("nan")
print('{"arrivals":%d,"p50Ms":%.1f,"p99Ms":%.1f,"maxMs":%.1f}' % (len(d), q(0.5), q(0.99), d[-1] if d else float("nan")))
PY
)
echo "healthy rule figures right after the run: $AFTER"
echo "healthy rule figures 5 s after the run: $STATS"
echo "healthy receiver, event time to arrival over the whole run: $DELAYS"
echo "slow receiver (answering after 1 s): $SLOW_STATS"

m() { printf '%s\n' "$@" | median; }
awk -v a="$(m "${NONE_OPS[@]}")" -v b="$(m "${SLOW_OPS[@]}")" -v pa="$(m "${NONE_P50[@]}")" -v pb="$(m "${SLOW_P50[@]}")" \
    -v d50="$(field "$DELAYS" p50Ms)" -v d99="$(field "$DELAYS" p99Ms)" \
    -v now="$(field "$AFTER" pending)" -v pending="$(field "$STATS" pending)" -v rounds="$ROUNDS" 'BEGIN {
  printf "medians of %d rounds: no rules %.0f ops/s p50 %.2f ms; 10 slow rules %.0f ops/s p50 %.2f ms\n", rounds, a, pa, b, pb
  printf "%-52s %10s %10s  %s\n", "target", "measured", "goal", "result"
  r = b / a; printf "%-52s %10.2f %10s  %s\n", "PUT ops/s with 10 slow rules / without", r, "0.9-1.1", (r >= 0.9 && r <= 1.1) ? "PASS" : "FAIL"
  r = pb / pa; printf "%-52s %10.2f %10s  %s\n", "PUT p50 with 10 slow rules / without", r, "0.9-1.1", (r >= 0.9 && r <= 1.1) ? "PASS" : "FAIL"
  printf "%-52s %10.1f %10s  %s\n", "event-to-arrival delay p50 (ms)", d50, "< 50", (d50 != "" && d50 < 50) ? "PASS" : "FAIL"
  printf "%-52s %10.1f %10s  %s\n", "event-to-arrival delay p99 (ms)", d99, "< 250", (d99 != "" && d99 < 250) ? "PASS" : "FAIL"
  printf "%-52s %10s %10s  %s\n", "pending deliveries right after the run", now, "-", "(info)"
  printf "%-52s %10s %10s  %s\n", "pending deliveries 5 s after the run", pending, "0", (pending == "0") ? "PASS" : "FAIL"
}'
