package dev.fabula.examples.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The foundation workloads: batched appends, single-event appends with 1, 8 and 32 threads, and a
 * read of the whole global log, by the unconfined store and by a tenant view ({@code forTenant}),
 * each next to the same work done with the fastest plain JDBC in the same run, on two raw tables:
 *
 * <ul>
 *   <li>{@code raw_events} mirrors ours (same columns and unique indexes, no streams table): what
 *       our guarantees cost on our schema ({@code .vs_raw});
 *   <li>{@code simple_events} is the simplest correct events table: an identity position, stream id,
 *       version, type, payload and metadata ({@code jsonb} on PostgreSQL), unique (stream id,
 *       version), nothing else; on SQLite an {@code INTEGER PRIMARY KEY} without {@code
 *       AUTOINCREMENT} and no event-id index: how close we get to what the database can do ({@code
 *       .vs_simple_raw}).
 * </ul>
 */
final class FoundationWorkload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Backend backend;
  /** Raw SQLite writers queue here, as the store's writers queue on its write lock. */
  private final ReentrantLock sqliteWriters = new ReentrantLock(true);

  private final JdbcEventStore store;
  private final EventStore tenant;
  private final int batchEvents;
  private final int singleEvents;

  FoundationWorkload(Backend backend, JdbcEventStore store, int batchEvents, int singleEvents) {
    this.backend = backend;
    this.store = store;
    this.tenant = store.forTenant("bench-tenant");
    this.batchEvents = batchEvents;
    this.singleEvents = singleEvents;
  }

  static ObjectNode payload(long i) {
    ObjectNode node = JSON.createObjectNode();
    node.put("meter", "meter-" + (i % 997));
    node.put("kwh", 12.5 + (i % 100));
    node.put("amount", "3.75");
    node.put("at", "2026-11-21T06:00:00Z");
    node.put("note", "token purchase via the mobile app, reference " + i);
    return node;
  }

  /** Thread counts of the single-event appends. */
  static final int[] SINGLE_THREADS = {1, 8, 32};

  List<Result> run() throws Exception {
    createRawTable();
    createSimpleTable();
    List<Result> results = new ArrayList<>();
    String p = backend.prefix();

    // Warm-up: the same work, smaller and untimed, so that both sides run JIT-compiled code.
    rawBatches(RAW, batchEvents / 10, "warmrawbatch");
    rawBatches(SIMPLE, batchEvents / 10, "warmrawbatch");
    batches(store, batchEvents / 10, "warmbatch");
    batches(tenant, batchEvents / 10, "warmbatch");
    rawSingles(RAW, 8, singleEvents / 10, "warmrawsingle");
    rawSingles(SIMPLE, 8, singleEvents / 10, "warmrawsingle");
    singles(store, 8, singleEvents / 10, "warmsingle");
    singles(tenant, 8, singleEvents / 10, "warmsingle");
    rawReadAll(RAW);
    rawReadAll(SIMPLE);
    readAll(store);
    readAll(tenant);
    // Steady state: production tables have statistics (autovacuum analyzes them within a minute).
    try (Connection c = backend.connect(); Statement st = c.createStatement()) {
      st.execute("ANALYZE");
    }

    double raw = rawBatches(RAW, batchEvents, "rawbatch");
    double simple = rawBatches(SIMPLE, batchEvents, "rawbatch");
    double ours = batches(store, batchEvents, "batch");
    results.add(Result.vsRaws(p + ".append.batch100.events_per_s", ours, raw, simple, "events/s"));
    // A tenant view (store.forTenant) does the same work in its own namespace, against the same raw figures.
    double tenantBatch = batches(tenant, batchEvents, "batch");
    results.add(Result.vsRaws(p + ".append.batch100.tenant.events_per_s", tenantBatch, raw, simple, "events/s"));

    for (int threads : SINGLE_THREADS) {
      double rawSingle = rawSingles(RAW, threads, singleEvents, "rawsingle" + threads);
      double simpleSingle = rawSingles(SIMPLE, threads, singleEvents, "rawsingle" + threads);
      double oursSingle = singles(store, threads, singleEvents, "single" + threads);
      results.add(Result.vsRaws(p + ".append.single.t" + threads + ".events_per_s", oursSingle, rawSingle, simpleSingle, "events/s"));
      double tenantSingle = singles(tenant, threads, singleEvents, "single" + threads);
      results.add(Result.vsRaws(p + ".append.single.t" + threads + ".tenant.events_per_s", tenantSingle, rawSingle, simpleSingle, "events/s"));
    }

    double rawRead = rawReadAll(RAW);
    double simpleRead = rawReadAll(SIMPLE);
    double oursRead = readAll(store);
    results.add(Result.vsRaws(p + ".read.all.events_per_s", oursRead, rawRead, simpleRead, "events/s"));
    // The tenant's own events only (about half the log here), through the (tenant_id, position) index.
    double tenantRead = readAll(tenant);
    results.add(Result.vsRaws(p + ".read.all.tenant.events_per_s", tenantRead, rawRead, simpleRead, "events/s"));
    return results;
  }

  // ---- ours ---------------------------------------------------------------------------------

  private double batches(EventStore into, int count, String streamPrefix) {
    long start = System.nanoTime();
    for (int b = 0; b < count / 100; b++) {
      List<EventData> events = new ArrayList<>(100);
      for (int i = 0; i < 100; i++) {
        events.add(EventData.json("token-purchased", 1, payload(b * 100L + i)));
      }
      into.append(streamPrefix + "-" + b, ExpectedVersion.noStream(), events);
    }
    return perSecond(count / 100 * 100L, start);
  }

  private double singles(EventStore into, int threads, int count, String streamPrefix) throws Exception {
    int perThread = count / threads;
    return concurrently(threads, t -> {
      String stream = streamPrefix + "-" + t;
      for (int i = 0; i < perThread; i++) {
        into.append(stream, ExpectedVersion.exactly(i), List.of(EventData.json("reading-recorded", 1, payload(i))));
      }
    }, perThread * threads);
  }

  private static double readAll(EventStore from) {
    long start = System.nanoTime();
    long n = 0;
    try (Stream<RecordedEvent> events = from.readAll(LogQuery.all())) {
      for (var it = events.iterator(); it.hasNext(); ) {
        RecordedEvent e = it.next();
        if (e.payload().size() > 0) {
          n++;
        }
      }
    }
    return perSecond(n, start);
  }

  // ---- raw JDBC -----------------------------------------------------------------------------

  /** The raw tables: {@code raw_events} (like ours) and {@code simple_events} (the simplest correct one). */
  private enum Raw {
    RAW,
    SIMPLE
  }

  private static final Raw RAW = Raw.RAW;
  private static final Raw SIMPLE = Raw.SIMPLE;

  private void createRawTable() throws Exception {
    try (Connection c = backend.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS raw_events");
      if (backend.isPostgres()) {
        s.execute("CREATE TABLE raw_events (position bigserial PRIMARY KEY, stream_id text NOT NULL, "
            + "stream_version bigint NOT NULL, event_id uuid NOT NULL UNIQUE, event_type text NOT NULL, "
            + "payload jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL, "
            + "UNIQUE (stream_id, stream_version))");
      } else {
        s.execute("CREATE TABLE raw_events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL, "
            + "stream_version INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE, event_type TEXT NOT NULL, "
            + "payload TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at INTEGER NOT NULL, "
            + "UNIQUE (stream_id, stream_version))");
      }
    }
  }

  /** The simplest correct events table: the limit users compare against (see the class comment). */
  private void createSimpleTable() throws Exception {
    try (Connection c = backend.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS simple_events");
      if (backend.isPostgres()) {
        s.execute("CREATE TABLE simple_events (position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
            + "stream_id text NOT NULL, version bigint NOT NULL, type text NOT NULL, "
            + "payload jsonb NOT NULL, metadata jsonb NOT NULL, UNIQUE (stream_id, version))");
      } else {
        s.execute("CREATE TABLE simple_events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
            + "version INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL, metadata TEXT NOT NULL, "
            + "UNIQUE (stream_id, version))");
      }
    }
  }

  private void bindRow(Raw table, PreparedStatement ps, String stream, long version, long i) throws Exception {
    ps.setString(1, stream);
    ps.setLong(2, version);
    if (table == SIMPLE) {
      ps.setString(3, "token-purchased");
      ps.setString(4, JSON.writeValueAsString(payload(i)));
      ps.setString(5, "{}");
      return;
    }
    if (backend.isPostgres()) {
      ps.setObject(3, UUID.randomUUID());
      ps.setTimestamp(7, Timestamp.from(Instant.now()));
    } else {
      ps.setString(3, UUID.randomUUID().toString());
      ps.setLong(7, System.currentTimeMillis() * 1000);
    }
    ps.setString(4, "token-purchased");
    ps.setString(5, JSON.writeValueAsString(payload(i)));
    ps.setString(6, "{}");
  }

  private String insertSql(Raw table) {
    if (table == SIMPLE) {
      return backend.isPostgres()
          ? "INSERT INTO simple_events (stream_id, version, type, payload, metadata) VALUES (?, ?, ?, ?::jsonb, ?::jsonb)"
          : "INSERT INTO simple_events (stream_id, version, type, payload, metadata) VALUES (?, ?, ?, ?, ?)";
    }
    return backend.isPostgres()
        ? "INSERT INTO raw_events (stream_id, stream_version, event_id, event_type, payload, metadata, recorded_at) VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)"
        : "INSERT INTO raw_events (stream_id, stream_version, event_id, event_type, payload, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
  }

  private double rawBatches(Raw table, int count, String streamPrefix) throws Exception {
    try (Connection c = backend.connect(); PreparedStatement ps = c.prepareStatement(insertSql(table))) {
      c.setAutoCommit(false);
      long start = System.nanoTime();
      for (int b = 0; b < count / 100; b++) {
        for (int i = 0; i < 100; i++) {
          bindRow(table, ps, streamPrefix + "-" + b, i + 1, b * 100L + i);
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      }
      return perSecond(count / 100 * 100L, start);
    }
  }

  private double rawSingles(Raw table, int threads, int count, String streamPrefix) throws Exception {
    int perThread = count / threads;
    return concurrently(threads, t -> {
      try (Connection c = backend.connect(); PreparedStatement ps = c.prepareStatement(insertSql(table));
          Statement tx = c.createStatement()) {
        if (backend.isPostgres()) {
          c.setAutoCommit(false);
        }
        for (int i = 0; i < perThread; i++) {
          if (backend.isPostgres()) {
            bindRow(table, ps, streamPrefix + "-" + t, i + 1, i);
            ps.executeUpdate();
            c.commit();
            continue;
          }
          // SQLite has one writer: the threads queue on a fair lock, as the store's writers do (on
          // busy_timeout alone, 32 threads ran into SQLITE_BUSY), and each transaction is begun
          // and committed by hand (the driver would begin the next one right after a commit).
          sqliteWriters.lock();
          try {
            tx.execute("BEGIN IMMEDIATE");
            bindRow(table, ps, streamPrefix + "-" + t, i + 1, i);
            ps.executeUpdate();
            tx.execute("COMMIT");
          } finally {
            sqliteWriters.unlock();
          }
        }
      }
    }, perThread * threads);
  }

  private double rawReadAll(Raw table) throws Exception {
    String select = table == SIMPLE
        ? "SELECT position, stream_id, version, type, payload, metadata FROM simple_events ORDER BY position"
        : "SELECT position, stream_id, stream_version, event_id, event_type, payload, metadata, recorded_at "
            + "FROM raw_events ORDER BY position";
    int payloadColumn = table == SIMPLE ? 5 : 6;
    int columns = table == SIMPLE ? 6 : 8;
    try (Connection c = backend.connect()) {
      c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
      try (PreparedStatement ps = c.prepareStatement(select)) {
        ps.setFetchSize(1000);
        long start = System.nanoTime();
        long n = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rs.getLong(1);
            rs.getLong(3);
            JsonNode payload = null;
            for (int col = 2; col <= columns; col++) {
              if (col == payloadColumn) {
                payload = JSON.readTree(rs.getString(col));
              } else if (col != 3) {
                rs.getString(col);
              }
            }
            if (payload != null && payload.size() > 0) {
              n++;
            }
          }
        }
        c.commit();
        return perSecond(n, start);
      }
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  interface Work {
    void run(int thread) throws Exception;
  }

  static double concurrently(int threads, Work work, long operations) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          work.run(id);
          return null;
        }));
      }
      ready.await();
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
      return perSecond(operations, start);
    } finally {
      pool.shutdownNow();
    }
  }

  static double perSecond(long n, long startNanos) {
    return n / ((System.nanoTime() - startNanos) / 1e9);
  }
}
