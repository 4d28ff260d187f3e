package io.tarn.console.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tarn.console.Json;
import io.tarn.notifications.WebhookException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A JSON object request body read field by field, so that every refusal (unknown field, wrong type,
 * missing value) names its field in the error's {@code field} as well as in its message, exactly as
 * the webhook service's own validation errors do. Absent and JSON null both read as null: for a
 * PATCH, null means "leave it alone".
 */
final class Fields {
  private final ObjectNode node;

  private Fields(ObjectNode node) {
    this.node = node;
  }

  /**
   * @param optional whether an empty body reads as {@code {}}
   * @param allowed the only field names accepted
   * @throws io.tarn.console.ApiException for malformed JSON or a body that is not an object
   * @throws WebhookException INVALID naming an unknown field
   */
  static Fields read(byte[] body, boolean optional, Set<String> allowed) {
    ObjectNode node = optional ? Json.readOptional(body, ObjectNode.class) : Json.read(body, ObjectNode.class);
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw invalid(name, "unknown field \"" + name + "\"");
      }
    }
    return new Fields(node);
  }

  static WebhookException invalid(String field, String message) {
    return new WebhookException(WebhookException.Kind.INVALID, field, message);
  }

  String text(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid(field, "\"" + field + "\" must be a string");
    }
    return v.textValue();
  }

  String requiredText(String field) {
    String v = text(field);
    if (v == null) {
      throw invalid(field, "\"" + field + "\" is required");
    }
    return v;
  }

  Boolean bool(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw invalid(field, "\"" + field + "\" must be true or false");
    }
    return v.booleanValue();
  }

  /** A whole number of at least 0, or null. */
  Long count(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.longValue() < 0) {
      throw invalid(field, "\"" + field + "\" must be a whole number of 0 or more");
    }
    return v.longValue();
  }

  /** An array of strings, or null. */
  List<String> texts(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw invalid(field, "\"" + field + "\" must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw invalid(field, "\"" + field + "\" must be an array of strings");
      }
      out.add(e.textValue());
    }
    return out;
  }

  List<String> requiredTexts(String field) {
    List<String> v = texts(field);
    if (v == null) {
      throw invalid(field, "\"" + field + "\" is required");
    }
    return v;
  }
}
