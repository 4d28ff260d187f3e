package io.tarn.console.assets;

import io.tarn.console.ApiError;
import io.tarn.console.ApiException;
import io.tarn.core.Hex;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.core.checksum.ChecksumAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The console's static files, {@code /_tarn/console/<path>} from a classpath directory (in the server,
 * {@code io/tarn/console/web/}). Only files with a known type are served, each with its
 * {@code Content-Type}, a strong {@code ETag} (the SHA-256 of its bytes) answered with 304 on a
 * matching {@code If-None-Match}, {@code Cache-Control: no-cache} (the browser revalidates, so a new
 * build is seen at once and an unchanged file costs a 304), and gzip when the client accepts it (compressed
 * once, then kept). Paths with {@code .}/{@code ..} or empty segments are refused whatever their
 * encoding (the path arrives decoded); a directory is served only as the root's {@code index.html}.
 * No authentication: the files hold no data. Thread-safe.
 */
public final class ConsoleAssets {
  /** The classpath directory the server serves. */
  public static final String ROOT = "io/tarn/console/web/";
  /** Longest file served (the whole console is a few hundred KiB): bigger ones are a build mistake. */
  private static final int MAX_BYTES = 8 << 20;

  /** Types by extension; types that are already compressed are not gzipped again. */
  private static final Map<String, Type> TYPES = Map.of(
      "html", new Type("text/html; charset=utf-8", true),
      "js", new Type("text/javascript; charset=utf-8", true),
      "mjs", new Type("text/javascript; charset=utf-8", true),
      "css", new Type("text/css; charset=utf-8", true),
      "svg", new Type("image/svg+xml", true),
      "json", new Type("application/json", true),
      "png", new Type("image/png", false),
      "woff2", new Type("font/woff2", false),
      "ico", new Type("image/x-icon", true));

  private record Type(String contentType, boolean compressible) {}

  /** A loaded file: its bytes, and gzipped bytes when that is smaller (else null). */
  private record Asset(Type type, byte[] bytes, String etag, byte[] gzip, String gzipEtag) {}

  private final ClassLoader loader;
  private final String root;
  /** Only files that exist are kept: a miss is never cached, so unknown paths cannot grow it. */
  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  /**
   * @param loader where the files are
   * @param root the directory, ending with {@code /} (e.g. {@link #ROOT})
   */
  public ConsoleAssets(ClassLoader loader, String root) {
    this.loader = Objects.requireNonNull(loader, "loader");
    if (!root.endsWith("/") || root.startsWith("/")) {
      throw new IllegalArgumentException("root must be relative and end with /: " + root);
    }
    this.root = root;
  }

  /**
   * @param path the path after {@code /console}: empty, or starting with {@code /}
   * @throws ApiException NotFound, MethodNotAllowed
   */
  public ApiResponse handle(ApiRequest request, String path) {
    String method = request.method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new ApiException(ApiError.METHOD_NOT_ALLOWED, method + " is not allowed on the console's files; allowed: GET, HEAD",
          Map.of("Allow", "GET, HEAD"));
    }
    if (path.isEmpty()) {
      // Relative references in index.html resolve against /_tarn/console/, not /_tarn/.
      return new ApiResponse(301, ApiResponse.JSON, new byte[0], Map.of("Location", "/_tarn/console/"));
    }
    String file = path.equals("/") ? "index.html" : path.substring(1);
    Asset a = asset(file).orElseThrow(() -> ApiException.notFound("no console file at \"" + path + "\""));
    boolean gzip = a.gzip() != null && acceptsGzip(request.header("accept-encoding").orElse(""));
    String etag = gzip ? a.gzipEtag() : a.etag();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ETag", etag);
    headers.put("Cache-Control", "no-cache");
    if (a.type().compressible()) {
      headers.put("Vary", "Accept-Encoding");
    }
    if (notModified(request.header("if-none-match").orElse(null), etag)) {
      return new ApiResponse(304, a.type().contentType(), new byte[0], headers);
    }
    if (gzip) {
      headers.put("Content-Encoding", "gzip");
    }
    return new ApiResponse(200, a.type().contentType(), gzip ? a.gzip() : a.bytes(), headers);
  }

  private Optional<Asset> asset(String file) {
    Type type = type(file);
    if (type == null || !safe(file)) {
      return Optional.empty();
    }
    Asset cached = cache.get(file);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Asset> loaded = load(file, type);
    loaded.ifPresent(a -> cache.putIfAbsent(file, a));
    return loaded;
  }

  /** Relative, no empty, {@code .} or {@code ..} segment, no backslash or control character. */
  static boolean safe(String file) {
    if (file.isEmpty() || file.endsWith("/")) {
      return false;
    }
    for (String segment : file.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return file.chars().noneMatch(c -> c < 0x20 || c == '\\' || c == 0x7f || c == ':');
  }

  private static Type type(String file) {
    int slash = file.lastIndexOf('/');
    int dot = file.lastIndexOf('.');
    return dot <= slash + 1 ? null : TYPES.get(file.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private Optional<Asset> load(String file, Type type) {
    URL url = loader.getResource(root + file);
    if (url == null || isDirectory(url)) {
      return Optional.empty();
    }
    byte[] bytes;
    try (InputStream in = url.openStream()) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read console file " + file, e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new IllegalStateException("console file " + file + " is larger than " + MAX_BYTES + " bytes");
    }
    String hash = Hex.encode(ChecksumAlgorithm.SHA256.digest(bytes)).substring(0, 32);
    byte[] gzip = type.compressible() ? gzip(bytes) : null;
    if (gzip != null && gzip.length >= bytes.length) {
      gzip = null;
    }
    // Strong validators name one representation each (RFC 9110 section 8.8.3): the gzipped bytes get their own.
    return Optional.of(new Asset(type, bytes, '"' + hash + '"', gzip, '"' + hash + "-gz\""));
  }

  private static boolean isDirectory(URL url) {
    if (url.getProtocol().equals("file")) {
      try {
        return Files.isDirectory(Path.of(url.toURI()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        return true;
      }
    }
    return url.getPath().endsWith("/");
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip in memory failed", e);
    }
    return out.toByteArray();
  }

  /** Whether {@code Accept-Encoding} admits gzip (RFC 9110 section 12.5.3: by name or {@code *}, with q above 0). */
  static boolean acceptsGzip(String acceptEncoding) {
    for (String part : acceptEncoding.split(",")) {
      String[] fields = part.split(";");
      String coding = fields[0].strip().toLowerCase(Locale.ROOT);
      if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
        continue;
      }
      double q = 1;
      for (int i = 1; i < fields.length; i++) {
        String f = fields[i].strip().toLowerCase(Locale.ROOT);
        if (f.startsWith("q=")) {
          try {
            q = Double.parseDouble(f.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (q > 0) {
        return true;
      }
    }
    return false;
  }

  /** {@code If-None-Match} (RFC 9110 section 13.1.2: {@code *} or a list, compared weakly). */
  static boolean notModified(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.strip();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals("*") || c.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
