package io.tarn.notifications.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to its addresses. Blocking; {@link NettySender} calls it off the caller's
 * thread and off the event loop. Only names reach it: numeric hosts are parsed by {@link InetLiterals}
 * first, because the JDK would read {@code 0177.0.0.1} as 177.0.0.1 and send {@code 0x7f.1} to DNS.
 */
@FunctionalInterface
public interface Resolver {
  /** Every address of {@code host}, in the order to try; never empty (throw instead). */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The JDK resolver ({@link InetAddress#getAllByName}), with its positive/negative cache. */
  static Resolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
