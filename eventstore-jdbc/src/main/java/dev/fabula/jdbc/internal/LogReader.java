package dev.fabula.jdbc.internal;

import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.jdbc.spi.Dialect;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jspecify.annotations.Nullable;

/**
 * Reads: one stream, a stream's row, the head of the log, and the global log in pages over
 * position windows, from one database: the store's own ({@link #primary}: each read runs on a
 * pooled handle outside a transaction, or with row-level security on in a short transaction that
 * sets the reader's tenant first, {@link UnitsOfWork#read}), or a read replica ({@link
 * ReplicaReads}). Thread-safe.
 */
final class LogReader {
  /**
   * Where a reader's reads run and where their horizon comes from. Thread-safe.
   */
  interface Source {
    /** Fails if the store is closed. */
    void checkOpen();

    /** Runs a read on a handle of this source's database. */
    <T> T read(@Nullable String tenant, String action, HandleCallback<T, RuntimeException> work);

    /** The read horizon of a log read, on a handle of this source's database. */
    long horizon(Handle handle);

    /** Called on the handle of a stream read before it reads. */
    default void beforeStreamRead(Handle handle) {}
  }

  /** The store's own database: reads through its units of work, the horizon from its dialect. */
  static Source primary(StoreContext store, UnitsOfWork work) {
    return new Source() {
      @Override
      public void checkOpen() {
        work.checkOpen();
      }

      @Override
      public <T> T read(@Nullable String tenant, String action, HandleCallback<T, RuntimeException> callback) {
        return work.read(tenant, action, callback);
      }

      @Override
      public long horizon(Handle handle) {
        return store.dialect().safeHorizon(handle, store.sql());
      }
    };
  }

  /** Rows per page of a global-log read. */
  static final int PAGE_SIZE = 1000;
  /** The column of {@code read_all_checked.sql} after the event columns: the removals' watermark. */
  private static final int WATERMARK_COLUMN = 14;
  /** Widest position window of one global-log query. */
  static final long MAX_WINDOW = 1L << 24;

  private final StoreContext store;
  private final Source work;
  /** Hears reads that returned, for metrics. */
  private final Observers observers;
  /** Tells a read that crossed a retention removal ({@link JdbcRetention#check}). */
  private final RemovalCheck removals;

  /** Tells a log read that crossed a retention removal ({@link JdbcRetention}). */
  interface RemovalCheck {
    /** Runs on the handle of a page of a log read, after it: throws if the page crossed a removal. */
    void check(Handle h, LogQuery query, long after, long until);

    /**
     * Whether removals are recorded (the retention tables are there): then each page reads the
     * removals' watermark with its rows ({@code read_all_checked.sql}), and {@link #check} runs only
     * when a removal may reach above the page's start.
     */
    boolean recorded();
  }

  LogReader(StoreContext store, Source work, Observers observers, RemovalCheck removals) {
    this.store = store;
    this.work = work;
    this.observers = observers;
    this.removals = removals;
  }

  List<RecordedEvent> readStream(@Nullable String tenant, String streamId, StreamRead read) {
    if (!observers.any()) {
      return readStreamUnobserved(tenant, streamId, read);
    }
    long start = System.nanoTime();
    List<RecordedEvent> events = readStreamUnobserved(tenant, streamId, read);
    observers.streamRead(events.size(), System.nanoTime() - start);
    return events;
  }

  private List<RecordedEvent> readStreamUnobserved(@Nullable String tenant, String streamId, StreamRead read) {
    return work.read(tenant, "reading stream '" + streamId + "'", h -> {
      work.beforeStreamRead(h);
      Optional<StreamInfo> info = store.streamInfo(h, tenant, streamId);
      if (info.isEmpty()) {
        return List.of();
      }
      if (info.get().deleted()) {
        throw new StreamDeletedException(streamId);
      }
      boolean forwards = read.direction() == StreamRead.Direction.FORWARDS;
      return h.createQuery(store.sql().get(forwards ? "read_stream_forwards" : "read_stream_backwards"))
          .bind("tenant_id", Dialect.tenantKey(tenant))
          .bind("stream_id", streamId)
          .bind("from_version", read.fromVersion())
          .bind("limit", read.limit())
          .map(store.events())
          .list();
    });
  }

  Optional<StreamInfo> streamInfo(@Nullable String tenant, String streamId) {
    return work.read(tenant, "reading stream '" + streamId + "'", h -> {
      work.beforeStreamRead(h);
      return store.streamInfo(h, tenant, streamId);
    });
  }

