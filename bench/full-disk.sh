#!/usr/bin/env bash
# A full disk, for real (issue 11): Tarn on a loop-mounted 64 MiB ext4 file system, filled by PUTs
# until the free-space floor answers 507, then by a competing `dd` to the last block, so that RocksDB
# itself meets ENOSPC. Checks that: refused writes are a clean 507 StorageFull (no retries by the
# client, nothing left in tmp/), stored objects read back intact, DELETE works on the full disk (the
# reserve is given up so RocksDB can commit it), and PUT works again, without a restart, once the
# filler is removed (RocksDB reopened, the reserve written back). Prints a summary; exit 0 when all hold.
#
# Needs root (mount -o loop) and python3 with boto3 (Debian's, default settings).
# Usage (from the project root, after `mvn -B -o -q package -DskipTests`): bench/full-disk.sh [SIZE_MIB]
# TARN_JAR runs another build (e.g. one from before issue 11, with TARN_SPACE_ARGS= as it has no such options).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${TARN_JAR:-$ROOT/server/target/tarn.jar}
SPACE_ARGS=${TARN_SPACE_ARGS---min-free-space 8MiB --space-reserve 4MiB}
SIZE_MIB=${1:-64}
[ "$(id -u)" = 0 ] || { echo "full-disk.sh needs root (mount -o loop)"; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tarn-full-disk.XXXXXX")
IMG=$WORK/fs.img MNT=$WORK/mnt LOG=$WORK/server.log SPID=
cleanup() {
  [ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
  mountpoint -q "$MNT" && umount "$MNT"
  rm -f "$IMG"
  echo "server log: $LOG"
}
trap cleanup EXIT
mkdir -p "$MNT"
# -m 0: no blocks reserved for root. We run as root, so with ext4's 5% root reserve the disk would
# look full to statvfs (f_bavail) before root's dd and RocksDB see ENOSPC.
truncate -s "${SIZE_MIB}M" "$IMG" && mkfs.ext4 -q -m 0 "$IMG" && mount -o loop "$IMG" "$MNT" || exit 1
export TARN_ROOT_ACCESS_KEY=fulldiskadmin TARN_ROOT_SECRET_KEY=fulldisksecret0000000000000000000000
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
EP=http://127.0.0.1:$PORT
# shellcheck disable=SC2086 # SPACE_ARGS is a list of options
java -Xmx256m -jar "$JAR" server --data "$MNT/data" --address "127.0.0.1:$PORT" $SPACE_ARGS >"$LOG" 2>&1 & SPID=$!
for _ in $(seq 1 120); do curl -s -o /dev/null "$EP/" && break; sleep 0.5; done
df -k "$MNT" | awk 'NR==2 {printf "file system: %d KiB, %d KiB free after start\n", $2, $4}'

MNT=$MNT EP=$EP LOG=$LOG /usr/bin/python3 - <<'PY'
import hashlib, os, subprocess, sys
import boto3
from botocore.exceptions import ClientError

mnt, ep = os.environ["MNT"], os.environ["EP"]
s3 = boto3.client("s3", endpoint_url=ep, region_name="us-east-1",
                  aws_access_key_id=os.environ["TARN_ROOT_ACCESS_KEY"],
                  aws_secret_access_key=os.environ["TARN_ROOT_SECRET_KEY"])
results = []
def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + (": " + detail if detail else ""))
def free_kib():
    st = os.statvfs(mnt)
    return st.f_bavail * st.f_frsize // 1024
def err(e):
    return "%s %s %r, %d retries" % (e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"],
                                    e.response["Error"]["Message"], e.response["ResponseMetadata"]["RetryAttempts"])
def is_full(e):
    return (e.response["ResponseMetadata"]["HTTPStatusCode"] == 507 and e.response["Error"]["Code"] == "StorageFull"
            and e.response["ResponseMetadata"]["RetryAttempts"] == 0)

s3.create_bucket(Bucket="full")

# The disk fills while a body streams in: admitted at its head (room for it above the floor), then
# another process takes the rest. The write meets ENOSPC (or the re-check every 16 MiB refuses it).
import threading, time
def race_fill():
    deadline = time.time() + 10
    while not os.listdir(os.path.join(mnt, "data", "tmp")) and time.time() < deadline:
        time.sleep(0.001)  # until the body streams into its temp file
    subprocess.run(["dd", "if=/dev/zero", "of=" + os.path.join(mnt, "race-filler"), "bs=1M"], stderr=subprocess.DEVNULL)
racer = threading.Thread(target=race_fill)
racer.start()
try:
    s3.put_object(Bucket="full", Key="racing", Body=os.urandom(40 << 20))
    check("a body that meets a disk filling up is refused", False, "it was accepted")
except ClientError as e:
    check("a body that meets a disk filling up is a clean 507", is_full(e), err(e))
racer.join()
line = [l for l in open(os.environ["LOG"]) if "/full/racing" in l]
print("  refused by: " + ("ENOSPC under the blob write" if line and "No space left on device" in line[-1]
                          else "the floor (the disk filled before the check)"))
check("its temp file is deleted", os.listdir(os.path.join(mnt, "data", "tmp")) == [])
os.remove(os.path.join(mnt, "race-filler"))

stored = {}
refused = None
for i in range(200):
    body = os.urandom(1 << 20)
    try:
        s3.put_object(Bucket="full", Key="obj-%03d" % i, Body=body)
        stored["obj-%03d" % i] = hashlib.md5(body).hexdigest()
    except ClientError as e:
        refused = e
        break
check("PUTs stop at the floor with 507 StorageFull", refused is not None and is_full(refused),
      "%d x 1 MiB stored, then %s; %d KiB free" % (len(stored), err(refused) if refused else "no refusal", free_kib()))
check("a refused PUT leaves nothing in tmp/", os.listdir(os.path.join(mnt, "data", "tmp")) == [])

# Another process takes the rest of the disk, to the last block.
subprocess.run(["dd", "if=/dev/zero", "of=" + os.path.join(mnt, "filler"), "bs=1M"], stderr=subprocess.DEVNULL)
subprocess.run(["dd", "if=/dev/zero", "of=" + os.path.join(mnt, "filler2"), "bs=4k"], stderr=subprocess.DEVNULL)
print("filler written: %d KiB free" % free_kib())

# Metadata writes are not held to the floor: bucket creations append to RocksDB's WAL until it needs
# a block the disk no longer has. RocksDB then stops all writes (its background error).
made = 0
rocks_full = None
for i in range(5000):
    try:
        s3.create_bucket(Bucket="filler-%04d" % i)
        made += 1
    except ClientError as e:
        rocks_full = e
        break
check("RocksDB meets ENOSPC: a metadata write is a clean 507", rocks_full is not None and is_full(rocks_full),
      "%d buckets created, then %s" % (made, err(rocks_full) if rocks_full else "no failure"))

try:
    s3.put_object(Bucket="full", Key="small", Body=b"x" * 1000)  # inline: straight into RocksDB's WAL
    check("a small PUT on the full disk is refused", False, "it was accepted")
except ClientError as e:
    check("a small PUT on the full disk is a clean 507", is_full(e), err(e))
try:
    s3.put_object(Bucket="full", Key="big", Body=os.urandom(1 << 20))
    check("a 1 MiB PUT on the full disk is refused", False, "it was accepted")
except ClientError as e:
    check("a 1 MiB PUT on the full disk is a clean 507", is_full(e), err(e))

bad = [k for k, md5 in stored.items()
       if hashlib.md5(s3.get_object(Bucket="full", Key=k)["Body"].read()).hexdigest() != md5]
check("every stored object reads back intact on the full disk", not bad, "%d objects, %d wrong" % (len(stored), len(bad)))

victims = sorted(stored)[:3]
try:
    for k in victims:
        s3.delete_object(Bucket="full", Key=k)
        del stored[k]
    gone = all(s3.list_objects_v2(Bucket="full", Prefix=k)["KeyCount"] == 0 for k in victims)
    check("DELETE works on the full disk", gone, "%d deleted; %d KiB free" % (len(victims), free_kib()))
except ClientError as e:
    check("DELETE works on the full disk", False, err(e))

os.remove(os.path.join(mnt, "filler"))
os.remove(os.path.join(mnt, "filler2"))
print("filler removed: %d KiB free" % free_kib())
try:
    body = os.urandom(1 << 20)
    s3.put_object(Bucket="full", Key="after", Body=body)
    s3.put_object(Bucket="full", Key="after-small", Body=b"y" * 1000)
    ok = hashlib.md5(s3.get_object(Bucket="full", Key="after")["Body"].read()).hexdigest() == hashlib.md5(body).hexdigest()
    check("PUT works again once space is freed, no restart", ok)
except ClientError as e:
    check("PUT works again once space is freed, no restart", False, err(e))
reserve = os.path.join(mnt, "data", "reserve")
check("the reserve is back", os.path.exists(reserve) and os.path.getsize(reserve) == 4 << 20,
      "%s" % (os.path.getsize(reserve) if os.path.exists(reserve) else "missing"))
bad = [k for k, md5 in stored.items()
       if hashlib.md5(s3.get_object(Bucket="full", Key=k)["Body"].read()).hexdigest() != md5]
check("every remaining object still reads back intact", not bad, "%d objects" % len(stored))
log = open(os.environ["LOG"]).read()
check("the server log shows RocksDB's NoSpace, the reserve given up and the store reopened",
      "No space left on device" in log and "gave up the" in log and "reopened the metadata store" in log)
check("no 500 and no stack trace in the server log", " -> 500 " not in log and "\tat " not in log)
print("SUMMARY: %d of %d checks passed" % (sum(results), len(results)))
sys.exit(0 if all(results) else 1)
PY
RC=$?
kill "$SPID"; wait "$SPID" 2>/dev/null; SPID=
echo "server log lines about the disk:"
grep -E "StorageFull|reserve|reopen|full disk|No space" "$LOG" | awk '!seen[substr($0, 26, 60)]++'  | sed -e 's/^/  /' | cut -c1-240
exit $RC
