package io.tarn.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The human-readable forms of the admin API's objects (contract: /work/briefs/admin-api.md):
 * tables for lists, aligned fields for one object. Sizes are humanised here, and only here: the
 * JSON output keeps exact numbers. Absent fields print as {@code -} rather than failing, so a newer
 * server with a changed shape still gives readable output.
 */
final class Views {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Views() {}

  static Table users(JsonNode list) {
    Table t = new Table("NAME", "EMAIL", "ROLE", "STATUS", "BUCKETS", "CREATED").alignRight(4);
    for (JsonNode u : list.path("users")) {
      t.row(text(u, "name"), text(u, "email"), text(u, "role"), enabled(u), text(u, "buckets"), text(u, "created"));
    }
    return t;
  }

  static Map<String, String> user(JsonNode u) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Name", text(u, "name"));
    f.put("ID", text(u, "id"));
    f.put("E-mail", text(u, "email"));
    f.put("Role", text(u, "role"));
    f.put("Status", enabled(u));
    f.put("Created", text(u, "created"));
    if (u.has("buckets")) {
      f.put("Buckets", text(u, "buckets"));
    }
    return f;
  }

  static Table keys(JsonNode list) {
    Table t = new Table("ACCESS KEY ID", "USER", "STATUS", "CREATED", "EXPIRES");
    for (JsonNode k : list.path("keys")) {
      t.row(text(k, "accessKeyId"), text(k, "user"), keyStatus(k), text(k, "created"), expires(k));
    }
    return t;
  }

  static Table tokens(JsonNode list) {
    Table t = new Table("TOKEN ID", "NAME", "USER", "STATUS", "CREATED", "EXPIRES", "CREATED WITH");
    for (JsonNode k : list.path("tokens")) {
      t.row(text(k, "id"), text(k, "name"), text(k, "user"), k.path("expired").asBoolean(false) ? "expired" : "active",
          text(k, "created"), expires(k), text(k, "createdWith"));
    }
    return t;
  }

  static Map<String, String> key(JsonNode k) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Access key id", text(k, "accessKeyId"));
    if (k.hasNonNull("secretAccessKey")) {
      f.put("Secret access key", text(k, "secretAccessKey"));
    }
    f.put("User", text(k, "user"));
    f.put("Status", keyStatus(k));
    f.put("Created", text(k, "created"));
    f.put("Expires", expires(k));
    return f;
  }

  static Table buckets(JsonNode list) {
    Table t = new Table("NAME", "OWNER", "OBJECTS", "SIZE", "CREATED", "GRANTS").alignRight(2, 3);
    for (JsonNode b : list.path("buckets")) {
      t.row(text(b, "name"), text(b, "owner"), text(b, "objects"), size(b.path("bytes")), text(b, "created"),
          grants(b));
    }
    return t;
  }

  static Map<String, String> bucket(JsonNode b) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Name", text(b, "name"));
    f.put("Owner", text(b, "owner"));
    f.put("Region", text(b, "region"));
    f.put("Created", text(b, "created"));
    f.put("Objects", text(b, "objects"));
    f.put("Size", exactSize(b.path("bytes")));
    f.put("Grants", grants(b));
    return f;
  }

  static Map<String, String> info(JsonNode i) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Version", text(i, "version"));
    f.put("Uptime", i.path("uptimeSeconds").canConvertToLong() ? uptime(i.path("uptimeSeconds").asLong()) : "-");
    f.put("Data directory", text(i, "dataDir"));
    f.put("Disk", size(i.path("diskFreeBytes")) + " free of " + size(i.path("diskTotalBytes")));
    f.put("Users", text(i, "users"));
    f.put("Buckets", text(i, "buckets"));
    f.put("Objects", text(i, "objects"));
    f.put("Stored", exactSize(i.path("bytes")));
    if (i.has("notificationBacklog")) {
      f.put("Webhook backlog", text(i, "notificationBacklog"));
    }
    if (i.path("webhooks").isObject()) {
      f.put("Webhook rules", text(i.path("webhooks"), "rules"));
    }
    return f;
  }

  static Map<String, String> whoami(JsonNode w) {
    JsonNode u = w.path("user");
    Map<String, String> f = new LinkedHashMap<>();
    f.put("User", text(u, "name"));
    f.put("Role", text(u, "role"));
    f.put("User id", text(u, "id"));
    f.put("Access key id", text(w, "accessKeyId"));
    return f;
  }

  /** {@code 512 B}, {@code 1.2 GiB}, {@code 15 GiB}: one decimal below 10, as {@code ls -h}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    int unit = 0;
    while (v >= 1024 && unit < UNITS.length - 1) {
      v /= 1024;
      unit++;
    }
    String text = v < 9.95 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v);
    if (text.equals("1024") && unit < UNITS.length - 1) {
      return "1.0 " + UNITS[unit + 1]; // 1023.7 KiB rounds up into the next unit
    }
    return text + " " + UNITS[unit];
  }

  /** {@code 3d 4h 5m}, {@code 42s}: the two or three largest parts are all anyone reads. */
  static String uptime(long seconds) {
    long d = seconds / 86_400;
    long h = seconds % 86_400 / 3600;
    long m = seconds % 3600 / 60;
    if (d > 0) {
      return d + "d " + h + "h " + m + "m";
    }
    if (h > 0) {
      return h + "h " + m + "m";
    }
    return m > 0 ? m + "m " + seconds % 60 + "s" : seconds + "s";
  }

  private static String size(JsonNode n) {
    return n.canConvertToLong() ? bytes(n.asLong()) : "-";
  }

  private static String exactSize(JsonNode n) {
    return n.canConvertToLong() && n.asLong() >= 1024 ? bytes(n.asLong()) + " (" + n.asLong() + " bytes)" : size(n);
  }

  private static String grants(JsonNode b) {
    StringJoiner j = new StringJoiner(", ");
    for (JsonNode g : b.path("grants")) {
      j.add(text(g, "user") + ":" + text(g, "permission"));
    }
    return j.length() == 0 ? "-" : j.toString();
  }

  private static String enabled(JsonNode n) {
    JsonNode e = n.path("enabled");
    return e.isBoolean() ? (e.asBoolean() ? "enabled" : "disabled") : "-";
  }

  private static String keyStatus(JsonNode k) {
    // Disabled first: it is what an admin did, while expiry is what time did.
    return k.path("enabled").isBoolean() && !k.path("enabled").asBoolean() ? "disabled"
        : k.path("expired").asBoolean(false) ? "expired" : enabled(k);
  }

  private static String expires(JsonNode k) {
    JsonNode e = k.path("expires");
    return e.isTextual() ? e.asText() : "never";
  }

  /** A scalar field as text, {@code -} when absent or null. */
  static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isMissingNode() || v.isNull() || v.isContainerNode() ? "-" : v.asText();
  }
}
