package io.tarn.s3.post;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A streaming parser of the {@code multipart/form-data} body of a POST Object request (RFC 7578 over
 * RFC 2046 section 5.1.1), fed the body as it arrives, in pieces of any size.
 *
 * <p>S3's rules (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTForms.html): the form data and
 * boundaries before the file "cannot exceed 20 KB" (so the fields are held in memory, and only up to
 * that), the {@code file} field must be the last one and "any fields below it are ignored", and one
 * file only. The file's bytes are handed on as they arrive, never collected: only the last
 * {@code delimiter - 1} bytes are held back, as they could be the start of the delimiter that ends
 * the file. A body that ends before the file's delimiter is MalformedPOSTRequest, never a truncated
 * object.
 *
 * <p>Not thread-safe: one request's body, fed from one thread at a time.
 */
public final class FormParser {
  /** S3's cap on the form before its file, boundaries included. */
  public static final int MAX_PRE_DATA = 20 * 1024;

  /** What the parser found, in body order. */
  public interface Listener {
    /** A field before the file; the name as sent, the value decoded as UTF-8. */
    void field(String name, String value);

    /**
     * The file part begins: every field that counts has been reported.
     *
     * @param filename the part's {@code filename} parameter, or {@code null}
     * @param contentType the part's Content-Type, or {@code null}
     */
    void fileStart(String filename, String contentType);

    /** File bytes; the buffer is valid only during the call. */
    void fileData(ByteBuffer data);

    /** The file's closing delimiter was seen: the file is complete. */
    void fileEnd();
  }

  private enum State { PREAMBLE, AFTER_DELIMITER, HEADERS, FIELD, FILE, IGNORED, EPILOGUE }

  private static final byte CR = '\r';
  private static final byte LF = '\n';

  /** {@code CRLF--boundary}: what ends every part (RFC 2046 5.1.1). */
  private final byte[] delimiter;
  private final int maxPreData;
  private final Listener listener;
  private State state = State.PREAMBLE;
  /** Bytes received and not yet consumed, at the front of the array. */
  private byte[] buf;
  private int len;
  /** Body bytes received so far (the CRLF put before the body not counted). */
  private long received;
  private boolean fileSeen;
  private String partName;
  private String partFilename;
  private String partType;
  private final ByteArrayOutputStream value = new ByteArrayOutputStream();

  /**
   * @param boundary the {@code boundary} parameter of the request's Content-Type
   * @param maxPreData the cap on the bytes before the file's content ({@link #MAX_PRE_DATA})
   */
  public FormParser(String boundary, int maxPreData, Listener listener) {
    if (boundary.isEmpty() || boundary.length() > 70) {
      // RFC 2046 5.1.1: 1 to 70 characters.
      throw malformed();
    }
    byte[] b = boundary.getBytes(StandardCharsets.ISO_8859_1);
    this.delimiter = new byte[b.length + 4];
    delimiter[0] = CR;
    delimiter[1] = LF;
    delimiter[2] = '-';
    delimiter[3] = '-';
    System.arraycopy(b, 0, delimiter, 4, b.length);
    this.maxPreData = maxPreData;
    this.listener = listener;
    // The first boundary may open the body without a CRLF before it (RFC 2046 5.1.1): parsing the
    // body as if one came first lets one search find every delimiter.
    this.buf = new byte[Math.max(8192, delimiter.length * 2)];
    buf[0] = CR;
    buf[1] = LF;
    this.len = 2;
  }

  /** Feeds the next bytes of the body (all of {@code src} is consumed). */
  public void feed(ByteBuffer src) {
    int n = src.remaining();
    if (n == 0) {
      return;
    }
    received += n;
    if (state == State.IGNORED || state == State.EPILOGUE) {
      src.position(src.limit());
      return;
    }
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
    src.get(buf, len, n);
    len += n;
    int pos = process();
    System.arraycopy(buf, pos, buf, 0, len - pos);
    len -= pos;
    if (!fileSeen && received > maxPreData) {
      // Everything received so far precedes the file: the form before it is too large.
      throw new S3Exception(S3Error.MAX_POST_PRE_DATA_LENGTH_EXCEEDED);
    }
  }

  /**
   * The body ended.
   *
   * @throws S3Exception MalformedPOSTRequest if it ended inside a part (a file without its closing
   *     delimiter included), IncorrectNumberOfFilesInPostRequest if it held no file
   */
  public void finish() {
    if (state == State.IGNORED || (state == State.EPILOGUE && fileSeen)) {
      return;
    }
    if (state == State.EPILOGUE) {
      throw new S3Exception(S3Error.INCORRECT_NUMBER_OF_FILES_IN_POST_REQUEST);
    }
    throw malformed();
  }

