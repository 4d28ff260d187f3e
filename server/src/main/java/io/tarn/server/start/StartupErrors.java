package io.tarn.server.start;

import io.tarn.storage.StorageException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * Turns whatever stops {@code tarn server} from starting into one line and an {@link Exit} code: an
 * operator reads what failed and which thing (address, path, pid, key) instead of a Java stack trace.
 * With {@code --debug} the trace follows the line.
 */
public final class StartupErrors {
  /** The start itself: returns the exit code once the server has stopped. */
  @FunctionalInterface
  public interface Start {
    int run() throws Exception;
  }

  private StartupErrors() {}

  /** Runs {@code start}; a failure is printed on {@code err} as one line and becomes its exit code. */
  public static int run(boolean debug, PrintStream err, Start start) {
    try {
      return start.run();
    } catch (Exception | LinkageError | AssertionError e) {
      StartupFailure f = classify(e);
      String line = oneLine(f.getMessage());
      err.println(f.exit() == Exit.UNEXPECTED && !debug ? line + " (run with --debug for details)" : line);
      if (debug) {
        (f.getCause() != null ? f.getCause() : f).printStackTrace(err);
      }
      err.flush();
      return f.exit().code();
    }
  }

  /** The failure's class and line. */
  static StartupFailure classify(Throwable e) {
    if (e instanceof StartupFailure f) {
      return f;
    }
    if (e instanceof StorageException s) {
      switch (s.kind()) {
        case LOCKED:
          return new StartupFailure(Exit.LOCKED, s.getMessage(), s);
        case MASTER_KEY:
          return new StartupFailure(Exit.MASTER_KEY, s.getMessage(), s);
        case INCOMPATIBLE:
          return new StartupFailure(Exit.STORE, s.getMessage(), s);
        default:
          StartupFailure denied = permission(s);
          return denied != null ? denied : new StartupFailure(Exit.STORE, s.getMessage(), s);
      }
    }
    StartupFailure denied = permission(e);
    if (denied != null) {
      return denied;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof FileSystemException fs && fs.getFile() != null) {
        return new StartupFailure(Exit.DATA_DIRECTORY, "cannot use " + fs.getFile() + ": "
            + (fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName()), e);
      }
    }
    return new StartupFailure(Exit.UNEXPECTED, "unexpected failure at start: " + e.getClass().getName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
  }

  /**
   * The failure of opening the store in {@code data}: its class, and for a refused store (IO) the data
   * directory named in front of storage's message; LOCKED, MASTER_KEY and INCOMPATIBLE messages name it
   * already.
   */
  public static StartupFailure storeFailure(java.nio.file.Path data, StorageException e) {
    StartupFailure f = classify(e);
    if (f.exit() == Exit.STORE && e.kind() != StorageException.Kind.INCOMPATIBLE) {
      return new StartupFailure(Exit.STORE, "cannot open the data directory " + data + ": " + e.getMessage(), e);
    }
    return f;
  }

  /**
   * A missing permission anywhere in {@code e}'s causes, naming the file and the user: the JDK's
   * {@link AccessDeniedException}, or RocksDB's "...: Permission denied" (its exceptions carry only text).
   */
  private static StartupFailure permission(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof AccessDeniedException a) {
        return new StartupFailure(Exit.DATA_DIRECTORY, "permission denied: user " + user() + " cannot "
            + "access " + a.getFile() + (a.getReason() == null ? "" : " (" + a.getReason() + ")"), e);
      }
      String m = c.getMessage();
      if (m != null && m.contains("Permission denied")) {
        return new StartupFailure(Exit.DATA_DIRECTORY, "permission denied (user " + user() + "): " + m, e);
      }
    }
    return null;
  }

  /**
   * The failure of binding {@code address}: a {@link StartupFailure} of class ADDRESS if it is one
   * ({@code cannot listen on 0.0.0.0:9000: address already in use}), else {@code e} as it is.
   */
  public static Exception listenFailure(String address, Exception e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof BindException b) {
        String reason = b.getMessage() == null ? "cannot bind" : b.getMessage().toLowerCase(Locale.ROOT);
        if (reason.contains("permission denied")) {
          reason += " (ports below 1024 need root or the CAP_NET_BIND_SERVICE capability)";
        } else if (reason.contains("cannot assign requested address")) {
          reason += " (the host is not an address of this machine)";
        }
        return new StartupFailure(Exit.ADDRESS, "cannot listen on " + address + ": " + reason, e);
      }
      if (c instanceof UnresolvedAddressException) {
        return new StartupFailure(Exit.ADDRESS, "cannot listen on " + address + ": the host name does not resolve", e);
      }
    }
    return e;
  }

  private static String user() {
    return System.getProperty("user.name", "?");
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
