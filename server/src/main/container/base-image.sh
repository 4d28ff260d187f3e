#!/bin/sh
# Builds the base image of Tarn's container image, offline, as a 'docker save' tarball that Jib reads
# with a tar:// base image reference (the build reaches no container registry; issue #14):
#   - a Java runtime cut to the modules Tarn uses (jlink of the building JDK) at /opt/java, with its
#     class-data-sharing archive;
#   - the shared libraries that runtime and RocksDB's JNI library link against, copied from the
#     building host (so the image has the host's architecture and glibc);
#   - /etc/passwd and /etc/group with the unprivileged user tarn (10001:10001), /tmp (1777: RocksDB
#     unpacks its JNI library there), /data owned by tarn (a named volume starts as a copy of it).
# Usage: base-image.sh OUT_DIR JAR JDK_HOME   (writes OUT_DIR/base-image.tar)
set -eu

out=$1
jar=$2
jdk=$3
# jdeps --print-module-deps on tarn.jar, without java.desktop (only Jackson's optional java.beans
# support refers to it), plus jdk.crypto.ec (TLS with EC keys).
modules=java.base,java.naming,java.net.http,java.sql,jdk.management,jdk.unsupported,jdk.crypto.ec

root=$out/rootfs
rm -rf "$root" "$out/base-image.tar" "$out/layer.tar"
mkdir -p "$root"

[ -d "$jdk/jmods" ] || { echo "base-image.sh: $jdk has no jmods/ (a full JDK is needed to jlink the runtime)" >&2; exit 1; }
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$root/opt/java"
# Distributions link cacerts, tzdb.dat and the like out of the JDK (e.g. Debian's /etc/ssl/certs/java):
# replace every symbolic link by what it points at.
find "$root/opt/java" -type l | while IFS= read -r link; do
  target=$(readlink -f -- "$link")
  rm -f -- "$link"
  cp -- "$target" "$link"
done
# The JDK's default CDS archive for this runtime: a faster start, and needed for AppCDS.
"$root/opt/java/bin/java" -Xshare:dump >/dev/null

# Shared libraries: what the runtime and RocksDB's JNI library need, with the dynamic loader.
tmp=$out/native
rm -rf "$tmp"
mkdir -p "$tmp"
(cd "$tmp" && "$jdk/bin/jar" xf "$jar" librocksdbjni-linux64.so)
libs=$(for f in "$root/opt/java/bin/java" $(find "$root/opt/java/lib" -name '*.so') "$tmp/librocksdbjni-linux64.so"; do
  ldd "$f" 2>/dev/null | sed -n 's/^.*=> \(\/[^ ]*\) .*$/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*$/\1/p'
done | sort -u)
for lib in $libs; do
  case $lib in "$root"/*) continue ;; esac
  mkdir -p "$root$(dirname -- "$lib")"
  cp -L -- "$lib" "$root$lib"
done
rm -rf "$tmp"
# The loader's usual name is a symlink to the real file: keep both paths working.
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || { [ -e /lib64/ld-linux-x86-64.so.2 ] && mkdir -p "$root/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"; }

mkdir -p "$root/etc" "$root/tmp" "$root/data"
printf 'root:x:0:0:root:/root:/sbin/nologin\ntarn:x:10001:10001:Tarn:/data:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\ntarn:x:10001:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
chmod 1777 "$root/tmp"
chmod 0700 "$root/data"

# One layer; owners set in the tar (root everywhere, tarn for /data), times fixed: reproducible.
layer=$out/layer.tar
tar_opts="--numeric-owner --sort=name --mtime=@0 --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime"
# shellcheck disable=SC2086
tar $tar_opts --owner=0 --group=0 -cf "$layer" -C "$root" $(cd "$root" && ls | grep -v '^data$')
# shellcheck disable=SC2086
tar $tar_opts --owner=10001 --group=10001 -rf "$layer" -C "$root" data
diff_id=$(sha256sum "$layer" | cut -d' ' -f1)

cat > "$out/config.json" <<JSON
{"architecture":"$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')","os":"linux",
 "config":{"Env":["PATH=/opt/java/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"server/src/main/container/base-image.sh"}]}
JSON
printf '[{"Config":"config.json","RepoTags":["tarn-base:local"],"Layers":["layer.tar"]}]\n' > "$out/manifest.json"
tar --numeric-owner --owner=0 --group=0 --mtime=@0 -cf "$out/base-image.tar" -C "$out" manifest.json config.json layer.tar
rm -f "$layer" "$out/config.json" "$out/manifest.json"
