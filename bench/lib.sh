# Shared by the bench/*.sh scripts that start their own Tarn servers: sourced after the script has set
# BENCH (its name, for messages), JAR and TMP. Defines die, port and JSON helpers, start_server, and
# WORK (a temp directory removed at exit, with every process in PIDS killed first).
# shellcheck shell=bash
die() { echo "$BENCH: $*" >&2; exit 2; }
[ -f "$JAR" ] || die "no $JAR: build it first (mvn -o -q package -DskipTests)"

WORK=$(mktemp -d "${TMP:-${TMPDIR:-/tmp}}/tarn-$BENCH.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p; for _ in $(seq 100); do p=$((20000 + RANDOM % 40000)); port_open "$p" || { echo "$p"; return; }; done; die "no free port"; }
wait_port() { for _ in $(seq 600); do port_open "$1" && return 0; sleep 0.1; done; die "nothing listens on $1"; }
# The numeric value of "$2" in the JSON line $1 (tarn bench --json output), the first if repeated.
field() { sed -n "s/.*\"$2\":\([-0-9.e]*\).*/\1/p" <<<"$1" | head -n 1; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# Root credentials for a bench server: an access key starting with $1, a random secret.
bench_credentials() {
  TARN_ACCESS_KEY="$1$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F)"
  TARN_SECRET_KEY=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
  export TARN_ACCESS_KEY TARN_SECRET_KEY
}
# start_server NAME DATA_DIR PORT [server options...]: a Tarn server on 127.0.0.1:PORT with the bench
# credentials (bench_credentials first), the JVM options of TARN_JAVA_OPTS then EXTRA_JAVA_OPTS (e.g.
# `EXTRA_JAVA_OPTS=-XX:NativeMemoryTracking=summary start_server ...`), its output in $WORK/NAME.log.
# Returns once the port answers, its pid in SERVER_PID and in PIDS: not printed, since a function run in
# $(...) runs in a subshell, and the server would be that subshell's job, not one the script can wait
# for or cleanup can reap. Dies with the log's tail if the server exits first or the port stays closed.
start_server() {
  local name=$1 data=$2 port=$3 log="$WORK/$1.log"
  shift 3
  # shellcheck disable=SC2086 # TARN_JAVA_OPTS and EXTRA_JAVA_OPTS are lists of options
  TARN_ROOT_ACCESS_KEY=$TARN_ACCESS_KEY TARN_ROOT_SECRET_KEY=$TARN_SECRET_KEY \
    java ${TARN_JAVA_OPTS:-} ${EXTRA_JAVA_OPTS:-} -jar "$JAR" server --data "$data" --address "127.0.0.1:$port" \
    "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for _ in $(seq 600); do
    port_open "$port" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$log" >&2; die "server $name exited while starting"; }
    sleep 0.1
  done
  tail -20 "$log" >&2
  die "server $name did not listen on 127.0.0.1:$port within 60 s"
}
