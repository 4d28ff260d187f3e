#!/usr/bin/env bash
# Runs Tarn's performance targets on this machine and prints each measured ratio against its
# target. Everything is measured in the same run, with the same driver (`tarn bench`):
#   - a disk probe of the directory holding Tarn's data (fdatasync'd sequential write, read,
#     fsync'd 4 KiB create+rename),
#   - nginx serving the same bytes from a temp dir (the static-server baseline for GETs),
#   - a fresh Tarn server on a temp data dir.
# Both servers bind 127.0.0.1 on free ports and are stopped on exit. See bench/README.md.
# The warm-up defaults to 15 s: Tarn is a JVM, and with 3 s its first runs measure the JIT compiler
# (4 KiB GETs: 10-15k ops/s cold against 31-44k warm on this machine), not the server.
#
# Usage: bench/run-all.sh [--duration 10s] [--warmup 15s] [--list-objects 100000]
#                         [--big | --big-only] [--big-size 1GiB] [--jar server/target/tarn.jar]
#                         [--tmp DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/tarn.jar"
DURATION=10s
WARMUP=15s
LIST_OBJECTS=100000
RUN_MAIN=1
RUN_BIG=0
BIG_SIZE_MIB=1024
BIG_CLIENTS=64
TMP_BASE="${TMPDIR:-/tmp}"
DRIVER_OPTS=${BENCH_JAVA_OPTS:--Xmx1g}
TARN_OPTS=${TARN_JAVA_OPTS:-}

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
die() { echo "run-all: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --list-objects) LIST_OBJECTS=${2:?}; shift 2 ;;
    --big) RUN_BIG=1; shift ;;
    --big-only) RUN_BIG=1; RUN_MAIN=0; shift ;;
    --big-size)
      case "${2:?}" in
        *GiB) BIG_SIZE_MIB=$(( ${2%GiB} * 1024 )) ;;
        *MiB) BIG_SIZE_MIB=${2%MiB} ;;
        *) die "--big-size takes NMiB or NGiB, got '$2'" ;;
      esac
      shift 2 ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --tmp) TMP_BASE=${2:?}; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "run-all: unknown option '$1'" >&2; usage 2 ;;
  esac
done

command -v java >/dev/null || die "java not found"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || die "nginx not found (Debian: apt-get install nginx-light)"
[ -f "$JAR" ] || die "no $JAR: build it first (mvn -o -q package -DskipTests)"
[ -d "$TMP_BASE" ] || die "--tmp: no directory $TMP_BASE"

WORK=$(mktemp -d "$TMP_BASE/tarn-bench.XXXXXX")
NGINX_PID=
TARN_PID=
RSS_PID=

stop() { # pid: TERM, then KILL after 15 s
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
  stop "$RSS_PID"
  stop "$TARN_PID"
  stop "$NGINX_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p
  for _ in $(seq 100); do
    p=$(( 20000 + RANDOM % 40000 ))
    port_open "$p" || { echo "$p"; return 0; }
  done
  die "no free port found"
}

wait_port() { # port pid name log
  for _ in $(seq 600); do
    port_open "$1" && return 0
    kill -0 "$2" 2>/dev/null || { tail -n 30 "$4" >&2; die "$3 exited while starting"; }
    sleep 0.1
  done
  tail -n 30 "$4" >&2
  die "$3 did not listen on 127.0.0.1:$1 within 60 s"
}

bench() { # args...: runs the driver, prints its JSON line (or nothing on failure)
  # shellcheck disable=SC2086
  java $DRIVER_OPTS -jar "$JAR" bench --json "$@" 2>>"$WORK/bench.log" || true
}

field() { # json name: the numeric value of "name" (the last, i.e. the result's, if repeated)
  sed -n "s/.*\"$2\":\([-0-9.e]*\).*/\1/p" <<<"$1" | head -n 1
}

num() { # value: one decimal, for the summary
  awk -v v="$1" 'BEGIN { if (v != "") printf "%.1f", v; else printf "n/a" }'
}

# --- servers -------------------------------------------------------------------------------

start_nginx() {
  local dir="$WORK/nginx"
  mkdir -p "$dir/www" "$dir/tmp"
  head -c 4096 /dev/urandom >"$dir/www/4KiB"
  head -c $((64 << 20)) /dev/urandom >"$dir/www/64MiB"
  NGINX_PORT=$(free_port)
  local user_line=""
  # As root, nginx's workers would otherwise switch to 'nobody', who cannot read the temp dir.
  [ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);"
  cat >"$dir/nginx.conf" <<EOF
$user_line
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  # The driver keeps its connections for the whole run, as it does with Tarn.
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  types { }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $dir/www;
  }
}
EOF
  "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >"$dir/out.log" 2>&1 &
  NGINX_PID=$!
  wait_port "$NGINX_PORT" "$NGINX_PID" nginx "$dir/error.log"
}

