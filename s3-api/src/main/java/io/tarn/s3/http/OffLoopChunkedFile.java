package io.tarn.s3.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A region of a blob file as chunks for {@code ChunkedWriteHandler}, read on the worker pool. Under
 * TLS the bytes must pass through the JVM to be encrypted, so zero-copy file regions cannot be used;
 * Netty's {@code ChunkedNioFile} would read the file on the event loop, where one slow disk read
 * stalls every connection of that loop. Here the event loop only takes chunks a worker has read:
 * {@link #readChunk} returns the ready chunk and asks for the next one, or returns null (the
 * handler then waits) and {@code resume} (the handler's {@code resumeTransfer}) is called when the
 * read is done. One chunk is read ahead, so memory per download is at most two chunks.
 */
final class OffLoopChunkedFile implements ChunkedInput<ByteBuf> {
  private final FileChannel file;
  private final long start;
  private final long end;
  private final int chunkSize;
  private final Executor workers;
  private final Runnable resume;
  private final AtomicReference<Object> ready = new AtomicReference<>(); // a ByteBuf or an IOException
  private long nextRead; // event loop
  private long progress; // event loop
  private boolean reading; // event loop: a read was handed to a worker and not yet taken
  private volatile boolean closed;

  OffLoopChunkedFile(FileChannel file, long position, long length, int chunkSize, Executor workers, Runnable resume) {
    this.file = file;
    this.start = position;
    this.end = position + length;
    this.nextRead = position;
    this.chunkSize = chunkSize;
    this.workers = workers;
    this.resume = resume;
  }

  @Override
  public boolean isEndOfInput() {
    return progress == end - start;
  }

  /** @deprecated the allocator form is the one Netty calls */
  @Deprecated
  @Override
  public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
    return readChunk(ctx.alloc());
  }

  @Override
  public ByteBuf readChunk(ByteBufAllocator alloc) throws IOException {
    Object r = ready.getAndSet(null);
    if (r == null) {
      startRead(alloc);
      return null;
    }
    reading = false;
    if (r instanceof IOException e) {
      throw e;
    }
    ByteBuf chunk = (ByteBuf) r;
    progress += chunk.readableBytes();
    startRead(alloc); // read ahead while this chunk is encrypted and sent
    return chunk;
  }

  private void startRead(ByteBufAllocator alloc) {
    if (reading || nextRead >= end || closed) {
      return;
    }
    reading = true;
    long at = nextRead;
    int n = (int) Math.min(chunkSize, end - at);
    nextRead += n;
    ByteBuf buf = alloc.buffer(n);
    workers.execute(() -> {
      Object result;
      try {
        while (buf.writableBytes() > 0 && buf.writerIndex() < n) {
          long pos = at + buf.writerIndex();
          if (buf.writeBytes(file, pos, n - buf.writerIndex()) < 0) {
            throw new BlobRegion.BlobFault("the blob file ended " + (end - pos) + " bytes early", null);
          }
        }
        result = buf;
      } catch (IOException e) {
        buf.release();
        // The file, not the socket, failed: a server fault, logged and ending the connection.
        result = e instanceof BlobRegion.BlobFault ? e : new BlobRegion.BlobFault("the blob file cannot be read", e);
      }
      ready.set(result);
      if (closed) {
        releaseReady(); // closed while reading: nobody will take it
      }
      resume.run();
    });
  }

  private void releaseReady() {
    Object r = ready.getAndSet(null);
    if (r instanceof ByteBuf b) {
      b.release();
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    releaseReady();
    file.close();
  }

  @Override
  public long length() {
    return end - start;
  }

  @Override
  public long progress() {
    return progress;
  }
}
