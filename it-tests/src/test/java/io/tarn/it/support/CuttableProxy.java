package io.tarn.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on 127.0.0.1 in front of a server, whose link can be cut: {@link #cut} resets every
 * open connection and refuses new ones (a dropped network, as the client sees it: connections reset, the
 * server unreachable) until {@link #restore}. Bytes pass unchanged, so the client's {@code Host} (this
 * forwarder's address) is what the server sees, as for any client.
 */
public final class CuttableProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean down;

  public CuttableProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    daemon("proxy-accept", this::acceptLoop);
  }

  /** The forwarder's address, to give the client instead of the server's. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** Resets every open connection and refuses new ones until {@link #restore}. */
  public void cut() {
    down = true;
    open.forEach(this::reset);
  }

  public void restore() {
    down = false;
  }

  @Override
  public void close() {
    cut();
    try {
      listener.close();
    } catch (IOException e) {
      // Closing: nothing is left to serve.
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (down) {
        reset(client);
        continue;
      }
      try {
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(server);
        AtomicInteger ended = new AtomicInteger();
        Runnable end = () -> {
          if (ended.incrementAndGet() == 2) {
            close(client);
            close(server);
          }
        };
        daemon("proxy-up", () -> pump(client, server, end));
        daemon("proxy-down", () -> pump(server, client, end));
      } catch (IOException e) {
        reset(client);
      }
    }
  }

  /** Copies one direction; its end is passed on as such (FIN), so nothing sent before it is lost. */
  private void pump(Socket from, Socket to, Runnable end) {
    byte[] buf = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // A cut, or the other side reset: both ends go.
      reset(from);
      reset(to);
    } finally {
      end.run();
    }
  }

  private void close(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  /** Closes with a TCP reset (linger 0), as a dropped link looks to the peer. */
  private void reset(Socket s) {
    open.remove(s);
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }
}
