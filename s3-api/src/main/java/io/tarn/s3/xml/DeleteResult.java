package io.tarn.s3.xml;

import io.tarn.core.S3Error;
import java.util.List;

/**
 * DeleteObjects response (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html):
 * {@code Deleted} and {@code Error} elements in the order given. In quiet mode the handler passes
 * only the failures.
 *
 * @param entries outcomes, one per requested object
 */
public record DeleteResult(List<Entry> entries) implements XmlResponse {
  public DeleteResult {
    entries = List.copyOf(entries);
  }

  /** The outcome for one object of the request. */
  public sealed interface Entry permits Deleted, Failed {}

  /** @param versionId the version id of the request, or {@code null} to omit */
  public record Deleted(String key, String versionId) implements Entry {}

  /** @param versionId the version id of the request, or {@code null} to omit */
  public record Failed(String key, String versionId, String code, String message) implements Entry {
    public static Failed of(String key, String versionId, S3Error error) {
      return new Failed(key, versionId, error.code(), error.defaultMessage());
    }
  }

  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("DeleteResult");
    for (Entry e : entries) {
      if (e instanceof Deleted d) {
        w.start("Deleted").element("Key", d.key()).optional("VersionId", d.versionId()).end();
      } else if (e instanceof Failed f) {
        w.start("Error").element("Key", f.key()).optional("VersionId", f.versionId())
            .element("Code", f.code()).element("Message", f.message()).end();
      }
    }
    return w.toBytes();
  }
}
