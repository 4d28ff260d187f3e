package io.tarn.s3.xml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import java.io.IOException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;

/**
 * The Jackson {@link XmlMapper} for S3 request bodies, safe for untrusted input: no DTDs, no
 * external entities (no XXE, no "billion laughs"). Element names are matched by local name, so a
 * namespace (S3's or none) on input does not matter. Unknown elements are ignored, so that newer
 * clients' additions (e.g. {@code Object/Size}) do not fail requests. A text field must hold text:
 * Jackson would otherwise take {@code <Key><b>x</b></Key>} for the key {@code x}.
 *
 * <p>Only used for reading: responses are written by {@link XmlWriter} (see there why).
 */
public final class S3XmlMapper {
  private S3XmlMapper() {}

  /** A StAX input factory with DTD support and external entities off. */
  public static XMLInputFactory hardenedInputFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
    f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
    // Never resolve anything from outside the document, whatever the implementation's defaults.
    f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
      throw new javax.xml.stream.XMLStreamException("external entity refused: " + systemId);
    });
    return f;
  }

  /** A new mapper over {@link #hardenedInputFactory()}. Thread-safe once built. */
  public static XmlMapper create() {
    XmlFactory factory = XmlFactory.builder()
        .xmlInputFactory(hardenedInputFactory())
        .xmlOutputFactory(XMLOutputFactory.newFactory())
        .build();
    return XmlMapper.builder(factory)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .addModule(new SimpleModule("tarn-strict-text").addDeserializer(String.class, new TextOnly()))
        .build();
  }

  /** Binds a String only from text content, never from a nested element. */
  static final class TextOnly extends StdScalarDeserializer<String> {
    TextOnly() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.hasToken(JsonToken.VALUE_STRING)) {
        return p.getText();
      }
      return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
  }
}
