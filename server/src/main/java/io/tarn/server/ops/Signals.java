package io.tarn.server.ops;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.IntConsumer;

/**
 * Handlers for SIGTERM and SIGINT in place of the JVM's, which start the shutdown hooks: a hook
 * cannot tell a second signal from the first (the JVM ignores it while the hooks run), and the JVM
 * then exits with 128 + the signal's number, never 0. The JDK's only API for this is
 * {@code sun.misc.Signal} (module jdk.unsupported, exported, present in every JDK 17 build); it is
 * reached by reflection because javac flags every direct use as "internal proprietary API" with a
 * warning no annotation suppresses, and warnings are errors in this build.
 */
final class Signals {
  private static final System.Logger LOG = System.getLogger(Signals.class.getName());

  private Signals() {}

  /**
   * Sends SIGTERM and SIGINT to {@code handler} (with the signal's number) on the JVM's signal thread.
   *
   * @return false if they could not be installed (the JVM's own handling then stays)
   */
  static boolean handleTermAndInt(IntConsumer handler) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Method number = signal.getMethod("getNumber");
      Object proxy = Proxy.newProxyInstance(handlerType.getClassLoader() == null
          ? ClassLoader.getSystemClassLoader() : handlerType.getClassLoader(), new Class<?>[] {handlerType},
          (self, method, args) -> {
            switch (method.getName()) {
              case "handle" -> handler.accept((Integer) number.invoke(args[0]));
              case "hashCode" -> {
                return System.identityHashCode(self);
              }
              case "equals" -> {
                return self == args[0];
              }
              case "toString" -> {
                return "tarn-signal-handler";
              }
              default -> { }
            }
            return null;
          });
      Method handle = signal.getMethod("handle", signal, handlerType);
      for (String name : new String[] {"TERM", "INT"}) {
        handle.invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "cannot handle SIGTERM/SIGINT (" + e + "): a signal stops the server"
          + " through the JVM's shutdown hooks instead, with the same drain, exit code 128 + the signal's number,"
          + " and a second signal is ignored");
      return false;
    }
  }
}
