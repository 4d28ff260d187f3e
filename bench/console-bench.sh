#!/usr/bin/env bash
# The web console's benchmark (issue 12): does a prefix with 1,000,000 keys open as fast as one with 10,
# and how many KiB is the console's first load?
#   1. starts a fresh Tarn (server/target/tarn.jar) on a free 127.0.0.1 port and a temp data dir (or
#      --data DIR, kept, so a second run reuses the filled prefixes);
#   2. fills bucket console-bench-big, prefix bench/0B/, with --keys empty objects and
#      console-bench-small, same prefix, with 10 (and console-bench-control with 1,000: a full first page
#      of 200 like the big one, where the small one shows 10 rows), through `tarn bench`'s populate step
#      (64 parallel PUTs, the fastest path the S3 API has: there is no bulk-create call), timed;
#   3. runs io.tarn.it.ConsoleBench through Maven (offline, the it-tests reactor; never part of
#      `mvn verify`): headless chromium opens each prefix and the two buckets' roots, interleaved rounds,
#      medians and ratios, and measures the first load's transfer from Resource Timing;
#   4. cross-checks the first load's size with curl: every file of the console, with and without gzip.
# Usage: bench/console-bench.sh [--keys 1000000] [--rounds 7] [--data DIR] [--jar JAR] [--tmp DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/tarn.jar"
KEYS=1000000
ROUNDS=7
DATA=
TMP=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) KEYS=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --data) DATA=${2:?}; shift 2 ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --tmp) TMP=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "console-bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
BENCH=console-bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" # die, WORK, PIDS and cleanup, ports, start_server, credentials
command -v curl >/dev/null || die "curl is needed for the cross-check"

# A kept data dir keeps its root key beside it (the server takes the root key only at its first start).
if [ -z "$DATA" ]; then DATA="$WORK/data"; fi
KEYFILE="$DATA.bench-keys"
if [ -f "$KEYFILE" ]; then
  # shellcheck disable=SC1090
  . "$KEYFILE"
else
  mkdir -p "$(dirname "$DATA")"
  bench_credentials CB
  printf 'TARN_ACCESS_KEY=%s\nTARN_SECRET_KEY=%s\n' "$TARN_ACCESS_KEY" "$TARN_SECRET_KEY" >"$KEYFILE"
  chmod 600 "$KEYFILE"
fi
export TARN_ACCESS_KEY TARN_SECRET_KEY

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
start_server server "$DATA" "$PORT"
echo "== Tarn at $URL, data $DATA"

# tarn bench writes bench/0B/o00000000... (size 0) and a marker bench/0B.populated-N; a run that finds the
# marker reuses the keys. --op list --requests 1 then reads one page: it is only here for the populate step.
fill() { # bucket objects
  local started ended out
  started=$(date +%s.%N)
  out=$(java -jar "$JAR" bench --endpoint "$URL" --bucket "$1" --op list --size 0 --objects "$2" \
    --populate-clients 64 --clients 1 --requests 1 2>&1) || { echo "$out" >&2; die "filling $1 failed"; }
  ended=$(date +%s.%N)
  echo "$out" | grep -E 'populat|done in|reus' || true
  awk -v b="$1" -v n="$2" -v s="$started" -v e="$ended" 'BEGIN { printf "   %s: %s keys under bench/0B/ ready in %.1f s\n", b, n, e - s }'
}
echo "== filling the prefixes"
fill console-bench-big "$KEYS"
fill console-bench-small 10
fill console-bench-control 1000

echo "== the browser measurements (mvn -pl it-tests -Dtest=ConsoleBench)"
rm -f "$ROOT/it-tests/target/console-bench.txt"
(cd "$ROOT" && TARN_BENCH_ENDPOINT=$URL TARN_BENCH_ACCESS_KEY=$TARN_ACCESS_KEY TARN_BENCH_SECRET_KEY=$TARN_SECRET_KEY \
  TARN_BENCH_BIG=console-bench-big/bench/0B/ TARN_BENCH_SMALL=console-bench-small/bench/0B/ \
  TARN_BENCH_CONTROL=console-bench-control/bench/0B/ TARN_BENCH_ROUNDS=$ROUNDS \
  mvn -B -o -q -pl it-tests -am verify -Dtest=ConsoleBench -Dsurefire.failIfNoSpecifiedTests=false) \
  || die "the browser measurements failed (it-tests/target/surefire-reports/io.tarn.it.ConsoleBench*.txt)"
cat "$ROOT/it-tests/target/console-bench.txt"

echo
echo "== curl cross-check: every file of the console (what the first load fetches), body bytes"
WEB="$ROOT/console-api/src/main/resources/io/tarn/console/web"
plain=0; gz=0; n=0
while IFS= read -r f; do
  rel=${f#"$WEB"/}
  [ "$rel" = index.html ] && path=/_tarn/console/ || path=/_tarn/console/$rel
  p=$(curl -s -o /dev/null -w '%{size_download}' "$URL$path")
  g=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "$URL$path")
  plain=$((plain + p)); gz=$((gz + g)); n=$((n + 1))
done < <(find "$WEB" -type f \( -name '*.html' -o -name '*.css' -o -name '*.js' \) | sort)
awk -v n="$n" -v p="$plain" -v g="$gz" 'BEGIN {
  printf "  %d files: %.1f KiB uncompressed, %.1f KiB with gzip\n", n, p / 1024, g / 1024 }'
