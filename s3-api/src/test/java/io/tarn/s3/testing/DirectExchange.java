package io.tarn.s3.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tarn.core.Ids;
import io.tarn.core.S3Exception;
import io.tarn.s3.http.BodyConsumer;
import io.tarn.s3.http.ErrorResponses;
import io.tarn.s3.http.RequestHead;
import io.tarn.s3.http.S3Dispatcher;

/**
 * Runs one request through a dispatcher without a channel, in the order the Netty handler uses:
 * prepare, start, the body in slices, end; a failure becomes the error document the handler sends.
 * For operation tests, where the HTTP layer is not the subject.
 */
public final class DirectExchange {
  private static final int SLICE = 16 << 10;

  private DirectExchange() {}

  public static TestResponse run(S3Dispatcher dispatcher, TestRequest request) {
    return run(dispatcher, request.build());
  }

  public static TestResponse run(S3Dispatcher dispatcher, TestRequest.Built request) {
    RequestHead head = new RequestHead(Ids.requestId(), request.nettyHead(), "127.0.0.1");
    String resource = head.rawPath();
    BodyConsumer consumer = null;
    try {
      S3Dispatcher.Plan plan = dispatcher.prepare(head);
      resource = plan.resource();
      consumer = plan.start();
      for (byte[] slice : request.bodySlices(SLICE)) {
        ByteBuf buf = Unpooled.wrappedBuffer(slice);
        try {
          consumer.onContent(buf);
        } finally {
          buf.release();
        }
      }
      return TestResponse.of(consumer.onEnd());
    } catch (S3Exception e) {
      if (consumer != null) {
        consumer.onAbort();
      }
      return TestResponse.of(ErrorResponses.of(e, resource, head.requestId()));
    }
  }
}
