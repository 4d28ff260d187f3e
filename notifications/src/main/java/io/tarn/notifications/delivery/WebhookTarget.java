package io.tarn.notifications.delivery;

import io.tarn.notifications.WebhookException;
import io.tarn.notifications.WebhookException.Kind;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a webhook URL points, parsed from the raw authority rather than {@link URI#getHost()}: the
 * JDK gives no host at all for {@code 0x7f.1} or {@code 127.1} and would later resolve
 * {@code 0177.0.0.1} as 177.0.0.1, both of which an SSRF check must not miss.
 *
 * @param https whether the scheme is https
 * @param host the host as written (lowercase ASCII, IDN converted, IPv6 without brackets)
 * @param port the port (the scheme's default when the URL has none)
 * @param hostHeader the Host header to send: the host as written, with the port when not default
 * @param literal the address when the host is numeric (IPv4 in any spelling, IPv6), else null
 */
public record WebhookTarget(boolean https, String host, int port, String hostHeader, InetAddress literal) {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

  /**
   * Parses a webhook URL.
   *
   * @throws WebhookException INVALID, field "url", saying what is wrong
   */
  public static WebhookTarget parse(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid("url must use http or https");
    }
    String authority = url.getRawAuthority();
    if (url.isOpaque() || authority == null || authority.isEmpty()) {
      throw invalid("url must have a host");
    }
    if (authority.indexOf('@') >= 0) {
      throw invalid("url must not contain user info");
    }
    boolean https = scheme.equals("https");
    int defaultPort = https ? 443 : 80;
    int colon = authority.startsWith("[") ? authority.indexOf(']') + 1 : authority.lastIndexOf(':');
    if (authority.startsWith("[") && colon == 0) {
      throw invalid("url has an unterminated IPv6 address");
    }
    String hostPart = colon < 0 ? authority : authority.substring(0, colon);
    String portPart = colon < 0 || colon == authority.length() ? "" : authority.substring(colon);
    int port = parsePort(portPart, defaultPort);
    String portSuffix = port == defaultPort ? "" : ":" + port;
    if (hostPart.startsWith("[")) {
      String v6 = hostPart.substring(1, hostPart.length() - 1);
      return new WebhookTarget(https, v6.toLowerCase(Locale.ROOT), port, hostPart + portSuffix, parseIpv6(v6));
    }
    String host = asciiHost(hostPart);
    InetAddress literal = null;
    if (InetLiterals.looksNumeric(host)) {
      literal = InetLiterals.parseIpv4(host)
          .orElseThrow(() -> invalid("url host " + host + " is not a valid IPv4 address"));
    } else {
      checkName(host);
    }
    return new WebhookTarget(https, host, port, host + portSuffix, literal);
  }

  /** The host to verify the certificate against and to send as SNI (no trailing dot). */
  public String tlsHost() {
    if (literal != null) {
      return AddressPolicy.format(literal);
    }
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  private static int parsePort(String portPart, int defaultPort) {
    if (portPart.isEmpty() || portPart.equals(":")) {
      return defaultPort; // RFC 3986: an empty port means the default
    }
    String digits = portPart.substring(1);
    if (!portPart.startsWith(":") || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw invalid("url has an invalid port");
    }
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) {
      throw invalid("url has an invalid port: " + port);
    }
    return port;
  }

  private static InetAddress parseIpv6(String text) {
    // Only hex digits, colons and dots: InetAddress parses it as a literal and never asks DNS.
    if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
      throw invalid("url host [" + text + "] is not a valid IPv6 address (zone ids are not allowed)");
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw invalid("url host [" + text + "] is not a valid IPv6 address");
    }
  }

  private static String asciiHost(String raw) {
    if (raw.indexOf('%') >= 0) {
      throw invalid("url host must not be percent-encoded");
    }
    try {
      return IDN.toASCII(raw, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw invalid("url host " + raw + " is not a valid host name");
    }
  }

  private static void checkName(String host) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.isEmpty() || name.length() > 253) {
      throw invalid("url must have a host");
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw invalid("url host " + host + " is not a valid host name");
      }
    }
  }

  private static WebhookException invalid(String message) {
    return new WebhookException(Kind.INVALID, "url", message);
  }
}