# Not lib.sh's start_server: this script stops and restarts Tarn between its parts (TERM, then KILL
# after 15 s, as nginx), and the --big server runs with -Xmx256m alone, without TARN_JAVA_OPTS.
start_tarn() { # data-dir java-opts...
  local data=$1; shift
  mkdir -p "$data"
  TARN_PORT=$(free_port)
  # shellcheck disable=SC2068
  TARN_ROOT_ACCESS_KEY=$ACCESS_KEY TARN_ROOT_SECRET_KEY=$SECRET_KEY \
    java $@ -jar "$JAR" server --data "$data" --address "127.0.0.1:$TARN_PORT" \
    >"$WORK/tarn.log" 2>&1 &
  TARN_PID=$!
  wait_port "$TARN_PORT" "$TARN_PID" tarn "$WORK/tarn.log"
}

ACCESS_KEY="BENCH$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F)"
SECRET_KEY=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
export TARN_ACCESS_KEY=$ACCESS_KEY TARN_SECRET_KEY=$SECRET_KEY

# --- results -------------------------------------------------------------------------------

FAILED=0
RESULTS="$WORK/results.txt"
: >"$RESULTS"

verdict() { # name detail ratio target unit
  local ok
  ok=$(awk -v r="$3" -v t="$4" 'BEGIN { print (r != "" && r + 0 >= t + 0) ? "PASS" : "FAIL" }')
  [ "$ok" = PASS ] || FAILED=1
  printf '%-40s %-50s %7s %8s  %s\n' "$1" "$2" "${3:-n/a}" ">= $4$5" "$ok" >>"$RESULTS"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b + 0 > 0) printf "%.2f", a / b }'; }

check_errors() { # name json: a run with failed requests (or no output) cannot pass
  local errors
  errors=$(sed -n 's/.*"errors":\([0-9]*\),"results".*/\1/p' <<<"$2")
  if [ -z "$2" ] || [ "${errors:-1}" != 0 ]; then
    echo "run-all: $1: ${errors:-no result} failed requests; see below" >&2
    tail -n 5 "$WORK/bench.log" >&2
    return 1
  fi
}

run_main() {
  local common=(--duration "$DURATION" --warmup "$WARMUP")
  local s3=(--endpoint "http://127.0.0.1:$TARN_PORT")

  echo "== disk probe in $WORK"
  PROBE=$(java $DRIVER_OPTS -jar "$JAR" bench --json --probe "$WORK")
  echo "$PROBE"
  local write_mibps create_rate
  write_mibps=$(field "$PROBE" seqWriteMiBps)
  create_rate=$(field "$PROBE" createRenamePerSec)

  echo "== 4KiB GET, 64 clients: nginx, then Tarn"
  local ng4 t4
  ng4=$(bench --plain --op get --endpoint "http://127.0.0.1:$NGINX_PORT/4KiB" --clients 64 "${common[@]}")
  echo "$ng4"
  t4=$(bench "${s3[@]}" --op get --size 4KiB --objects 1000 --clients 64 "${common[@]}")
  echo "$t4"
  check_errors "4KiB GET" "$t4" && check_errors "nginx 4KiB GET" "$ng4" || t4=""
  verdict "4KiB GET x64 vs nginx" \
    "$(num "$(field "$t4" opsPerSec)") vs $(num "$(field "$ng4" opsPerSec)") ops/s" \
    "$(ratio "$(field "$t4" opsPerSec)" "$(field "$ng4" opsPerSec)")" 0.5 ""

  echo "== 4KiB PUT, 64 clients"
  local p4
  p4=$(bench "${s3[@]}" --op put --size 4KiB --clients 64 "${common[@]}")
  echo "$p4"
  check_errors "4KiB PUT" "$p4" || p4=""
  verdict "4KiB PUT x64 vs fsync'd create+rename" \
    "$(num "$(field "$p4" opsPerSec)") ops/s vs $(num "$create_rate") files/s" \
    "$(ratio "$(field "$p4" opsPerSec)" "$create_rate")" 4 "x"

  echo "== 64MiB PUT, 4 clients"
  local p64
  p64=$(bench "${s3[@]}" --op put --size 64MiB --clients 4 "${common[@]}")
  echo "$p64"
  check_errors "64MiB PUT" "$p64" || p64=""
  verdict "64MiB PUT x4 vs fdatasync'd write" \
    "$(num "$(field "$p64" mibPerSec)") vs $(num "$write_mibps") MiB/s" \
    "$(ratio "$(field "$p64" mibPerSec)" "$write_mibps")" 0.4 ""

  echo "== 64MiB GET, 4 clients: nginx, then Tarn"
  local ng64 g64
  ng64=$(bench --plain --op get --endpoint "http://127.0.0.1:$NGINX_PORT/64MiB" --clients 4 "${common[@]}")
  echo "$ng64"
  g64=$(bench "${s3[@]}" --op get --size 64MiB --objects 4 --clients 4 "${common[@]}")
  echo "$g64"
  check_errors "64MiB GET" "$g64" && check_errors "nginx 64MiB GET" "$ng64" || g64=""
  verdict "64MiB GET x4 vs nginx" \
    "$(num "$(field "$g64" mibPerSec)") vs $(num "$(field "$ng64" mibPerSec)") MiB/s" \
    "$(ratio "$(field "$g64" mibPerSec)" "$(field "$ng64" mibPerSec)")" 0.7 ""

  echo "== LIST of $LIST_OBJECTS objects, pages of 1000, 1 client"
  local ls
  ls=$(bench "${s3[@]}" --bucket bench-list --op list --size 0 --objects "$LIST_OBJECTS" \
    --page-size 1000 --clients 1 "${common[@]}")
  echo "$ls"
  check_errors "LIST" "$ls" || ls=""
  verdict "LIST $LIST_OBJECTS objects, pages/s" \
    "$(num "$(field "$ls" opsPerSec)") pages/s" "$(num "$(field "$ls" opsPerSec)")" 50 ""
}

