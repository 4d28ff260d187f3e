package io.tarn.s3.xml;

import io.tarn.storage.StoredChecksum;

/** Writes additional checksums as S3 names them: {@code ChecksumCRC32}, ..., {@code ChecksumSHA256}. */
final class Checksums {
  private Checksums() {}

  /** The element name for a checksum algorithm, e.g. {@code ChecksumCRC64NVME}. */
  static String elementName(StoredChecksum checksum) {
    return "Checksum" + checksum.algorithm().s3Name();
  }

  /** Writes {@code <ChecksumXXX>value</ChecksumXXX>} when {@code checksum} is not {@code null}. */
  static void writeValue(XmlWriter w, StoredChecksum checksum) {
    if (checksum != null) {
      w.element(elementName(checksum), checksum.wireValue());
    }
  }
}
