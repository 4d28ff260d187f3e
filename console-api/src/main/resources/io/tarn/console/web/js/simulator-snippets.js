// How a receiver verifies a delivery's signature, per signature scheme, in Python, Node and Java: the
// text the simulator shows beside a matching rule. Each follows the scheme as Signatures.java signs:
// tarn and elasticlake: lower-case hex HMAC-SHA256 of the raw body keyed with the secret's UTF-8 bytes;
// Standard Webhooks (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
// "v1," + base64 HMAC-SHA256 of "id.timestamp.body", the key base64-decoded from a whsec_ secret.

const TARN = {
  header: 'X-Tarn-Signature-256',
  python: `import hashlib, hmac

def verify(secret: str, body: bytes, header: str) -> bool:
    """body: the raw request body, before any JSON parsing; header: X-Tarn-Signature-256."""
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)`,
  node: `const crypto = require('node:crypto');

// rawBody: the request body as a Buffer, before any JSON parsing; header: X-Tarn-Signature-256.
function verify(secret, rawBody, header) {
  const expected = Buffer.from(crypto.createHmac('sha256', secret).update(rawBody).digest('hex'));
  const given = Buffer.from(String(header));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}`,
  java: `import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

// rawBody: the request body bytes, before any JSON parsing; header: X-Tarn-Signature-256.
static boolean verify(String secret, byte[] rawBody, String header) throws Exception {
  Mac mac = Mac.getInstance("HmacSHA256");
  mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
  byte[] expected = HexFormat.of().formatHex(mac.doFinal(rawBody)).getBytes(StandardCharsets.US_ASCII);
  return MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.US_ASCII));
}`,
};

const STANDARD = {
  header: 'webhook-signature',
  python: `import base64, hashlib, hmac, time

def verify(secret: str, body: bytes, msg_id: str, timestamp: str, header: str) -> bool:
    """body: the raw request body; msg_id, timestamp, header: webhook-id, webhook-timestamp, webhook-signature."""
    if abs(time.time() - int(timestamp)) > 300:
        return False  # too old or too new: a replay
    key = base64.b64decode(secret[6:]) if secret.startswith("whsec_") else secret.encode()
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, s) for s in header.split(" "))`,
  node: `const crypto = require('node:crypto');

// rawBody: the body as a Buffer; id, timestamp, header: webhook-id, webhook-timestamp, webhook-signature.
function verify(secret, rawBody, id, timestamp, header) {
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false; // a replay
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret);
  const signed = Buffer.concat([Buffer.from(\`\${id}.\${timestamp}.\`), rawBody]);
  const expected = Buffer.from('v1,' + crypto.createHmac('sha256', key).update(signed).digest('base64'));
  return String(header).split(' ').some((s) => {
    const given = Buffer.from(s);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}`,
  java: `import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

// rawBody: the body bytes; id, timestamp, header: webhook-id, webhook-timestamp, webhook-signature.
static boolean verify(String secret, byte[] rawBody, String id, String timestamp, String header) throws Exception {
  if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 300) return false; // a replay
  byte[] key = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring(6))
      : secret.getBytes(StandardCharsets.UTF_8);
  Mac mac = Mac.getInstance("HmacSHA256");
  mac.init(new SecretKeySpec(key, "HmacSHA256"));
  mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
  byte[] expected = ("v1," + Base64.getEncoder().encodeToString(mac.doFinal(rawBody))).getBytes(StandardCharsets.UTF_8);
  for (String s : header.split(" ")) {
    if (MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.UTF_8))) return true;
  }
  return false;
}`,
};

/** {header, python, node, java} for a rule's signature scheme (tarn, standard-webhooks, elasticlake). */
export function snippetsFor(scheme) {
  // elasticlake signs like tarn and sends the same value again as X-ElasticLake-Signature: sha256=<hex>.
  return scheme === 'standard-webhooks' ? STANDARD : TARN;
}
