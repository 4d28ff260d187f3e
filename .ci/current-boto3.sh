#!/usr/bin/env bash
# (A copy of the team's shared/tools/current-boto3.sh, kept here so a clean clone has it.)
# Unpacks a current boto3/botocore/s3transfer (Debian 13's arch-independent python3-boto3 1.37.x) into a
# private directory, without touching the system's apt sources or Python, and prints the PYTHONPATH to use:
#   PYTHONPATH=$(../shared/tools/current-boto3.sh) /usr/bin/python3 -c 'import boto3; print(boto3.__version__)'
# Debian 12's python3-boto3 is 1.26 (2022): it predates the SDKs' default checksums (on by default since
# early 2025), so tests with it miss what today's clients do. Idempotent; needs apt-get and dpkg-deb.
set -euo pipefail
DIR=${CURRENT_BOTO3_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tarn-it/boto3-current}
SITE="$DIR/vendor/usr/lib/python3/dist-packages"
if [ ! -f "$DIR/.ok" ]; then
  APTD="$DIR/apt"; mkdir -p "$APTD/lists/partial" "$APTD/cache/archives/partial" "$APTD/debs"
  MIRROR=$(sed -n 's/^URIs: *\([^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
  [ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb" && $2 ~ /\/debian$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
  [ -n "$MIRROR" ] || { echo "current-boto3: no Debian mirror found in the apt sources" >&2; exit 1; }
  echo "deb $MIRROR trixie main" > "$APTD/sources.list"
  A=(-o Dir::Etc::SourceList="$APTD/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$APTD/lists" -o Dir::Cache="$APTD/cache" -o Debug::NoLocking=1)
  [ "$(id -u)" = 0 ] && A+=(-o APT::Sandbox::User=root)
  apt-get "${A[@]}" update -qq >&2
  ( cd "$APTD/debs" && rm -f ./*.deb && apt-get "${A[@]}" download python3-botocore python3-boto3 python3-s3transfer >&2 )
  rm -rf "$DIR/vendor"; mkdir -p "$DIR/vendor"
  for d in "$APTD"/debs/*.deb; do dpkg-deb -x "$d" "$DIR/vendor"; done
  PYTHONPATH="$SITE" /usr/bin/python3 -c 'import boto3, botocore, s3transfer' >&2
  touch "$DIR/.ok"
fi
echo "$SITE"
