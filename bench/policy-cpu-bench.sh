#!/usr/bin/env bash
# What a bucket policy costs in server CPU per request, GET and PUT (issue 15, docs/access/policies.md; the
# throughput ratio of a 20-statement policy is bench/policy-bench.sh's), in one run on one server with the same
# driver: 4 KiB GET (64 clients, 1000 objects) and 4 KiB PUT (64 clients) against two buckets of the same
# server, NONE without a policy and POLICY with a 10-statement policy that every request evaluates in full
# (every statement names "*" and carries a condition, none applies, so ownership decides: the most
# expensive case), one short run after the other, the order alternating per round.
# Prints the medians and POLICY/NONE against the target (>= 95 %); exit 1 if one misses.
# Usage: bench/policy-cpu-bench.sh [--rounds 5] [--duration 4s] [--warmup 8s] [--jar JAR] [--tmp DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/tarn.jar"
DURATION=4s
WARMUP=8s
ROUNDS=5
TMP=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --tmp) TMP=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "policy-cpu-bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
BENCH=policy-cpu-bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" # die, WORK, PIDS and cleanup, ports, start_server, field, median
bench_credentials PB

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
start_server server "$WORK/data" "$PORT" --scrub-rate 0
SPID=$SERVER_PID
# The server's CPU time so far (user + system, clock ticks): CPU per request varies less than
# throughput on a shared machine, whose other work takes the cores away at random.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SPID/stat"; }

declare -A BUCKET=([NONE]=bench-none [POLICY]=bench-policy)
AWS=$(command -v aws || true)
[ -n "$AWS" ] || die "needs aws-cli (apt-get install awscli) to create the buckets and put the policy"
s3api() {
  AWS_ACCESS_KEY_ID=$TARN_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$TARN_SECRET_KEY AWS_DEFAULT_REGION=us-east-1 \
    AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null "$AWS" --endpoint-url "$URL" s3api "$@"
}
for b in "${BUCKET[@]}"; do s3api create-bucket --bucket "$b" >/dev/null; done
B=${BUCKET[POLICY]}
statements=""
for i in 1 2 3 4 5; do
  statements+="{\"Sid\":\"DenyOld$i\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],"
  statements+="\"Resource\":\"arn:aws:s3:::$B/*\",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"200$i-01-01T00:00:00Z\"}}},"
  statements+="{\"Sid\":\"AllowOffice$i\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\","
  statements+="\"Resource\":[\"arn:aws:s3:::$B\",\"arn:aws:s3:::$B/*\"],\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"192.0.$i.0/24\"},"
  statements+="\"StringLike\":{\"aws:UserAgent\":\"office-$i-*\"}}},"
done
POLICY="{\"Version\":\"2012-10-17\",\"Statement\":[${statements%,}]}"
s3api put-bucket-policy --bucket "$B" --policy "$POLICY" || die "the policy was refused"
[ "$(s3api get-bucket-policy --bucket "$B" --query Policy --output text)" = "$POLICY" ] || die "the policy did not read back"

bench() { # name op duration warmup: one run's JSON line
  local r extra=()
  [ "$2" = get ] && extra=(--objects 1000)
  r=$(java -jar "$JAR" bench --json --endpoint "$URL" --bucket "${BUCKET[$1]}" --op "$2" --size 4KiB --clients 64 \
    "${extra[@]}" --duration "$3" --warmup "$4")
  [ "$(field "$r" errors)" = 0 ] || die "a run against $1 had failed requests: $r"
  echo "$r"
}
order=(NONE POLICY)
echo "== warming up: $WARMUP of 4 KiB GET and of 4 KiB PUT on each bucket (JIT)"
for s in "${order[@]}"; do
  bench "$s" get "$WARMUP" 0s >/dev/null
  bench "$s" put "$WARMUP" 0s >/dev/null
done
declare -A GET PUT TICKS OPS
measure() { # name op: one run; its ops/s in LAST, its CPU ticks and requests added up
  local t0 R
  t0=$(cpu_ticks)
  R=$(bench "$1" "$2" "$DURATION" 0s)
  TICKS[$1$2]=$(( ${TICKS[$1$2]:-0} + $(cpu_ticks) - t0 ))
  OPS[$1$2]=$(( ${OPS[$1$2]:-0} + $(field "$R" ops) ))
  LAST=$(field "$R" opsPerSec)
}
for r in $(seq "$ROUNDS"); do
  for s in "${order[@]}"; do measure "$s" get; GET[$s]+="$LAST "; done
  for s in "${order[@]}"; do measure "$s" put; PUT[$s]+="$LAST "; done
  echo "== round $r/$ROUNDS (${order[*]}): GET NONE ${GET[NONE]}| POLICY ${GET[POLICY]}| PUT NONE ${PUT[NONE]}| POLICY ${PUT[POLICY]}"
  order=("${order[@]:1}" "${order[0]}")
done

m() { tr ' ' '\n' <<<"$1" | grep . | median; }
report() { # name with without target%
  awk -v name="$1" -v on="$2" -v off="$3" -v target="$4" 'BEGIN {
    ratio = 100 * on / off; ok = ratio >= target
    printf "%-20s %10.1f %10.1f   ratio %6.1f %% (target >= %d %%)  %s\n", name, on, off, ratio, target, ok ? "PASS" : "FAIL"
    exit ok ? 0 : 1 }'
}
echo
echo "medians of $ROUNDS interleaved rounds ($DURATION each)   10-statement policy    none"
FAIL=0
report "4 KiB GET ops/s" "$(m "${GET[POLICY]}")" "$(m "${GET[NONE]}")" 95 || FAIL=1
report "4 KiB PUT ops/s" "$(m "${PUT[POLICY]}")" "$(m "${PUT[NONE]}")" 95 || FAIL=1
HZ=$(getconf CLK_TCK)
for op in get put; do
  awk -v op="$op" -v hz="$HZ" -v tp="${TICKS[POLICY$op]}" -v np="${OPS[POLICY$op]}" -v tn="${TICKS[NONE$op]}" \
    -v nn="${OPS[NONE$op]}" 'BEGIN {
      p = 1e6 * tp / hz / np; n = 1e6 * tn / hz / nn
      printf "server CPU per 4 KiB %s: %.1f us with the policy, %.1f us without (%+.1f %%)\n", toupper(op), p, n, 100 * (p / n - 1) }'
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
exit $FAIL
