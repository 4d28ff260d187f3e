package io.tarn.server.tls;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The subject alternative names of a certificate: DNS names (lower case) and IP addresses
 * (without IPv6 scope, which a certificate cannot carry). Kept sorted so that a certificate is
 * generated the same way every time and its names print in a stable order.
 */
record SubjectNames(Set<String> dnsNames, Set<InetAddress> addresses) {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Comparator<InetAddress> BY_BYTES = Comparator
      .comparingInt((InetAddress a) -> a.getAddress().length)
      .thenComparing(InetAddress::getAddress, java.util.Arrays::compareUnsigned);

  SubjectNames {
    TreeSet<String> dns = new TreeSet<>();
    dnsNames.forEach(n -> dns.add(n.toLowerCase(Locale.ROOT)));
    TreeSet<InetAddress> ips = new TreeSet<>(BY_BYTES);
    addresses.forEach(a -> ips.add(withoutScope(a)));
    dnsNames = Collections.unmodifiableSortedSet(dns);
    addresses = Collections.unmodifiableSortedSet(ips);
  }

  /**
   * The names a self-signed certificate for {@code listen} should carry: localhost, this machine's
   * host name, both loopback addresses, and the listen address; for a wildcard listen address
   * (0.0.0.0 or ::) every non-loopback address of the machine's interfaces instead.
   */
  static SubjectNames forListenAddress(InetSocketAddress listen) {
    Set<String> dns = new TreeSet<>(List.of("localhost"));
    localHostName().ifPresent(dns::add);
    Set<InetAddress> ips = new TreeSet<>(BY_BYTES);
    ips.add(address(new byte[] {127, 0, 0, 1}));
    ips.add(address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
    InetAddress ip = listen.getAddress();
    if (ip != null && ip.isAnyLocalAddress()) {
      ips.addAll(interfaceAddresses());
    } else if (ip != null) {
      ips.add(ip);
    }
    // --address myhost.example:9000: the name the operator chose is one clients will use.
    String host = listen.getHostString();
    if (isDnsName(host)) {
      dns.add(host);
    }
    return new SubjectNames(dns, ips);
  }

  /** The DNS and IP subject alternative names of {@code cert}; other kinds are ignored. */
  static SubjectNames of(X509Certificate cert) throws CertificateParsingException {
    Set<String> dns = new TreeSet<>();
    Set<InetAddress> ips = new TreeSet<>(BY_BYTES);
    Collection<List<?>> names = cert.getSubjectAlternativeNames();
    if (names != null) {
      for (List<?> name : names) {
        int type = (Integer) name.get(0);
        if (type == 2) {
          dns.add((String) name.get(1));
        } else if (type == 7) {
          ips.add(literal((String) name.get(1)));
        }
      }
    }
    return new SubjectNames(dns, ips);
  }

  /** Whether every name of {@code wanted} is among these. */
  boolean covers(SubjectNames wanted) {
    return dnsNames.containsAll(wanted.dnsNames) && addresses.containsAll(wanted.addresses);
  }

  /** For printing: {@code localhost, myhost, 127.0.0.1, ::1}. */
  @Override
  public String toString() {
    List<String> all = new java.util.ArrayList<>(dnsNames);
    addresses.forEach(a -> all.add(a.getAddress().length == 16 ? "[" + compact(a) + "]" : a.getHostAddress()));
    return String.join(", ", all);
  }

  /**
   * A syntactically valid host name (not an IP literal: no top-level domain is all digits). Used to
   * keep odd results of the host-name lookup out of the certificate.
   */
  static boolean isDnsName(String name) {
    if (name == null || name.isEmpty() || name.length() > 253) {
      return false;
    }
    String[] labels = name.toLowerCase(Locale.ROOT).split("\\.", -1);
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
  }

  private static java.util.Optional<String> localHostName() {
    try {
      return java.util.Optional.of(InetAddress.getLocalHost().getHostName()).filter(SubjectNames::isDnsName);
    } catch (UnknownHostException | SecurityException e) {
      // A machine whose own name does not resolve still gets localhost and its addresses.
      return java.util.Optional.empty();
    }
  }

  /**
   * Addresses of the interfaces that are up, without loopback (already present) and link-local
   * ones: those need a zone to be dialled and change with every virtual interface, which would
   * force a new certificate for nothing.
   */
  private static Set<InetAddress> interfaceAddresses() {
    Set<InetAddress> out = new TreeSet<>(BY_BYTES);
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress()) {
            out.add(a);
          }
        }
      }
    } catch (SocketException e) {
      // Interfaces cannot be listed: the loopback names still make the certificate usable locally.
    }
    return out;
  }

  private static InetAddress withoutScope(InetAddress a) {
    return address(a.getAddress());
  }

  private static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + bytes.length + " bytes", e);
    }
  }

  /** Parses an IP literal as the JDK prints it in a certificate; never does a DNS lookup. */
  private static InetAddress literal(String ip) throws CertificateParsingException {
    if (!ip.matches("[0-9A-Fa-f:.]+")) {
      throw new CertificateParsingException("not an IP address in subjectAltName: " + ip);
    }
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new CertificateParsingException("not an IP address in subjectAltName: " + ip, e);
    }
  }

  /** {@code ::1} rather than the JDK's {@code 0:0:0:0:0:0:0:1}. */
  private static String compact(InetAddress a) {
    String full = a.getHostAddress();
    return full.replaceFirst("(^|:)(0(:0)+)(:|$)", "::");
  }
}
