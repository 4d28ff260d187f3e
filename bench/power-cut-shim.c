/*
 * power-cut-shim: an LD_PRELOAD library that records what a process has FORCED to disk, so that
 * bench/power-cut.py can rebuild, after a SIGKILL, the data directory a power loss at that instant
 * could have left (bench/README.md, "Simulated power loss", explains the model and its limits).
 *
 * Environment (the shim does nothing without POWERCUT_LOG):
 *   POWERCUT_LOG    log file, appended to with one write(2) per record (O_APPEND: records never interleave)
 *   POWERCUT_ROOT   absolute path of the data directory: only syncs of files under it are recorded
 *   POWERCUT_GRAVE  a directory on the same filesystem: a regular file about to lose a name (unlink,
 *                   or a rename over it) is first hard-linked there as <inode>, because a power loss
 *                   may bring that name back if its directory was not synced afterwards, and the rebuild
 *                   then needs the inode's bytes
 *
 * Records (after the real call returned 0; sizes and listings are taken BEFORE it, so nothing written
 * concurrently with the sync is claimed as forced):
 *   F <fsync|fdatasync> <inode> <size> <path>      a regular file: its first <size> bytes are durable
 *   D <seq> <inode> <path>\n{e <inode> <name>\n}... .\n  a directory: exactly these entries are durable
 * Listings are taken under one lock and numbered (<seq>) in the order they were taken: records are
 * appended when their sync returns, so two threads syncing one directory at once can log an older
 * listing after a newer one; the rebuild keeps the listing with the highest <seq>, never the last logged.
 * Build: gcc -shared -fPIC -O2 -o power-cut-shim.so power-cut-shim.c -ldl
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <sys/types.h>
#include <unistd.h>

static int log_fd = -2; /* -2: not initialised; -1: disabled */
static pthread_mutex_t listing_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long listing_seq;
static char root[PATH_MAX];
static size_t root_len;
static char grave[PATH_MAX - 32]; /* room for "/<inode>" */
static dev_t root_dev;

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_renameat2)(int, const char *, int, const char *, unsigned int);

__attribute__((constructor)) static void init(void) {
  real_fsync = dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
  real_unlink = dlsym(RTLD_NEXT, "unlink");
  real_unlinkat = dlsym(RTLD_NEXT, "unlinkat");
  real_rename = dlsym(RTLD_NEXT, "rename");
  real_renameat = dlsym(RTLD_NEXT, "renameat");
  real_renameat2 = dlsym(RTLD_NEXT, "renameat2");
  const char *l = getenv("POWERCUT_LOG"), *r = getenv("POWERCUT_ROOT"), *g = getenv("POWERCUT_GRAVE");
  struct stat st;
  if (!l || !r || !g || strlen(r) >= sizeof root || strlen(g) >= sizeof grave || stat(r, &st) != 0) {
    log_fd = -1;
    return;
  }
  strcpy(root, r);
  root_len = strlen(root);
  strcpy(grave, g);
  root_dev = st.st_dev;
  log_fd = open(l, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

/* The path an fd names, if it is under the data directory. */
static int tracked_path(int fd, char *out, size_t n) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t len = readlink(link, out, n - 1);
  if (len <= 0) {
    return 0;
  }
  out[len] = 0;
  return strncmp(out, root, root_len) == 0 && (out[root_len] == 0 || out[root_len] == '/');
}

struct buf {
  char *p;
  size_t len, cap;
};

static void put(struct buf *b, const char *fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
      return;
    }
    if (b->p && b->len + (size_t) n < b->cap) {
      b->len += (size_t) n;
      return;
    }
    size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t) n;
    char *p = realloc(b->p, cap);
    if (!p) {
      return;
    }
    b->p = p;
    b->cap = cap;
  }
}

/* Size (file) or listing (directory) of fd, taken before the real sync; NULL if not tracked. */
static struct buf *describe(int fd, const char *call) {
  if (log_fd < 0) {
    return NULL;
  }
  char path[PATH_MAX];
  struct stat st;
  if (!tracked_path(fd, path, sizeof path) || fstat(fd, &st) != 0) {
    return NULL;
  }
  struct buf *b = calloc(1, sizeof *b);
  if (!b) {
    return NULL;
  }
  if (S_ISREG(st.st_mode)) {
    put(b, "F %s %llu %lld %s\n", call, (unsigned long long) st.st_ino, (long long) st.st_size, path);
  } else if (S_ISDIR(st.st_mode)) {
    int d = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir = d >= 0 ? fdopendir(d) : NULL;
    if (!dir) {
      if (d >= 0) {
        close(d);
      }
      free(b);
      return NULL;
    }
    pthread_mutex_lock(&listing_lock);
    put(b, "D %llu %llu %s\n", ++listing_seq, (unsigned long long) st.st_ino, path);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
        put(b, "e %llu %s\n", (unsigned long long) e->d_ino, e->d_name);
      }
    }
    pthread_mutex_unlock(&listing_lock);
    closedir(dir);
    put(b, ".\n");
  } else {
    free(b);
    return NULL;
  }
  return b;
}

static void record(struct buf *b, int rc) {
  if (!b) {
    return;
  }
  if (rc == 0 && b->p) {
    /* One write: O_APPEND keeps records whole even when threads sync at once. */
    ssize_t w = write(log_fd, b->p, b->len);
    (void) w;
  }
  free(b->p);
  free(b);
}

/* The real sync, recorded: what fd holds is described before it, logged once it returned 0. */
static int synced(int fd, const char *call, int (*real)(int)) {
  struct buf *b = describe(fd, call);
  int rc = real(fd);
  int saved = errno;
  record(b, rc);
  errno = saved;
  return rc;
}

int fsync(int fd) {
  return synced(fd, "fsync", real_fsync);
}

int fdatasync(int fd) {
  return synced(fd, "fdatasync", real_fdatasync);
}

/* Keeps the inode of a regular file that is about to lose a name (see POWERCUT_GRAVE). */
static void bury(int dirfd, const char *path) {
  if (log_fd < 0) {
    return;
  }
  int saved = errno;
  struct stat st;
  if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) && st.st_dev == root_dev) {
    char to[PATH_MAX];
    snprintf(to, sizeof to, "%s/%llu", grave, (unsigned long long) st.st_ino);
    linkat(dirfd, path, AT_FDCWD, to, 0); /* EEXIST: already kept */
  }
  errno = saved;
}

int unlink(const char *path) {
  bury(AT_FDCWD, path);
  return real_unlink(path);
}

int unlinkat(int dirfd, const char *path, int flags) {
  if (!(flags & AT_REMOVEDIR)) {
    bury(dirfd, path);
  }
  return real_unlinkat(dirfd, path, flags);
}

int rename(const char *from, const char *to) {
  bury(AT_FDCWD, to);
  return real_rename(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to) {
  bury(tofd, to);
  return real_renameat(fromfd, from, tofd, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned int flags) {
  bury(tofd, to);
  return real_renameat2(fromfd, from, tofd, to, flags);
}
