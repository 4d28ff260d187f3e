#!/usr/bin/env bash
# The kill -9 loop (a long loop, run by hand; the suite's short guard is Boto3Test's empty-PUT case).
# Each cycle starts Tarn on the same data dir, runs 8 boto3 (current, default settings) writer threads
# (0 B to 9 MiB+1 objects and 2-part multipart uploads; every acknowledged key and MD5 appended to an
# fsynced journal), sends SIGKILL 1.5-4.5 s later, then kills the writer. At the end every journaled key
# is read back and compared; with --snapshots, meta/ is copied after every kill, so a lost key can be
# looked for in the state the kill left (was it ever committed?).
#
# Usage (from the project root, after `mvn -B -q package -DskipTests`):
#   bench/kill-loop.sh [CYCLES] [--snapshots]
# Prints "N acknowledged writes, M lost" and the paths of the data dir, journal and server log.
set -u
CYCLES=${1:-12}
SNAPSHOTS=0
[ "${2:-}" = "--snapshots" ] && SNAPSHOTS=1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/server/target/tarn.jar
PYP=$("$ROOT/.ci/current-boto3.sh") || exit 1
export TARN_ROOT_ACCESS_KEY=killloopadmin TARN_ROOT_SECRET_KEY=killloopsecret00000000000000000000
DATA=$(mktemp -d "${TMPDIR:-/tmp}/tarn-kill-loop.XXXXXX"); J=$DATA.journal; : >"$J"
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
EP=http://127.0.0.1:$PORT
start() {
  java -Xmx512m -jar "$JAR" server --data "$DATA" --address 127.0.0.1:$PORT >>"$DATA.log" 2>&1 & SPID=$!
  for _ in $(seq 1 120); do curl -s -o /dev/null "$EP/" && return 0; sleep 0.5; done; echo "server did not start"; exit 1
}
for i in $(seq 1 "$CYCLES"); do
  start
  PYTHONPATH=$PYP python3 "$ROOT/bench/kill-loop-writer.py" write "$EP" "$TARN_ROOT_ACCESS_KEY" "$TARN_ROOT_SECRET_KEY" "$J" & W=$!
  sleep "$(python3 -c 'import random;print(round(random.uniform(1.5,4.5),2))')"
  kill -9 $SPID; wait $SPID 2>/dev/null
  kill $W 2>/dev/null; wait $W 2>/dev/null
  echo "cycle $i ends at journal line $(wc -l < "$J")" >> "$J.cycles"
  [ $SNAPSHOTS = 1 ] && cp -a "$DATA/meta" "$DATA.meta-after-kill-$i"
done
start
sleep 2
PYTHONPATH=$PYP python3 "$ROOT/bench/kill-loop-writer.py" verify "$EP" "$TARN_ROOT_ACCESS_KEY" "$TARN_ROOT_SECRET_KEY" "$J"
kill $SPID; wait $SPID 2>/dev/null
echo "data: $DATA  journal: $J (cycles: $J.cycles)  server log: $DATA.log"
