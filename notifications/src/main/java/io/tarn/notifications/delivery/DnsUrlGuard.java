package io.tarn.notifications.delivery;

import io.tarn.notifications.WebhookException;
import io.tarn.notifications.WebhookException.Kind;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SSRF check, run when a rule is created or changed and again by {@link NettySender} before
 * every attempt: parse the URL, resolve the host and judge EVERY address, because a name with one
 * public and one private answer lets the receiver's side pick the private one. Blocking (DNS).
 */
public final class DnsUrlGuard implements UrlGuard {
  private final Resolver resolver;

  /** A guard on the JDK resolver. */
  public DnsUrlGuard() {
    this(Resolver.system());
  }

  public DnsUrlGuard(Resolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  @Override
  public void check(URI url, boolean allowPrivate) {
    addresses(WebhookTarget.parse(url), allowPrivate);
  }

  /**
   * The addresses of {@code target}, in the resolver's order, all of them allowed.
   *
   * @throws WebhookException INVALID "url" when the host does not resolve; FORBIDDEN "url" when
   *     {@code allowPrivate} is false and any address is refused by {@link AddressPolicy}
   */
  public List<InetAddress> addresses(WebhookTarget target, boolean allowPrivate) {
    List<InetAddress> addresses = target.literal() != null ? List.of(target.literal()) : resolve(target.host());
    if (!allowPrivate) {
      for (InetAddress address : addresses) {
        Optional<String> reason = AddressPolicy.forbiddenReason(address);
        if (reason.isPresent()) {
          throw new WebhookException(Kind.FORBIDDEN, "url", String.format(
              "url host %s resolves to %s (%s): only admins may target private, loopback or link-local addresses",
              target.host(), AddressPolicy.format(address), reason.get()));
        }
      }
    }
    return addresses;
  }

  private List<InetAddress> resolve(String host) {
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException | RuntimeException e) {
      // A resolver failure (NXDOMAIN, timeout, SecurityException) all read the same to the user.
      throw cannotResolve(host);
    }
    if (addresses == null || addresses.isEmpty()) {
      throw cannotResolve(host);
    }
    return List.copyOf(addresses);
  }

  private static WebhookException cannotResolve(String host) {
    return new WebhookException(Kind.INVALID, "url", "cannot resolve host " + host);
  }
}
