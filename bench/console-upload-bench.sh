#!/usr/bin/env bash
# Browser multipart upload throughput against aws-cli's (issue 12: target >= 80 % of aws-cli's MiB/s).
# The same file (default 1 GiB) is uploaded to one fresh Tarn by the console in headless Chromium (file
# input, presigned multipart upload) and by `aws s3 cp` with aws-cli's default transfer settings — PATH's
# `aws` and /usr/bin/aws — in --rounds interleaved rounds whose order rotates, so a machine that speeds up
# or slows down during the run favours none of them. Prints MiB/s per run, the medians and the ratios.
#
# The work is done by it-tests' ConsoleUploadBench (driven through the Browser fixture; its name keeps it
# out of the normal test run), run here through Maven offline. Needs chromium, chromedriver and aws-cli.
# Usage: bench/console-upload-bench.sh [--size-mib 1024] [--rounds 3] [--out FILE]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE=1024
ROUNDS=3
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mib) SIZE=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "console-upload-bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
case "$SIZE" in ''|*[!0-9]*) echo "console-upload-bench: --size-mib wants a whole number" >&2; exit 2 ;; esac
case "$ROUNDS" in ''|*[!0-9]*) echo "console-upload-bench: --rounds wants a whole number" >&2; exit 2 ;; esac

REPORT=$(mktemp "${TMPDIR:-/tmp}/tarn-console-upload-bench.XXXXXX")
LOG="$REPORT.log"
trap 'rm -f "$REPORT"' EXIT
cd "$ROOT"
# CI=true: a missing chromium or aws-cli fails instead of skipping the measurement.
if ! CI=true mvn -B -o -pl it-tests -am verify -Dtest=ConsoleUploadBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.size="$SIZE" -Dbench.rounds="$ROUNDS" -Dbench.out="$REPORT" >"$LOG" 2>&1; then
  grep -E 'ERROR|FAIL' "$LOG" | head -40 >&2 || true
  echo "console-upload-bench: the run failed; Maven's output is in $LOG" >&2
  exit 1
fi

cat "$REPORT"
if [ -n "$OUT" ]; then cp "$REPORT" "$OUT"; fi
rm -f "$LOG"
