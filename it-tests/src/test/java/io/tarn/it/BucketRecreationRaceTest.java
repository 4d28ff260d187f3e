package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.AdminClient;
import io.tarn.it.support.AdminClient.User;
import io.tarn.it.support.RawHttp;
import io.tarn.it.support.ResponseHeaderAudit;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Tarn issue 11, "Cross-tenant overwrite": a PUT authorized against alice's bucket keeps streaming
 * while alice deletes the bucket and bob creates one under the same name and writes his object. When
 * alice's body ends, her PUT must not commit into bob's bucket: it answers 404 NoSuchBucket (her
 * bucket is gone) and bob's object is untouched. The slow upload is driven step by step over a raw
 * socket: its head (with Expect: 100-continue, so the server's 100 says it has authorized the request
 * and is reading the body), half its body, then bob's takeover over the SDK, then the rest.
 */
class BucketRecreationRaceTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();

  @Test
  void aSlowPutIntoADeletedBucketDoesNotLandInItsSuccessor() throws IOException {
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    String run = Long.toString(System.nanoTime() & 0xfffff, 36);
    User alice = admin.createUser("alice-" + run, "user");
    User bob = admin.createUser("bob-" + run, "user");
    S3Client aliceS3 = TARN.s3With(S3Clients.credentials(alice.accessKey(), alice.secretKey()));
    S3Client bobS3 = TARN.s3With(S3Clients.credentials(bob.accessKey(), bob.secretKey()));
    String bucket = TestData.bucketName("race");
    aliceS3.createBucket(r -> r.bucket(bucket));

    // Alice's upload, presigned by her (a signed PUT whose body streams after authorization).
    RawHttp aliceRaw = new RawHttp(TARN.port(), new TarnServer.Credentials(alice.accessKey(), alice.secretKey()),
        new ResponseHeaderAudit());
    URI url = aliceRaw.presign(Clock.systemUTC(), "PUT", "/" + bucket + "/doc", Duration.ofMinutes(5));
    byte[] aliceBody = "alice's bytes, which must never end up in bob's bucket".repeat(100)
        .getBytes(StandardCharsets.UTF_8);
    int half = aliceBody.length / 2;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", TARN.port()), 10_000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(("PUT " + url.getRawPath() + "?" + url.getRawQuery() + " HTTP/1.1\r\n"
          + "Host: 127.0.0.1:" + TARN.port() + "\r\n"
          + "Content-Length: " + aliceBody.length + "\r\n"
          + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // Authorized and accepted: the server now reads the body.
      assertTrue(readHead(in).startsWith("HTTP/1.1 100"), "100 Continue before the body");
      out.write(aliceBody, 0, half);
      out.flush();

      // Meanwhile alice deletes her (still empty) bucket, bob takes the name and writes his object.
      aliceS3.deleteBucket(r -> r.bucket(bucket));
      bobS3.createBucket(r -> r.bucket(bucket));
      bobS3.putObject(r -> r.bucket(bucket).key("doc"), RequestBody.fromString("bob's document"));

      out.write(aliceBody, half, aliceBody.length - half);
      out.flush();
      String head = readHead(in);
      String body = new String(readBody(in, head), StandardCharsets.UTF_8);
      assertTrue(head.startsWith("HTTP/1.1 404"), head + body);
      assertTrue(body.contains("<Code>NoSuchBucket</Code>"), body);
    }

    assertEquals("bob's document", bobS3.getObjectAsBytes(r -> r.bucket(bucket).key("doc")).asUtf8String());
    assertEquals(1, bobS3.listObjectsV2(r -> r.bucket(bucket)).keyCount());
  }

  /** Reads a response head up to its blank line. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Reads the Content-Length body of a response whose head is {@code head}. */
  private static byte[] readBody(InputStream in, String head) throws IOException {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        int n = Integer.parseInt(line.substring("content-length:".length()).trim());
        byte[] body = in.readNBytes(n);
        if (body.length != n) {
          throw new IOException("body cut short: " + Arrays.toString(body));
        }
        return body;
      }
    }
    throw new IOException("no Content-Length in " + head);
  }
}
