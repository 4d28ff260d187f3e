package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.handler.timeout.IdleStateEvent;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link S3HttpHandler} promises a {@link S3Dispatcher}, with a recording fake: which calls
 * happen on the worker, that a failed or dropped exchange is aborted, unexpected exceptions become
 * InternalError, idle connections are closed.
 */
class S3HttpHandlerContractTest {
  /** Calls seen by the fake, in order. */
  private final List<String> calls = new ArrayList<>();
  private ChannelHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  /** A dispatcher whose every plan starts {@code consumer}. */
  private S3Dispatcher dispatcher(Supplier<BodyConsumer> consumer) {
    return head -> new S3Dispatcher.Plan() {
      @Override
      public BodyConsumer start() {
        calls.add("start");
        return consumer.get();
      }

      @Override
      public String resource() {
        return "/planned";
      }
    };
  }

  /** Records its calls; answers 200 with the number of body bytes seen. */
  private BodyConsumer recording() {
    return new BodyConsumer() {
      long bytes;

      @Override
      public void onContent(ByteBuf content) {
        bytes += content.readableBytes();
        calls.add("content");
      }

      @Override
      public S3Response onEnd() {
        calls.add("end");
        return S3Response.xml(200, "<Bytes>" + bytes + "</Bytes>");
      }

      @Override
      public void onAbort() {
        calls.add("abort");
      }
    };
  }

  @Test
  void theWholeExchangeRunsOnTheWorkersInOrder() {
    h = new ChannelHarness(dispatcher(this::recording));
    h.send(TestRequest.put("/b/k").anonymous().body("0123456789").build().wire());
    assertEquals(List.of(), calls, "nothing runs on the event loop");
    h.settle();
    assertEquals(List.of("start", "content", "end"), calls);
    assertEquals("10", h.next().xml("Bytes"));
  }

  @Test
  void anUnexpectedExceptionWhileRoutingIsInternalError() {
    h = new ChannelHarness(head -> {
      throw new IllegalStateException("a bug");
    });
    TestResponse r = h.exchange(TestRequest.get("/b/k").anonymous());
    assertEquals(500, r.status());
    assertEquals("InternalError", r.xml("Code"));
    assertEquals("/b/k", r.xml("Resource"));
    assertFalse(r.text().contains("a bug"), "internals are logged, not sent");
    h.assertOpen();
  }

  @Test
  void anUnexpectedExceptionAtTheEndIsInternalErrorAndAborts() {
    h = new ChannelHarness(dispatcher(() -> new BodyConsumer() {
      @Override
      public void onContent(ByteBuf content) {}

      @Override
      public S3Response onEnd() {
        throw new IllegalStateException("a bug");
      }

      @Override
      public void onAbort() {
        calls.add("abort");
      }
    }));
    TestResponse r = h.exchange(TestRequest.put("/b/k").anonymous().body("x"));
    assertEquals(500, r.status());
    assertEquals("/planned", r.xml("Resource"));
    assertEquals(List.of("start", "abort"), calls);
    h.assertOpen();
  }

  @Test
  void aRefusedBodyAbortsAndClosesWithoutReadingTheRest() {
    h = new ChannelHarness(dispatcher(() -> new BodyConsumer() {
      @Override
      public void onContent(ByteBuf content) {
        throw new S3Exception(S3Error.ENTITY_TOO_LARGE);
      }

      @Override
      public S3Response onEnd() {
        calls.add("end");
        return S3Response.ok();
      }

      @Override
      public void onAbort() {
        calls.add("abort");
      }
    }));
    TestRequest.Built put = TestRequest.put("/b/k").anonymous().body(new byte[4000]).build();
    h.send(put.headBytes());
    h.settle();
    h.send(java.util.Arrays.copyOf(put.wireBody(), 1000));
    h.settle();
    TestResponse r = h.next();
    assertEquals("EntityTooLarge", r.xml("Code"));
    assertEquals(List.of("start", "abort"), calls);
    h.assertClosed();
  }

  @Test
  void aDroppedConnectionAbortsTheExchange() {
    h = new ChannelHarness(dispatcher(this::recording));
    TestRequest.Built put = TestRequest.put("/b/k").anonymous().body(new byte[4000]).build();
    h.send(put.headBytes());
    h.send(java.util.Arrays.copyOf(put.wireBody(), 1000));
    h.settle();
    h.channel.close();
    h.settle();
    assertEquals(List.of("start", "content", "abort"), calls);
  }

  /**
   * RFC 9110 allows leaving 100 Continue out once the body is here, but botocore then keeps the final
   * answer's status line for the connection's next Expect request (see S3HttpHandler): always 100 first.
   */
  @Test
  void expectWithTheBodyAlreadySentStillGetsContinueFirst() {
    h = new ChannelHarness(dispatcher(this::recording));
    h.send(TestRequest.put("/b/k").anonymous().expectContinue().body("abc").build().wire());
    h.settle();
    List<TestResponse> all = h.all();
    assertEquals(List.of(100, 200), all.stream().map(TestResponse::status).toList());
    h.assertOpen();
  }

  @Test
  void anIdleKeepAliveConnectionIsClosed() {
    h = new ChannelHarness(dispatcher(this::recording));
    assertEquals(200, h.exchange(TestRequest.get("/b/k").anonymous()).status());
    h.channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    h.assertClosed();
  }

  @Test
  void aBodyThatStopsArrivingIsRequestTimeout() {
    h = new ChannelHarness(dispatcher(this::recording));
    h.send(TestRequest.put("/b/k").anonymous().body(new byte[100]).build().headBytes());
    h.settle();
    h.channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    h.settle();
    TestResponse r = h.next();
    assertEquals(400, r.status());
    assertEquals("RequestTimeout", r.xml("Code"));
    assertTrue(calls.contains("abort"), calls.toString());
    h.assertClosed();
  }

  @Test
  void http10ClosesUnlessKeepAliveIsAsked() {
    h = new ChannelHarness(dispatcher(this::recording));
    h.send("GET /b/k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    h.settle();
    TestResponse kept = h.next();
    assertEquals("keep-alive", kept.header("Connection"));
    h.assertOpen();
    h.send("GET /b/k HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    h.settle();
    assertEquals("close", h.next().header("Connection"));
    h.assertClosed();
  }
}