  /** The read horizon; for a tenant, its newest event at or below it (see tenant_head.sql). */
  long headPosition(@Nullable String tenant) {
    return work.read(tenant, "reading the head of the global log", h -> {
      long horizon = work.horizon(h);
      if (tenant == null || horizon == 0) {
        return horizon;
      }
      return h.createQuery(store.sql().get("tenant_head")).bind("tenant_id", tenant).bind("horizon", horizon).mapTo(Long.class).one();
    });
  }

  /**
   * Reads the log in pages over position windows: each query covers {@code (after, until]} with
   * {@code until} at most the horizon read once at the start. A window bounds the work of every
   * query whatever the planner believes about the table (a stale estimate once made PostgreSQL
   * bitmap-scan and sort the whole rest of the log for each page); a window that yields few events
   * (selective filters, a sparse log) doubles the next one.
   */
  Stream<RecordedEvent> readAll(LogQuery query) {
    work.checkOpen();
    Iterator<RecordedEvent> pages = new Iterator<>() {
      private long after = query.afterPosition();
      private long remaining = query.limit();
      private long horizon = -1;
      private long window = PAGE_SIZE;
      /** Whether removals above {@code after} were checked already (a page that was not full checks them all). */
      private boolean atHead;
      private Iterator<RecordedEvent> page = List.<RecordedEvent>of().iterator();

      @Override
      public boolean hasNext() {
        while (!page.hasNext() && remaining > 0) {
          if (horizon < 0) {
            horizon = horizon(query.tenantId());
          }
          if (after >= horizon) {
            if (!atHead) {
              // Nothing left to read: a removal above the position is still one this reader will never see.
              atHead = true;
              work.read(query.tenantId(), "reading the global log", h -> {
                removals.check(h, query, after, Long.MAX_VALUE);
                return null;
              });
            }
            return false;
          }
          int limit = (int) Math.min(PAGE_SIZE, remaining);
          long until = Math.min(horizon, after + window);
          List<RecordedEvent> next = page(after, until, limit, query);
          if (next.size() == limit) {
            after = next.get(next.size() - 1).position();
            atHead = false;
          } else {
            after = until;
            atHead = true; // the page's check covered every position above it
            if (next.size() < limit / 2) {
              window = Math.min(window * 2, MAX_WINDOW);
            }
          }
          page = next.iterator();
        }
        return remaining > 0 && page.hasNext();
      }

      @Override
      public RecordedEvent next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        remaining--;
        return page.next();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /**
   * The read horizon for a log read of {@code tenant} (null: every namespace). Under row-level
   * security the database shows the reader only its tenant's rows, which gives a horizon at or
   * below the store's: still one no late commit can pass.
   */
  private long horizon(@Nullable String tenant) {
    return work.read(tenant, "reading the head of the global log", work::horizon);
  }

  private List<RecordedEvent> page(long after, long until, int limit, LogQuery query) {
    if (!observers.any()) {
      return pageUnobserved(after, until, limit, query);
    }
    long start = System.nanoTime();
    List<RecordedEvent> events = pageUnobserved(after, until, limit, query);
    observers.logPageRead(events.size(), System.nanoTime() - start);
    return events;
  }

  private List<RecordedEvent> pageUnobserved(long after, long until, int limit, LogQuery query) {
    boolean checked = removals.recorded();
    return work.read(query.tenantId(), "reading the global log", h -> {
      var q = h.createQuery(store.sql().get(checked ? "read_all_checked" : "read_all"))
          .bind("after", after)
          .bind("until", until)
          .bind("limit", limit)
          .bind("tenant_id", query.tenantId());
      store.dialect().bindStrings(q, "types", query.types());
      store.dialect().bindStrings(q, "categories", query.categories());
      long[] removedThrough = {Long.MAX_VALUE};
      List<RecordedEvent> events = checked
          ? q.map((rs, ctx) -> {
              if (removedThrough[0] == Long.MAX_VALUE) {
                removedThrough[0] = rs.getLong(WATERMARK_COLUMN);
              }
              return store.events().map(rs, ctx);
            }).list()
          : q.map(store.events()).list();
      // A watermark at or below the page's start, read with the rows: no removal reaches into the
      // page (see read_all_checked.sql). Otherwise (or with no rows to carry it) the removals query,
      // after the page, never before: a removal that commits meanwhile is then either seen here or
      // was not yet made when the page was read (see JdbcRetention).
      if (removedThrough[0] > after) {
        removals.check(h, query, after, events.size() == limit ? events.get(events.size() - 1).position() : Long.MAX_VALUE);
      }
      return events;
    });
  }
}
