package io.tarn.console.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compatibility endpoint {@code /_tarn/api/v1/webhooks}, for clients of hosted stores. */
class WebhooksCompatTest extends WebhooksTestSupport {
  private static final String HOOK = "{\"bucket\":\"photos\",\"endpoint\":\"https://hooks.example.com/in\","
      + "\"events\":[\"object:created\",\"object:deleted\"],\"secret\":\"whsec_abc\"}";

  @Test
  void aBearerCreatesAWebhookThatIsAnOrdinaryRule() {
    String token = token(alice);
    Resp r = bearer(token, "POST", "/webhooks", HOOK);
    assertEquals(201, r.status(), r.raw());
    assertEquals(List.of("id", "bucket", "endpoint", "events", "secret", "enabled", "format", "signature", "created"),
        fields(r.json()));
    assertFalse(r.raw().contains("whsec_abc"), r.raw());
    assertGolden("webhook-compat.json", r);
    String id = r.get("id").asText();

    Resp rule = call(alice, "GET", "/buckets/photos/webhooks/" + id);
    assertEquals("https://hooks.example.com/in", rule.get("url").asText());
    // What clients written to ElasticLake's document receive: its payload and its signature header.
    assertEquals("compact", rule.get("format").asText());
    assertEquals("elasticlake", rule.get("signature").asText());
    assertEquals(alice.userId(), rule.get("createdBy").asText());
    assertEquals(r.json(), bearer(token, "GET", "/webhooks/" + id, null).json());
  }

  /** {@code format} chooses the body; both reads show it. */
  @Test
  void formatChoosesTheBodyAndReadsShowIt() {
    String token = token(alice);
    Resp s3 = bearer(token, "POST", "/webhooks", HOOK.replace("}", ",\"format\":\"s3\"}"));
    assertEquals(201, s3.status(), s3.raw());
    assertEquals("s3", s3.get("format").asText());
    String id = s3.get("id").asText();
    assertEquals("s3", bearer(token, "GET", "/webhooks/" + id, null).get("format").asText());
    assertEquals("s3", call(alice, "GET", "/buckets/photos/webhooks/" + id).get("format").asText());
    assertEquals("elasticlake", bearer(token, "GET", "/webhooks/" + id, null).get("signature").asText(),
        "the document's signature header whatever the body");
    Resp compact = bearer(token, "POST", "/webhooks", HOOK.replace("}", ",\"format\":\"compact\"}"));
    assertEquals("compact", compact.get("format").asText());
    List<String> listed = new ArrayList<>();
    bearer(token, "GET", "/webhooks", null).get("webhooks").forEach(w -> listed.add(w.get("format").asText()));
    assertEquals(List.of("s3", "compact"), listed, "the list shows each one's format");
    assertInvalid(bearer(token, "POST", "/webhooks", HOOK.replace("}", ",\"format\":\"xml\"}")), "format");
    assertEquals("\"format\" must be a string", assertInvalid(bearer(token, "POST", "/webhooks",
        HOOK.replace("}", ",\"format\":1}")), "format"));
  }

  @Test
  void listIsEveryBucketTheCallerOwnsOrAllForAnAdmin() {
    String a = id(bearer(token(alice), "POST", "/webhooks", HOOK));
    String b = id(bearer(token(bob), "POST", "/webhooks", HOOK.replace("photos", "logs")));
    assertEquals(List.of(a), ids(bearer(token(alice), "GET", "/webhooks", null)));
    assertEquals(List.of(b), ids(bearer(token(bob), "GET", "/webhooks", null)));
    assertEquals(List.of(b, a), ids(bearer(token(root), "GET", "/webhooks", null)), "bucket name order");
    assertEquals(List.of(a), ids(bearer(token(root), "GET", "/webhooks?bucket=photos", null)));
    assertEquals(List.of(a), ids(call(alice, "GET", "/webhooks?bucket=photos")), "SigV4 works here too");
    assertError(bearer(token(alice), "GET", "/webhooks?bucket=logs", null), 403, "AccessDenied",
        "only the owner of bucket logs or an admin may manage its webhooks");
    assertError(bearer(token(alice), "GET", "/webhooks?bucket=nope", null), 404, "NotFound", "bucket nope not found");
  }

  @Test
  void deleteFindsTheRuleAmongTheCallersBuckets() {
    String a = id(bearer(token(alice), "POST", "/webhooks", HOOK));
    // Someone else's webhook looks like a missing one.
    assertError(bearer(token(bob), "DELETE", "/webhooks/" + a, null), 404, "NotFound", "webhook " + a + " not found");
    assertError(bearer(token(bob), "GET", "/webhooks/" + a, null), 404, "NotFound", "webhook " + a + " not found");
    assertEquals(204, bearer(token(alice), "DELETE", "/webhooks/" + a, null).status());
    assertError(bearer(token(alice), "DELETE", "/webhooks/" + a, null), 404, "NotFound", "webhook " + a + " not found");
    assertEquals("{\"webhooks\":[]}", call(alice, "GET", "/buckets/photos/webhooks").raw());

    String again = id(bearer(token(alice), "POST", "/webhooks", HOOK));
    assertEquals(204, bearer(token(root), "DELETE", "/webhooks/" + again, null).status(), "an admin may");
  }

  @Test
  void createNamesTheFieldsOfItsOwnShape() {
    String token = token(alice);
    assertEquals("\"bucket\" is required", assertInvalid(bearer(token, "POST", "/webhooks",
        "{\"endpoint\":\"https://a.example/\",\"events\":[\"object:created\"]}"), "bucket"));
    assertEquals("\"endpoint\" is required", assertInvalid(bearer(token, "POST", "/webhooks",
        "{\"bucket\":\"photos\",\"events\":[\"object:created\"]}"), "endpoint"));
    assertEquals("\"events\" is required", assertInvalid(bearer(token, "POST", "/webhooks",
        "{\"bucket\":\"photos\",\"endpoint\":\"https://a.example/\"}"), "events"));
    // The service blames "url"; this endpoint's client sent it as "endpoint".
    assertEquals("\"url\" must be an http or https URL", assertInvalid(bearer(token, "POST", "/webhooks",
        HOOK.replace("https://hooks.example.com/in", "ftp://a.example/")), "endpoint"));
    assertEquals("unknown field \"url\"", assertInvalid(bearer(token, "POST", "/webhooks",
        "{\"bucket\":\"photos\",\"url\":\"https://a.example/\",\"events\":[\"object:created\"]}"), "url"));
    assertError(bearer(token, "POST", "/webhooks", HOOK.replace("photos", "logs")), 403, "AccessDenied",
        "only the owner of bucket logs or an admin may manage its webhooks");
    assertError(bearer(token, "POST", "/webhooks", HOOK.replace("photos", "nope")), 404, "NotFound",
        "bucket nope not found");
    assertError(call(null, "POST", "/webhooks", HOOK), 403, "AccessDenied", "signed request or bearer token required");
  }

  private static String id(Resp r) {
    assertEquals(201, r.status(), r.raw());
    return r.get("id").asText();
  }

  private static List<String> ids(Resp r) {
    assertEquals(200, r.status(), r.raw());
    List<String> out = new ArrayList<>();
    r.get("webhooks").forEach(w -> out.add(w.get("id").asText()));
    return out;
  }
}