run_big() {
  local data="$WORK/big-data" avail_mib need_mib size_mib=$BIG_SIZE_MIB
  mkdir -p "$data"
  avail_mib=$(df -Pm "$data" | awk 'NR == 2 { print $4 }')
  need_mib=$(( BIG_CLIENTS * size_mib + 4096 ))
  if [ "$avail_mib" -lt "$need_mib" ]; then
    size_mib=$(( (avail_mib - 4096) / BIG_CLIENTS / 64 * 64 ))
    [ "$size_mib" -ge 64 ] || die "--big needs at least $(( BIG_CLIENTS * 64 + 4096 )) MiB free in $WORK, have $avail_mib"
    echo "run-all: only $avail_mib MiB free in $WORK: $BIG_CLIENTS uploads of ${size_mib}MiB instead of ${BIG_SIZE_MIB}MiB" >&2
  fi
  echo "== $BIG_CLIENTS concurrent ${size_mib}MiB uploads, Tarn under -Xmx256m"
  start_tarn "$data" -Xmx256m -XX:+ExitOnOutOfMemoryError
  # Peak resident memory of the server, sampled once a second, for the report.
  ( peak=0; while kill -0 "$TARN_PID" 2>/dev/null; do
      rss=$(awk '/VmRSS/ { print $2 }' "/proc/$TARN_PID/status" 2>/dev/null || echo 0)
      [ "${rss:-0}" -gt "$peak" ] && peak=$rss && echo "$peak" >"$WORK/rss-peak"
      sleep 1
    done ) &
  RSS_PID=$!
  local big
  big=$(bench --endpoint "http://127.0.0.1:$TARN_PORT" --op put --size "${size_mib}MiB" \
    --clients "$BIG_CLIENTS" --requests 1 --timeout 300s)
  echo "$big"
  local alive=no oom=no ok=0
  kill -0 "$TARN_PID" 2>/dev/null && alive=yes
  grep -q OutOfMemoryError "$WORK/tarn.log" && oom=yes
  check_errors "big PUT" "$big" && [ "$alive" = yes ] && [ "$oom" = no ] && ok=1
  printf -v detail '%s ok, %s MiB/s, alive: %s, OOM: %s, peak RSS %s MiB' \
    "$(field "$big" ops)" "$(num "$(field "$big" mibPerSec)")" "$alive" "$oom" \
    "$(( $(cat "$WORK/rss-peak" 2>/dev/null || echo 0) / 1024 ))"
  [ "$ok" = 1 ] || FAILED=1
  printf '%-40s %-50s %7s %8s  %s\n' "${BIG_CLIENTS}x${size_mib}MiB PUT, -Xmx256m" "$detail" - \
    "no OOM" "$([ "$ok" = 1 ] && echo PASS || echo FAIL)" >>"$RESULTS"
  stop "$RSS_PID"; RSS_PID=
  stop "$TARN_PID"; TARN_PID=
  rm -rf "$data"
}

if [ "$RUN_MAIN" = 1 ]; then
  start_nginx
  # shellcheck disable=SC2086
  start_tarn "$WORK/data" $TARN_OPTS
  echo "nginx on 127.0.0.1:$NGINX_PORT, Tarn on 127.0.0.1:$TARN_PORT, work dir $WORK"
  run_main
  stop "$TARN_PID"; TARN_PID=
  stop "$NGINX_PID"; NGINX_PID=
  rm -rf "$WORK/data"
fi
if [ "$RUN_BIG" = 1 ]; then
  run_big
fi

echo
printf '%-40s %-50s %7s %8s  %s\n' target measured ratio goal result
cat "$RESULTS"
exit "$FAILED"
