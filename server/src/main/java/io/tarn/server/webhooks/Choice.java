package io.tarn.server.webhooks;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The closed sets of words a webhook option takes, each a picocli converter (any case in, the API's
 * spelling out) and its completion candidates.
 */
abstract class Choice implements ITypeConverter<String>, Iterable<String> {
  private final String what;
  private final List<String> values;

  Choice(String what, String... values) {
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

  /** A payload format. */
  static final class Formats extends Choice {
    Formats() {
      super("the format", "s3", "compact");
    }
  }

  /** A signature scheme. */
  static final class Signatures extends Choice {
    Signatures() {
      super("the signature", "tarn", "standard-webhooks");
    }
  }
}
