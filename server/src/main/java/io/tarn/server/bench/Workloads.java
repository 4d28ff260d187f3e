package io.tarn.server.bench;

import io.netty.handler.codec.http.HttpMethod;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/** The request streams of each {@code --op}, as factories of per-client {@link OpSource}s. */
final class Workloads {
  private Workloads() {}

  /** PUTs of new keys under {@code bench/put/<run>/}, unique per client and sequence. */
  static IntFunction<OpSource> put(String bucket, long size, String runId) {
    return client -> {
      String base = "/" + bucket + "/bench/put/" + runId + "/" + new ByteSize(size) + "/c"
          + client + "-";
      long[] seq = {0};
      return () -> Op.put(base + seq[0]++, size);
    };
  }

  /** GETs cycling over the data set, each client starting at its own offset. */
  static IntFunction<OpSource> get(Dataset data) {
    return client -> {
      long[] next = {client % data.count()};
      return () -> {
        long i = next[0];
        next[0] = (i + 1) % data.count();
        return Op.get(data.path(i), data.size());
      };
    };
  }

  /** GETs of one fixed path, for a static server that holds no data set ({@code --plain}). */
  static IntFunction<OpSource> plainGet(String path) {
    return client -> () -> Op.get(path, -1);
  }

  /** Each client walks the data set's listing page by page, starting over at the end. */
  static IntFunction<OpSource> list(Dataset data, int pageSize) {
    return client -> new ListWalk(data, pageSize);
  }

  /**
   * 60% GET, 30% PUT, 10% LIST (one page), chosen by a per-client seeded random, so a run is
   * repeatable and the mix holds in every client, not just on average.
   */
  static IntFunction<OpSource> mixed(Dataset data, int pageSize, String runId) {
    IntFunction<OpSource> gets = get(data);
    IntFunction<OpSource> puts = put(data.bucket(), data.size(), runId);
    return client -> {
      OpSource get = gets.apply(client);
      OpSource put = puts.apply(client);
      ListWalk list = new ListWalk(data, pageSize);
      SplittableRandom random = new SplittableRandom(client);
      return new OpSource() {
        @Override
        public Op next() {
          int dice = random.nextInt(10);
          return dice < 6 ? get.next() : dice < 9 ? put.next() : list.next();
        }

        @Override
        public void completed(Op op, String body) {
          if (op.type() == OpType.LIST) {
            list.completed(op, body);
          }
        }
      };
    };
  }

  /** PUTs of every object of the data set once, the clients sharing one counter. */
  static IntFunction<OpSource> populate(Dataset data) {
    AtomicLong counter = new AtomicLong();
    return client -> () -> {
      long i = counter.getAndIncrement();
      return i < data.count() ? Op.put(data.path(i), data.size()) : null;
    };
  }

  /** One client's walk over the listing; follows NextContinuationToken. */
  private static final class ListWalk implements OpSource {
    private final Dataset data;
    private final int pageSize;
    private String token;

    ListWalk(Dataset data, int pageSize) {
      this.data = data;
      this.pageSize = pageSize;
    }

    @Override
    public Op next() {
      return new Op(OpType.LIST, HttpMethod.GET, data.bucketPath(),
          ListPages.query(data.prefix(), pageSize, token), null, 0, -1, true);
    }

    @Override
    public void completed(Op op, String body) {
      token = ListPages.nextToken(body);
    }
  }
}
