"""Rebuilds the data directory a power loss could leave, from what bench/power-cut-shim.c saw forced.

  baseline DATA OUT.json                 what is durable when a cycle starts: every name and every byte
                                         of DATA (the directory is itself a rebuilt one, or new)
  rebuild DATA BASELINE LOG GRAVE NEW    after the SIGKILL: build NEW holding only forced state

The model (bench/README.md, "Simulated power loss"): a directory's entries are those its last fsync
saw (listed by the shim just before the call), else those of the baseline, else none (a directory
created and never synced is empty); an entry survives with the inode it named then, and a regular
file keeps the size its last fsync/fdatasync saw, else its baseline size, else 0 (a name made durable
for a file whose data never was). The bytes are the inode's current bytes up to that size: the
writers in a Tarn data directory only append to a file or write it once (RocksDB's WAL, MANIFEST,
SST and blob files; Tarn's blob files), so what was forced is a prefix of what is there now. A file
whose name was removed since is found in GRAVE (the shim hard-links it there by inode first).

NEW shares inodes with DATA where a file is kept whole (a hard link; DATA is removed afterwards) and
gets a truncated copy otherwise. Prints one JSON line of counts; exit status 1 if the model was
broken (an inode to keep was found nowhere, or a file had shrunk below its forced size).
"""
import json
import os
import shutil
import stat
import sys


def baseline(data, out):
    dirs, sizes = {}, {}
    for d, subdirs, files in os.walk(data):
        entries = {}
        for name in subdirs + files:
            st = os.lstat(os.path.join(d, name))
            entries[name] = st.st_ino
            if stat.S_ISREG(st.st_mode):
                sizes[st.st_ino] = st.st_size
        dirs[os.lstat(d).st_ino] = entries
    with open(out, "w") as f:
        json.dump({"root": os.lstat(data).st_ino, "dirs": dirs, "sizes": sizes}, f)


def parse_log(path):
    """Newest listing per directory inode, largest forced size per file inode, and the calls seen by kind."""
    dirs, sizes, calls, seqs = {}, {}, {}, {}
    if not os.path.exists(path):
        return dirs, sizes, calls
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("F "):
            _, call, ino, size, p = line.split(" ", 4)
            # Files are appended to: the largest forced size is durable, whichever sync logged last.
            sizes[int(ino)] = max(int(size), sizes.get(int(ino), 0))
            kind = "rocksdb" if "/meta/" in p else "tarn"
            calls[f"{kind} {call}"] = calls.get(f"{kind} {call}", 0) + 1
            i += 1
        elif line.startswith("D "):
            _, seq, ino, p = line.split(" ", 3)
            entries, j = {}, i + 1
            while j < len(lines) and lines[j].startswith("e "):
                _, eino, name = lines[j].split(" ", 2)
                entries[name] = int(eino)
                j += 1
            if j < len(lines) and lines[j] == ".":  # a whole record (never torn: one write(2) each)
                # The newest listing, by when it was taken (<seq>), not by when its sync returned.
                if int(seq) > seqs.get(int(ino), -1):
                    dirs[int(ino)], seqs[int(ino)] = entries, int(seq)
                kind = "rocksdb" if p.endswith("/meta") else "tarn"
                calls[f"{kind} dir fsync"] = calls.get(f"{kind} dir fsync", 0) + 1
            i = j + 1
        else:
            i += 1
    return dirs, sizes, calls


def rebuild(data, base_path, log, grave, new):
    with open(base_path) as f:
        base = json.load(f)
    base_dirs = {int(k): {n: int(i) for n, i in v.items()} for k, v in base["dirs"].items()}
    base_sizes = {int(k): v for k, v in base["sizes"].items()}
    log_dirs, log_sizes, calls = parse_log(log)
    now = {}  # inode -> (path, stat) of what DATA holds now, and the kept inodes in GRAVE
    for d, subdirs, files in os.walk(data):
        now.setdefault(os.lstat(d).st_ino, (d, os.lstat(d)))
        for name in subdirs + files:
            p = os.path.join(d, name)
            st = os.lstat(p)
            now.setdefault(st.st_ino, (p, st))
    if os.path.isdir(grave):
        for name in os.listdir(grave):
            p = os.path.join(grave, name)
            st = os.lstat(p)
            now.setdefault(st.st_ino, (p, st))
    counts = {"files": 0, "linked": 0, "truncated": 0, "bytesDropped": 0, "emptied": 0, "fromGrave": 0,
              "namesDropped": 0, "namesRevived": 0, "unrecoverable": 0, "shrunk": 0}
    problems = []
    seen_inode_path = {}

    def build(dir_ino, src_dir, dst_dir):
        entries = log_dirs.get(dir_ino, base_dirs.get(dir_ino, {}))
        current = set(os.listdir(src_dir)) if src_dir and os.path.isdir(src_dir) else set()
        counts["namesDropped"] += len(current - set(entries))
        counts["namesRevived"] += len(set(entries) - current)
        for name, ino in sorted(entries.items()):
            dst = os.path.join(dst_dir, name)
            if ino not in now:
                counts["unrecoverable"] += 1
                problems.append(f"{dst}: inode {ino} is gone")
                continue
            p, st = now[ino]
            if stat.S_ISDIR(st.st_mode):
                os.mkdir(dst, stat.S_IMODE(st.st_mode))
                build(ino, p, dst)
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            counts["files"] += 1
            if p.startswith(grave + os.sep):
                counts["fromGrave"] += 1
            if ino in seen_inode_path:  # another name of the same inode (Tarn hard-links on copy)
                os.link(seen_inode_path[ino], dst)
                continue
            size = log_sizes.get(ino, base_sizes.get(ino, 0))
            if st.st_size < size:
                counts["shrunk"] += 1
                problems.append(f"{dst}: {st.st_size} bytes now, {size} forced: not an append-only file")
            if size >= st.st_size:
                os.link(p, dst)
                counts["linked"] += 1
            else:
                if size == 0:
                    counts["emptied"] += 1
                else:
                    counts["truncated"] += 1
                counts["bytesDropped"] += st.st_size - size
                with open(p, "rb") as fin, open(dst, "xb") as fout:
                    left = size
                    while left > 0:
                        chunk = fin.read(min(left, 1 << 20))
                        if not chunk:
                            break
                        fout.write(chunk)
                        left -= len(chunk)
                os.chmod(dst, stat.S_IMODE(st.st_mode))
            seen_inode_path[ino] = dst

    os.mkdir(new, stat.S_IMODE(os.lstat(data).st_mode))
    build(base["root"], data, new)
    counts["calls"] = calls
    for p in problems:
        print(p, file=sys.stderr)
    print(json.dumps(counts, separators=(",", ":")))
    return 1 if counts["unrecoverable"] or counts["shrunk"] else 0


if __name__ == "__main__":
    if sys.argv[1] == "baseline":
        baseline(sys.argv[2], sys.argv[3])
    else:
        sys.exit(rebuild(*sys.argv[2:7]))
