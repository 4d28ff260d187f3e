package io.tarn.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Checks that every response carries {@code x-amz-request-id} and {@code x-amz-id-2}, as S3 does on
 * success and error alike (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTCommonResponseHeaders.html).
 *
 * <p>Installed on every SDK client and used by {@link RawHttp}; it records violations instead of
 * throwing, so a test expecting an error still sees the error, and {@link TarnServerExtension}
 * fails the test after it ran.
 */
public final class ResponseHeaderAudit implements ExecutionInterceptor {
  static final List<String> REQUIRED = List.of("x-amz-request-id", "x-amz-id-2");
  private final List<String> violations = new ArrayList<>();

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes executionAttributes) {
    SdkHttpRequest request = context.httpRequest();
    check(request.method() + " " + request.getUri(), context.httpResponse().statusCode(),
        name -> context.httpResponse().firstMatchingHeader(name));
  }

  /** Records a violation if {@code headers} lacks one of the required headers. */
  public void check(String request, int status, Function<String, Optional<String>> headers) {
    for (String name : REQUIRED) {
      if (headers.apply(name).filter(v -> !v.isBlank()).isEmpty()) {
        synchronized (violations) {
          violations.add(request + " -> " + status + " has no " + name + " header");
        }
      }
    }
  }

  /** Returns and forgets the violations seen so far. */
  public List<String> drain() {
    synchronized (violations) {
      List<String> out = List.copyOf(violations);
      violations.clear();
      return out;
    }
  }
}
