package io.tarn.s3.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.util.ReferenceCounted;
import io.tarn.storage.BlockCheck;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>Plain HTTP with verification ({@code zeroCopy}) does not pass the bytes it sends through the JVM:
 * the worker reads a whole span of blocks ({@link #SPAN}) piece by piece into one small reused
 * direct buffer, verifies each block, and hands on a file region of exactly the verified bytes,
 * which the event loop sends with {@code sendfile} from the page cache the read has just filled.
 * A blob file is immutable once installed (written whole under a temporary name, then renamed into
 * place; never rewritten), so the bytes verified are the bytes sent; only a page evicted in between
 * and read back differently from a failing disk would escape, the same window any read-then-send
 * has between the disk and the wire. Measured on 64 MiB GETs (bench/verify-bench.sh): the two
 * copies of the buffered path (file to JVM, JVM to socket) cost 45-57 % of the unverified
 * throughput; one copy into a cache-sized buffer plus the CRC32C is what remains here (25-30 %
 * over loopback on two cores: unverified, {@code sendfile} splices page-cache pages into the socket
 * and the server never touches a byte, so any check adds a full pass over the data in memory).
 * Tried and rejected (same benchmark, session 8): reading through a mapping instead of {@code pread}
 * (no faster: the pass over memory is the cost, not the copy; and CRC32C straight off a mapping
 * crashes the JVM with SIGBUS if the file is truncated meanwhile, while a bulk copy out of it turns
 * that into an InternalError), and buffered chunks read several ahead (no faster: the send becomes
 * a copy again).
 */
final class OffLoopChunkedFile implements ChunkedInput<ReferenceCounted> {
  /** Bytes verified per worker task in zero-copy mode: one file region each. */
  static final int SPAN = 2 << 20;
  /** The reused direct buffer a span is verified through, piece by piece (bounded memory per download). */
  static final int VERIFY_BUFFER = 256 << 10;
  /**
   * Verified regions not yet sent, at most: Netty counts a file region as 0 bytes against the
   * channel's write buffer, so without this limit a slow client would let the workers verify (and
   * queue a region object for) the whole blob ahead of the socket.
   */
  static final int REGIONS_AHEAD = 2;
  private final FileChannel file;
  private final long start;
  private final long end;
  private final int chunkSize;
  private final BlockCheck check; // null: unverified
  private final Executor workers;
  private final Runnable resume;
  private final boolean zeroCopy;
  private final AtomicReference<Object> ready = new AtomicReference<>(); // a ByteBuf, FileRegion or IOException
  // Zero-copy: the input and every region not yet released hold the file; the last one closes it (a
  // region may still be on its way out when the input is closed).
  private final AtomicInteger fileHolders = new AtomicInteger(1);
  private ByteBuf verifyBuffer; // zero-copy: the worker's, guarded by this; released by whoever ends last
  private boolean verifying; // zero-copy: a worker is using verifyBuffer; guarded by this
  private long nextRead; // event loop
  private long progress; // event loop
  private boolean reading; // event loop: a read was handed to a worker and not yet taken
  private volatile boolean closed;

  /**
   * @param chunkSize bytes per chunk; with a check, rounded up to whole blocks; ignored if zeroCopy
   * @param check verifies the blocks read, or null
   * @param zeroCopy hand on verified file regions instead of buffers (plain HTTP); needs a check
   */
  OffLoopChunkedFile(FileChannel file, long position, long length, int chunkSize, BlockCheck check, boolean zeroCopy,
      Executor workers, Runnable resume) {
    if (zeroCopy && check == null) {
      throw new IllegalArgumentException("zero-copy chunks are for verified reads only");
    }
    this.file = file;
    this.start = position;
    this.end = position + length;
    this.nextRead = position;
    this.check = check;
    this.zeroCopy = zeroCopy;
    int size = zeroCopy ? SPAN : chunkSize;
    this.chunkSize = check == null ? size
        : Math.max(1, (size + check.blockSize() - 1) / check.blockSize()) * check.blockSize();
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
  public ReferenceCounted readChunk(ChannelHandlerContext ctx) throws IOException {
    return readChunk(ctx.alloc());
  }

  @Override
  public ReferenceCounted readChunk(ByteBufAllocator alloc) throws IOException {
    Object r = ready.getAndSet(null);
    if (r == null) {
      startRead(alloc);
      return null;
    }
    reading = false;
    if (r instanceof IOException e) {
      throw e;
    }
    ReferenceCounted chunk = (ReferenceCounted) r;
    progress += chunk instanceof ByteBuf b ? b.readableBytes() : ((BlobRegion) chunk).count();
    startRead(alloc); // read ahead while this chunk is encrypted and sent
    return chunk;
  }

  private void startRead(ByteBufAllocator alloc) {
    if (reading || nextRead >= end || closed || (zeroCopy && fileHolders.get() > REGIONS_AHEAD)) {
      return; // a region's release resumes (releaseFile)
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
        result = check == null ? read(alloc, at, n) // they release on failure
            : zeroCopy ? verifiedRegion(alloc, at, n) : readVerified(alloc, at, n);
      } catch (IOException | RuntimeException e) {
        // The file, not the socket, failed: a server fault, logged and ending the connection.
        result = e instanceof BlobRegion.BlobFault ? e
            : new BlobRegion.BlobFault(e.getMessage() == null ? "the blob file cannot be read" : e.getMessage(), e);
      }
      ready.set(result);
      if (closed) {
        releaseReady(); // closed while reading: nobody will take it
      }
      try {
        resume.run();
      } catch (java.util.concurrent.RejectedExecutionException e) {
        releaseReady(); // the event loop has shut down (the server stopped): nobody will take it
      }
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

  /**
   * The whole blocks covering {@code [at, at+n)}, each read and verified, then exactly those bytes
   * as a region of the file (which it does not close: this input owns the channel). Not a byte of a
   * block is sent before the block passed: the region is made only after every block of it did.
   */
  private BlobRegion verifiedRegion(ByteBufAllocator alloc, long at, int n) throws IOException {
    int bs = check.blockSize();
    long first = at / bs;
    long blocksStart = first * bs;
    long blocksEnd = Math.min(check.dataLength(), (at + n + bs - 1) / bs * bs);
    ByteBuf buf;
    synchronized (this) {
      if (closed) {
        throw new BlobRegion.BlobFault("the download was closed", null);
      }
      if (verifyBuffer == null) {
        // Direct: the read lands there without a bounce buffer, and CRC32C over direct memory is
        // the JDK's intrinsic. Whole blocks, so no block straddles two pieces.
        // No larger than the download's blocks need: small objects take small buffers.
        long downloadBlocks = (Math.min(check.dataLength(), (end + bs - 1) / bs * bs) - start / bs * bs + bs - 1) / bs;
        int cap = (int) (bs * Math.min(Math.max(1, VERIFY_BUFFER / bs), downloadBlocks));
        verifyBuffer = alloc.directBuffer(cap, cap);
      }
      verifying = true;
      buf = verifyBuffer;
    }
    try {
      int piece = buf.capacity() / bs * bs;
      for (long p = blocksStart; p < blocksEnd; p += piece) {
        int len = (int) Math.min(piece, blocksEnd - p);
        buf.clear();
        fill(buf, p, len);
        for (int off = 0; off < len; off += bs) {
          check.verify((p + off) / bs, buf.nioBuffer(off, Math.min(bs, len - off)));
        }
      }
    } finally {
      synchronized (this) {
        verifying = false;
        if (closed) {
          releaseVerifyBuffer();
        }
      }
    }
    fileHolders.incrementAndGet();
    return new BlobRegion(file, at, n, this::releaseFile);
  }

  private void releaseFile() {
    int left = fileHolders.decrementAndGet();
    if (left > 0 && !closed) {
      resume.run(); // a region went out: room for the next span (startRead)
    } else if (left == 0) {
      try {
        file.close();
      } catch (IOException e) {
        System.getLogger(OffLoopChunkedFile.class.getName()).log(System.Logger.Level.DEBUG, "closing a blob failed", e);
      }
    }
  }

  private void releaseVerifyBuffer() { // holding this
    if (verifyBuffer != null && !verifying) {
      verifyBuffer.release();
      verifyBuffer = null;
    }
  }

  private void releaseReady() {
    Object r = ready.getAndSet(null);
    if (r instanceof ReferenceCounted b) {
      b.release();
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return; // the input's hold on the file is released once
      }
      closed = true;
      releaseVerifyBuffer(); // or the worker using it does, when done
    }
    releaseReady();
    releaseFile();
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
