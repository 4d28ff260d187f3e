package io.tarn.s3.xml;

/** A response body document. Implementations are immutable records. */
public interface XmlResponse {
  /** The complete document, declaration included, as UTF-8 ({@code Content-Type: application/xml}). */
  byte[] toXml();
}
