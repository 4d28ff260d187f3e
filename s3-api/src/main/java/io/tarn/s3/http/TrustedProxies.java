package io.tarn.s3.http;

import io.tarn.core.IpRange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reverse proxies whose {@code X-Forwarded-For} is believed ({@code tarn server --trusted-proxies}).
 * A request whose TCP peer is inside one of the blocks has its client address taken from the header:
 * its entries are walked from the right (the one the nearest proxy added), skipping addresses that are
 * themselves trusted proxies, and the first untrusted one is the client (nginx's {@code realip} with
 * {@code real_ip_recursive on}). Entries to the left of it were written by the client or by a proxy not
 * trusted, and may be forged: they are never looked at. An entry that is not a bare IPv4 or IPv6 literal
 * (a host name, {@code unknown}, a port, brackets, a zone) stops the walk, and the last address read
 * (the peer, or a trusted proxy's) is the client. With no blocks the header is never read.
 *
 * <p>{@code Forwarded} (RFC 7239) is not read: proxies set {@code X-Forwarded-For} by default, and
 * believing two headers would let a client put its pick in the one the proxy does not rewrite.
 */
public final class TrustedProxies {
  /** None: X-Forwarded-For is never believed. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private final List<IpRange> blocks;

  private TrustedProxies(List<IpRange> blocks) {
    this.blocks = blocks;
  }

  /**
   * Parses a comma-separated list of CIDR blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or bare
   * addresses; blank is {@link #NONE}.
   *
   * @throws IllegalArgumentException naming the first entry that is not a block
   */
  public static TrustedProxies parse(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    List<IpRange> blocks = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      IpRange r = p.isEmpty() ? null : IpRange.parse(p);
      if (r == null) {
        throw new IllegalArgumentException(p.isEmpty() ? "has an empty entry in '" + text.strip() + "'"
            : "'" + p + "' is not an IPv4 or IPv6 address or CIDR block");
      }
      blocks.add(r);
    }
    return new TrustedProxies(List.copyOf(blocks));
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  private boolean trusts(byte[] address) {
    for (IpRange r : blocks) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The request's client address as text.
   *
   * @param peer the TCP peer
   * @param peerText the peer as the request would show it without proxies
   * @param forwardedFor every {@code X-Forwarded-For} field line of the request, in order (one list)
   */
  public String clientAddress(InetAddress peer, String peerText, List<String> forwardedFor) {
    if (blocks.isEmpty() || peer == null || forwardedFor.isEmpty() || !trusts(peer.getAddress())) {
      return peerText;
    }
    String client = peerText;
    for (int line = forwardedFor.size() - 1; line >= 0; line--) {
      String[] entries = forwardedFor.get(line).split(",", -1);
      for (int i = entries.length - 1; i >= 0; i--) {
        byte[] addr = IpRange.address(entries[i]);
        if (addr == null) {
          return client;
        }
        client = text(addr);
        if (!trusts(addr)) {
          return client;
        }
      }
    }
    return client; // every entry a trusted proxy: the leftmost is as near the client as is known
  }

  /** The address as the peer's would be shown (InetAddress's own text, so both read alike). */
  private static String text(byte[] addr) {
    try {
      return InetAddress.getByAddress(addr).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (IpRange r : blocks) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(text(r.network())).append('/').append(r.prefix());
    }
    return b.toString();
  }
}
