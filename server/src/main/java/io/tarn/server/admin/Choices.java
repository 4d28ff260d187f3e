package io.tarn.server.admin;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Closed sets of words the API takes ({@code admin|user}, {@code read|read-write}, and the webhook
 * commands' own), each a picocli converter (any case in, the API's spelling out) and its completion
 * candidates.
 */
public abstract class Choices implements ITypeConverter<String>, Iterable<String> {
  private final String what;
  private final List<String> values;

  protected Choices(String what, String... values) {
    this.what = what;
    this.values = List.of(values);
  }

  @Override
  public String convert(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (!values.contains(v)) {
      throw new TypeConversionException(what + " must be " + String.join(" or ", values) + ", not '" + value + "'");
    }
    return v;
  }

  @Override
  public Iterator<String> iterator() {
    return values.iterator();
  }

  /** A user's role. */
  static final class Roles extends Choices {
    Roles() {
      super("the role", "admin", "user");
    }
  }

  /** What a bucket grant allows. */
  static final class Permissions extends Choices {
    Permissions() {
      super("the permission", "read", "read-write");
    }
  }
}
