#!/usr/bin/env bash
# What authorizing against a bucket policy costs: 4 KiB GETs from a bucket with a 20-statement policy
# against the same from a bucket without one, in one run on one server, alternating --rounds times in
# ABBA order after a --warmup; the ratio uses the medians of GET ops/s (issue 15's target: the policy
# costs under 5 %). No statement decides the bench's (admin) requests, so every one is looked at: public-read
# prefixes, Denys with conditions the requests do not meet (source address, referer, secure transport,
# time), two of them covering the bench's own keys, so that each request computes its condition keys
# and evaluates those conditions.
# Not part of the test suite. Usage:
#   bench/policy-bench.sh [--duration 8s] [--clients 64] [--rounds 4] [--warmup 10s] [--jar JAR]
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
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "policy-bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
BENCH=policy-bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" # die, WORK, PIDS and cleanup, ports, start_server, field, median
bench_credentials PB
command -v curl >/dev/null || die "curl not found"
command -v sha256sum >/dev/null || die "sha256sum not found"

TARN_PORT=$(free_port)
export TARN_ENDPOINT="http://127.0.0.1:$TARN_PORT"
start_server tarn "$WORK/data" "$TARN_PORT"

tarn() { java -jar "$JAR" "$@"; }
get() { # bucket [duration] [warm-up]: one GET run, its JSON result line
  tarn bench --json --endpoint "$TARN_ENDPOINT" --bucket "$1" --op get --size 4KiB --clients "$CLIENTS" \
    --objects 256 --duration "${2:-$DURATION}" --warmup "${3:-2s}"
}
signed() { # method path [file]: a SigV4-signed request (curl signs), its status code
  local sha=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 body=()
  if [ -n "${3:-}" ]; then sha=$(sha256sum "$3" | cut -d' ' -f1); body=(--data-binary "@$3"); fi
  curl -s -o "$WORK/last.out" -w '%{http_code}' -X "$1" --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$TARN_ACCESS_KEY:$TARN_SECRET_KEY" -H "x-amz-content-sha256: $sha" "${body[@]}" "$TARN_ENDPOINT$2"
}

# 20 statements, none of which decides a request of the bench's (admin) caller: every one is evaluated.
python3 - "pb-policy" >"$WORK/policy.json" <<'PY'
import json, sys
b = sys.argv[1]
st = []
for i in range(8):
    st.append({"Sid": "PublicRead%d" % i, "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
               "Resource": "arn:aws:s3:::%s/public-%d/*" % (b, i)})
for i in range(4):
    st.append({"Sid": "OfficeOnly%d" % i, "Effect": "Deny", "Principal": "*", "Action": ["s3:Get*", "s3:List*"],
               "Resource": ["arn:aws:s3:::%s/office-%d/*" % (b, i), "arn:aws:s3:::%s" % b],
               "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.%d.0.0/16" % i, "192.168.%d.0/24" % i]},
                             "StringLike": {"s3:prefix": ["office-%d/*" % i]}}})
for i in range(4):
    st.append({"Sid": "Referer%d" % i, "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject",
               "Resource": "arn:aws:s3:::%s/site-%d/*" % (b, i),
               "Condition": {"StringLike": {"aws:Referer": ["https://www.example-%d.com/*" % i]}}})
for i in range(2):
    st.append({"Sid": "TlsOnly%d" % i, "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
               "Resource": "arn:aws:s3:::%s/secure-%d/*" % (b, i),
               "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
# Two that cover the bench's own GETs (bench/...) and are decided by their conditions, so every request
# computes its condition keys (time, address, TLS) and evaluates them.
for i in range(2):
    st.append({"Sid": "Until%d" % i, "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
               "Resource": "arn:aws:s3:::%s/bench/*" % b,
               "Condition": {"DateLessThan": {"aws:CurrentTime": "2020-0%d-01T00:00:00Z" % (i + 1)},
                             "NotIpAddress": {"aws:SourceIp": "127.0.0.0/8"}}})
print(json.dumps({"Version": "2012-10-17", "Statement": st}))
PY

echo "== populating both buckets, and the policy"
get pb-none 1s 0s >/dev/null; get pb-policy 1s 0s >/dev/null
# "?policy=": curl 7.88's --aws-sigv4 signs a bare "?policy" as "policy", not SigV4's "policy=".
CODE=$(signed PUT "/pb-policy?policy=" "$WORK/policy.json")
[ "$CODE" = 204 ] || [ "$CODE" = 200 ] || die "PutBucketPolicy answered $CODE: $(cat "$WORK/last.out")"
CODE=$(signed GET "/pb-policy?policy=")
[ "$CODE" = 200 ] || die "GetBucketPolicy answered $CODE: $(cat "$WORK/last.out")"
echo "policy: $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["Statement"]))' "$WORK/last.out") statements"

echo "== warm-up: $WARMUP + $WARMUP of unmeasured GETs from both buckets (JIT)"
get pb-none "$WARMUP" 0s >/dev/null; get pb-policy "$WARMUP" 0s >/dev/null

NONE_OPS=(); NONE_P50=(); POL_OPS=(); POL_P50=()
none_run() {
  echo "== round $r/$ROUNDS: GET 4KiB x$CLIENTS, no policy"; R=$(get pb-none); echo "$R"
  NONE_OPS+=("$(field "$R" opsPerSec)"); NONE_P50+=("$(field "$R" p50Ms)")
}
policy_run() {
  echo "== round $r/$ROUNDS: GET 4KiB x$CLIENTS, 20-statement policy"; R=$(get pb-policy); echo "$R"
  POL_OPS+=("$(field "$R" opsPerSec)"); POL_P50+=("$(field "$R" p50Ms)")
}
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then none_run; policy_run; else policy_run; none_run; fi
done

m() { printf '%s\n' "$@" | median; }
awk -v a="$(m "${NONE_OPS[@]}")" -v b="$(m "${POL_OPS[@]}")" -v pa="$(m "${NONE_P50[@]}")" -v pb="$(m "${POL_P50[@]}")" \
    -v rounds="$ROUNDS" 'BEGIN {
  printf "medians of %d rounds: no policy %.0f ops/s p50 %.2f ms; 20-statement policy %.0f ops/s p50 %.2f ms\n", rounds, a, pa, b, pb
  printf "%-48s %10s %10s  %s\n", "target", "measured", "goal", "result"
  r = b / a; printf "%-48s %10.3f %10s  %s\n", "GET ops/s with the policy / without", r, ">= 0.95", (r >= 0.95) ? "PASS" : "FAIL"
  printf "%-48s %10.3f %10s  %s\n", "GET p50 with the policy / without", pb / pa, "-", "(info)"
}'
