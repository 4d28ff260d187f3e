package io.tarn.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.tarn.core.api.ApiResponse;
import java.util.Map;
import java.util.Set;

/**
 * JSON bodies of Tarn's APIs, in and out, with one strictly configured mapper: request bodies bind to
 * records, unknown fields and wrong types are refused (never silently coerced, so {@code "enabled":
 * "false"} is an error rather than a surprise), and every refusal names the field.
 */
public final class Json {
  private static final ObjectMapper MAPPER = mapper();
  private static final Set<Class<?>> BOOLEANS = Set.of(Boolean.class, boolean.class);
  private static final Set<Class<?>> NUMBERS =
      Set.of(Integer.class, int.class, Long.class, long.class, Double.class, double.class);

  private Json() {}

  private static ObjectMapper mapper() {
    ObjectMapper m = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    // ALLOW_COERCION_OF_SCALARS does not cover strings: without this, {"name": 5} would bind as "5".
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return m;
  }

  /**
   * Binds a required JSON object body to {@code type}.
   *
   * @throws ApiException InvalidRequest for malformed JSON, a body that is not an object, an unknown
   *     field or a field of the wrong type
   */
  public static <T> T read(byte[] body, Class<T> type) {
    JsonNode tree = tree(body);
    if (tree.isMissingNode()) {
      throw ApiException.invalid("the request body must be a JSON object");
    }
    return bind(tree, type);
  }

  /** As {@link #read}, but an empty body reads as {@code {}}: for bodies whose fields are all optional. */
  public static <T> T readOptional(byte[] body, Class<T> type) {
    JsonNode tree = tree(body);
    return bind(tree.isMissingNode() ? MAPPER.createObjectNode() : tree, type);
  }

  /** A JSON response with {@code value} serialised. */
  public static ApiResponse response(int status, Object value) {
    try {
      return new ApiResponse(status, ApiResponse.JSON, MAPPER.writeValueAsBytes(value), Map.of());
    } catch (JsonProcessingException e) {
      // Our own response records always serialise; failing here is a programming error.
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  private static JsonNode tree(byte[] body) {
    try {
      JsonNode tree = MAPPER.readTree(body);
      return tree == null ? MAPPER.missingNode() : tree;
    } catch (MismatchedInputException e) {
      // The only binding failure of a tree read: FAIL_ON_TRAILING_TOKENS.
      throw ApiException.invalid("malformed JSON: unexpected data after the JSON value");
    } catch (java.io.IOException e) {
      String detail = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
      throw ApiException.invalid("malformed JSON: " + firstLine(detail));
    }
  }

  private static <T> T bind(JsonNode tree, Class<T> type) {
    if (!tree.isObject()) {
      throw ApiException.invalid("the request body must be a JSON object");
    }
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.invalid("unknown field \"" + e.getPropertyName() + "\"");
    } catch (MismatchedInputException e) {
      throw ApiException.invalid("\"" + field(e) + "\" must be " + typeName(e.getTargetType()));
    } catch (JsonProcessingException e) {
      // Not the client's fault: one of our body records does not bind (a programming error, a 500).
      throw new IllegalStateException("cannot bind a request body to " + type.getName(), e);
    }
  }

  private static String field(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (BOOLEANS.contains(type)) {
      return "a boolean";
    }
    if (NUMBERS.contains(type)) {
      return "a number";
    }
    return type == String.class ? "a string" : "of another type";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