  /** Consumes what it can of {@code buf[0, len)}; returns where it stopped. */
  private int process() {
    int pos = 0;
    while (true) {
      switch (state) {
        case PREAMBLE -> {
          int at = indexOfDelimiter(pos);
          if (at < 0) {
            return Math.max(pos, len - (delimiter.length - 1));
          }
          pos = at + delimiter.length;
          state = State.AFTER_DELIMITER;
        }
        case AFTER_DELIMITER -> {
          int next = afterDelimiter(pos);
          if (next < 0) {
            return pos;
          }
          pos = next;
        }
        case HEADERS -> {
          int eol = indexOfCrlf(pos);
          if (eol < 0) {
            return pos;
          }
          if (eol == pos) {
            startBody(received - len + eol + 2);
          } else {
            header(new String(buf, pos, eol - pos, StandardCharsets.UTF_8));
          }
          pos = eol + 2;
        }
        case FIELD, FILE -> {
          int at = indexOfDelimiter(pos);
          int end = at >= 0 ? at : Math.max(pos, len - (delimiter.length - 1));
          if (state == State.FIELD) {
            value.write(buf, pos, end - pos);
          } else if (end > pos) {
            listener.fileData(ByteBuffer.wrap(buf, pos, end - pos));
          }
          if (at < 0) {
            return end;
          }
          pos = at + delimiter.length;
          if (state == State.FIELD) {
            listener.field(partName, value.toString(StandardCharsets.UTF_8));
            state = State.AFTER_DELIMITER;
          } else {
            // Fields after the file are ignored, as S3 does.
            listener.fileEnd();
            state = State.IGNORED;
            return len;
          }
        }
        case IGNORED, EPILOGUE -> {
          return len;
        }
        default -> throw new AssertionError(state);
      }
    }
  }

  /**
   * After a delimiter: {@code --} closes the body; otherwise optional transport padding (spaces and
   * tabs) and a CRLF open the next part's headers. Returns the position after them, or -1 when more
   * bytes are needed.
   */
  private int afterDelimiter(int pos) {
    if (len - pos < 2) {
      return -1;
    }
    if (buf[pos] == '-' && buf[pos + 1] == '-') {
      state = State.EPILOGUE;
      return len;
    }
    int i = pos;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t')) {
      i++;
    }
    if (len - i < 2) {
      return -1;
    }
    if (buf[i] != CR || buf[i + 1] != LF) {
      throw malformed();
    }
    partName = null;
    partFilename = null;
    partType = null;
    state = State.HEADERS;
    return i + 2;
  }

  private void header(String line) {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw malformed();
    }
    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String v = line.substring(colon + 1).trim();
    if (name.equals("content-disposition")) {
      disposition(v);
    } else if (name.equals("content-type")) {
      partType = v;
    }
  }

  /** {@code form-data; name="key"; filename="a.txt"} (RFC 7578 4.2). */
  private void disposition(String v) {
    int n = v.length();
    int semi = v.indexOf(';');
    String type = (semi < 0 ? v : v.substring(0, semi)).trim();
    if (!type.equalsIgnoreCase("form-data")) {
      throw malformed();
    }
    int i = semi < 0 ? n : semi + 1;
    while (i < n) {
      while (i < n && (v.charAt(i) == ' ' || v.charAt(i) == '\t' || v.charAt(i) == ';')) {
        i++;
      }
      int eq = v.indexOf('=', i);
      if (eq < 0) {
        return;
      }
      String param = v.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      StringBuilder val = new StringBuilder();
      i = eq + 1;
      if (i < n && v.charAt(i) == '"') {
        i++;
        while (i < n && v.charAt(i) != '"') {
          char c = v.charAt(i);
          // A quoted-pair; browsers percent-encode quotes instead (RFC 7578 4.2), kept as sent.
          if (c == '\\' && i + 1 < n && (v.charAt(i + 1) == '"' || v.charAt(i + 1) == '\\')) {
            c = v.charAt(++i);
          }
          val.append(c);
          i++;
        }
        i++;
      } else {
        int end = v.indexOf(';', i);
        end = end < 0 ? n : end;
        val.append(v.substring(i, end).trim());
        i = end;
      }
      if (param.equals("name")) {
        partName = val.toString();
      } else if (param.equals("filename")) {
        partFilename = val.toString();
      }
    }
  }

  /** @param offset where the part's content begins in the body */
  private void startBody(long offset) {
    if (partName == null) {
      throw malformed(); // RFC 7578 4.2: every part names its field
    }
    if (partName.equalsIgnoreCase("file")) {
      if (offset > maxPreData) {
        throw new S3Exception(S3Error.MAX_POST_PRE_DATA_LENGTH_EXCEEDED);
      }
      fileSeen = true;
      state = State.FILE;
      listener.fileStart(partFilename, partType);
    } else {
      value.reset();
      state = State.FIELD;
    }
  }

  private int indexOfDelimiter(int from) {
    int last = len - delimiter.length;
    byte first = delimiter[0];
    outer:
    for (int i = from; i <= last; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private int indexOfCrlf(int from) {
    for (int i = from; i + 1 < len; i++) {
      if (buf[i] == CR && buf[i + 1] == LF) {
        return i;
      }
    }
    return -1;
  }

  static S3Exception malformed() {
    return new S3Exception(S3Error.MALFORMED_POST_REQUEST);
  }
}
