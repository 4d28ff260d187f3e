package io.tarn.s3.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.tarn.storage.BlockCheck;
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
 *
 * <p>With a {@link BlockCheck} (verified reads) chunks are whole checksum blocks: the worker reads the
 * blocks covering the chunk, verifies each, and hands on only the requested bytes of blocks that
 * passed; chunks after the first start on a block boundary, so no block is read twice. A block that
 * fails is a {@link BlobRegion.BlobFault}: the handler logs it and cuts the connection, so the client
 * never receives a complete response. Plain HTTP takes this path too when reads are verified: the
 * bytes must pass through the JVM to be checked, and reading them on a worker keeps disk reads off
 * the event loop.
 */
final class OffLoopChunkedFile implements ChunkedInput<ByteBuf> {
  private final FileChannel file;
  private final long start;
  private final long end;
  private final int chunkSize;
  private final BlockCheck check; // null: unverified
  private final Executor workers;
  private final Runnable resume;
  private final AtomicReference<Object> ready = new AtomicReference<>(); // a ByteBuf or an IOException
  private long nextRead; // event loop
  private long progress; // event loop
  private boolean reading; // event loop: a read was handed to a worker and not yet taken
  private volatile boolean closed;

  /**
   * @param chunkSize bytes per chunk; with a check, rounded up to whole blocks
   * @param check verifies the blocks read, or null
   */
  OffLoopChunkedFile(FileChannel file, long position, long length, int chunkSize, BlockCheck check, Executor workers,
      Runnable resume) {
    this.file = file;
    this.start = position;
    this.end = position + length;
    this.nextRead = position;
    this.check = check;
    this.chunkSize = check == null ? chunkSize
        : Math.max(1, (chunkSize + check.blockSize() - 1) / check.blockSize()) * check.blockSize();
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
    int n;
    if (check == null) {
      n = (int) Math.min(chunkSize, end - at);
    } else {
      // End on a block boundary (or the range's end): the next chunk then starts on one.
      long blockStart = at / check.blockSize() * check.blockSize();
      n = (int) (Math.min(end, blockStart + chunkSize) - at);
    }
    nextRead += n;
    workers.execute(() -> {
      Object result;
      try {
        result = check == null ? read(alloc, at, n) : readVerified(alloc, at, n); // they release on failure
      } catch (IOException | RuntimeException e) {
        // The file, not the socket, failed: a server fault, logged and ending the connection.
        result = e instanceof BlobRegion.BlobFault ? e
            : new BlobRegion.BlobFault(e.getMessage() == null ? "the blob file cannot be read" : e.getMessage(), e);
      }
      ready.set(result);
      if (closed) {
        releaseReady(); // closed while reading: nobody will take it
      }
      resume.run();
    });
  }

  /** {@code n} bytes of the file from {@code at}. */
  private ByteBuf read(ByteBufAllocator alloc, long at, int n) throws IOException {
    ByteBuf buf = alloc.buffer(n);
    try {
      fill(buf, at, n);
      return buf;
    } catch (IOException | RuntimeException e) {
      buf.release();
      throw e;
    }
  }

  private void fill(ByteBuf buf, long at, int n) throws IOException {
    while (buf.writerIndex() < n) {
      long pos = at + buf.writerIndex();
      if (buf.writeBytes(file, pos, n - buf.writerIndex()) < 0) {
        throw new BlobRegion.BlobFault("the blob file ended " + (n - buf.writerIndex()) + " bytes early", null);
      }
    }
  }

  /** The whole blocks covering {@code [at, at+n)}, each verified, sliced to those bytes. */
  private ByteBuf readVerified(ByteBufAllocator alloc, long at, int n) throws IOException {
    int bs = check.blockSize();
    long first = at / bs;
    long blocksStart = first * bs;
    long blocksEnd = Math.min(check.dataLength(), (at + n + bs - 1) / bs * bs);
    int total = (int) (blocksEnd - blocksStart);
    ByteBuf buf = read(alloc, blocksStart, total);
    try {
      for (int off = 0; off < total; off += bs) {
        check.verify(first + off / bs, buf.nioBuffer(off, Math.min(bs, total - off)));
      }
      return buf.setIndex((int) (at - blocksStart), (int) (at - blocksStart) + n);
    } catch (RuntimeException e) {
      buf.release();
      throw e;
    }
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
