package io.tarn.s3.xml;

/**
 * An {@code Owner} or {@code Initiator}: canonical user id and display name.
 *
 * @param id canonical user id
 * @param displayName display name, or {@code null} to omit it (AWS is phasing it out)
 */
public record Owner(String id, String displayName) {
  void write(XmlWriter w, String element) {
    w.start(element).element("ID", id).optional("DisplayName", displayName).end();
  }
}
