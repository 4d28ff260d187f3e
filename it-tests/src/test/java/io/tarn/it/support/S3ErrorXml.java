package io.tarn.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.w3c.dom.Element;

/**
 * An S3 error document: {@code <Error><Code/><Message/><Resource/><RequestId/></Error>}
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses).
 */
public record S3ErrorXml(String code, String message, String resource, String requestId, String raw) {

  public static S3ErrorXml parse(byte[] body) {
    Element root = Xml.parse(body);
    String raw = new String(body, StandardCharsets.UTF_8);
    assertEquals("Error", root.getTagName(), "root element of error body:\n" + raw);
    return new S3ErrorXml(Xml.childText(root, "Code"), Xml.childText(root, "Message"),
        Xml.childText(root, "Resource"), Xml.childText(root, "RequestId"), raw);
  }
}
