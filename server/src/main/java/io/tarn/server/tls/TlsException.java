package io.tarn.server.tls;

/**
 * A TLS setting that cannot be used: the message is one line naming the file and what is wrong
 * with it, meant to be shown to the operator as is (no stack trace).
 */
public final class TlsException extends Exception {
  private static final long serialVersionUID = 1L;

  public TlsException(String message) {
    super(message);
  }

  public TlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
