package dev.fabula.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.fabula.AppendResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventIdConflictException;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.TenantAccessException;
import dev.fabula.TransactionCallback;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.jdbc.spi.ExpectedParameters;
import dev.fabula.jdbc.spi.Migrations;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.spi.Backend;
import dev.fabula.spi.PreparedAppend;
import dev.fabula.spi.PreparedEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC event store: the shared logic over a {@link Dialect}.
 *
 * <p>An append runs, in one transaction: one {@link Dialect#append} per stream in stream-id order
 * (so two multi-stream appends cannot deadlock), then the commit. A stream whose append wrote
 * nothing is either a retry (its ids are stored: the first result is returned) or a failed
 * expectation (the backend reads the stream row once to say why: conflict, tombstone or tenant). Transient failures (deadlocks, a race of two appends with the
 * same new event id) are retried for stand-alone appends; inside a caller's unit of work they
 * reach the caller, who owns the transaction.
 */
public final class JdbcBackend implements Backend {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcBackend.class);

  /** Rows per page of a global-log read. */
  static final int PAGE_SIZE = 1000;
  /** Widest position window of one global-log query. */
  static final long MAX_WINDOW = 1L << 24;
  /** Attempts of a stand-alone write that fails transiently. */
  static final int MAX_ATTEMPTS = 5;

  private final EventStoreConfig config;
  private final Dialect dialect;
  private final Jdbi jdbi;
  private final Statements sql;
  private final RowMapper<RecordedEvent> events;
  private final @Nullable HikariDataSource ownedPool;
  private final List<LongConsumer> appendListeners = new CopyOnWriteArrayList<>();
  private final @Nullable Notifier notifier;
  private final GroupCommit groupCommit = new GroupCommit(this);
  private volatile boolean closed;

  private JdbcBackend(EventStoreConfig config, Dialect dialect, DataSource dataSource, @Nullable HikariDataSource ownedPool) {
    this.config = config;
    this.dialect = dialect;
    this.ownedPool = ownedPool;
    this.jdbi = Jdbi.create(dataSource);
    jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    Map<String, String> placeholders = jdbi.withHandle(h -> dialect.placeholders(h, config));
    this.sql = new Statements(dialect.getClass().getClassLoader(), dialect.resourceFolder(), placeholders);
    this.events = dialect.eventMapper(config.eventTypes().mapper(), 1);
    Migrations.apply(jdbi, dialect, sql, "eventstore", List.of("V1__event_store.sql"));
    this.notifier = dialect.notificationChannel(sql).isPresent() ? new Notifier() : null;
    if (notifier != null) {
      appendListeners.add(notifier::signal);
    }
    LOG.info("Event store open: dialect {}, tables {}*, max payload {} bytes",
        dialect.name(), placeholders.get("qualified_prefix"), config.maxPayloadBytes());
  }

  /** Opens a store with its own pool on {@code url}. */
  public static JdbcEventStore open(String url, EventStoreConfig config) {
    if (url == null || !url.startsWith("jdbc:")) {
      throw new InvalidInputException("'" + url + "' is not a JDBC URL; use for example jdbc:sqlite:app.db or jdbc:postgresql://host/db");
    }
    Dialect dialect = find(d -> d.accepts(url), "URL " + url.replaceAll("(?i)(password=)[^&;]*", "$1***"));
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(config.maxPoolSize());
    pool.setPoolName("fabula-" + dialect.name());
    dialect.configurePool(pool);
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(pool);
    } catch (RuntimeException e) {
      throw dialect.translate(e, "connecting to the database");
    }
    try {
      return new Root(new JdbcBackend(config, dialect, dataSource, dataSource));
    } catch (RuntimeException e) {
      dataSource.close();
      throw e instanceof EventStoreException ese ? ese : dialect.translate(e, "opening the event store");
    }
  }

  /** Opens a store on a caller-owned data source. */
  public static JdbcEventStore open(DataSource dataSource, EventStoreConfig config) {
    String product;
    try (Connection c = dataSource.getConnection()) {
      product = c.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new dev.fabula.StoreUnavailableException("cannot connect to the data source: " + e.getMessage(), e);
    }
    Dialect dialect = find(d -> d.acceptsProduct(product), "database product " + product);
    return new Root(new JdbcBackend(config, dialect, dataSource, null));
  }

  private static Dialect find(java.util.function.Predicate<Dialect> accepts, String what) {
    List<String> names = new ArrayList<>();
    for (Dialect d : ServiceLoader.load(Dialect.class, JdbcBackend.class.getClassLoader())) {
      names.add(d.name());
      if (accepts.test(d)) {
        return d.newInstance();
      }
    }
    throw new InvalidInputException("no event store dialect for " + what + " (dialects found: " + names
        + "); supported: jdbc:sqlite:<file> and jdbc:postgresql://…");
  }

  @Override
  public EventStoreConfig config() {
    return config;
  }

  // ---- appends ------------------------------------------------------------------------------

  @Override
  public List<AppendResult> append(@Nullable String tenant, List<PreparedAppend> appends) {
    checkOpen();
    checkNotNested();
    if (appends.size() == 1) {
      return List.of(dialect.singleWriter() ? groupCommit.append(tenant, appends.get(0)) : appendAlone(tenant, appends.get(0)));
    }
    return transaction(tenant, tx -> ((JdbcTransaction) tx).appendPrepared(appends), true);
  }

  /** One single-stream append in a transaction of its own (retried when transient). */
  AppendResult appendAlone(@Nullable String tenant, PreparedAppend append) {
    return transaction(tenant, tx -> ((JdbcTransaction) tx).appendPrepared(List.of(append)), true).get(0);
  }

  /**
   * Several single-stream appends of {@link GroupCommit} in one transaction, one statement each; a
   * request whose expectation fails gets its error and writes nothing. Throws only when the
   * transaction as a whole failed.
   */
  void appendCombined(List<GroupCommit.Request> batch) {
    Lock lock = dialect.writeLock();
    lock.lock();
    long last;
    try {
      last = jdbi.inTransaction(handle -> {
        Instant now = config.clock().instant().truncatedTo(ChronoUnit.MICROS);
        long max = 0;
        for (GroupCommit.Request r : batch) {
          try {
            AppendResult result = appendOne(handle, r.tenant, r.append, now).result();
            r.succeed(result);
            max = Math.max(max, result.lastPosition());
          } catch (EventStoreException e) {
            r.fail(e);
          }
        }
        return max;
      });
    } finally {
      lock.unlock();
    }
    if (last > 0) {
      appendListeners.forEach(l -> l.accept(last));
    }
  }

  /**
   * Appends in the caller's open transaction; see the class comment. Several streams are all or
   * nothing: they run inside a savepoint, and the dialect may write them in one statement first;
   * stream by stream when it cannot, which also says which stream failed and why.
   */
  List<AppendResult> appendIn(Handle handle, @Nullable String tenant, List<PreparedAppend> appends) {
    Instant now = config.clock().instant().truncatedTo(ChronoUnit.MICROS);
    if (appends.size() == 1) {
      return List.of(appendOne(handle, tenant, appends.get(0), now).result());
    }
    String action = "appending to " + appends.size() + " streams";
    Connection connection = handle.getConnection();
    Savepoint savepoint = jdbc(action, connection::setSavepoint);
    try {
      List<AppendResult> results = call(action, () -> dialect.appendMany(handle, sql, appends, tenant, now));
      if (results == null) {
        jdbc(action, () -> {
          connection.rollback(savepoint);
          return null;
        });
        results = appendEach(handle, tenant, appends, now);
      }
      jdbc(action, () -> {
        connection.releaseSavepoint(savepoint);
        return null;
      });
      return results;
    } catch (RuntimeException e) {
      try {
        connection.rollback(savepoint);
      } catch (SQLException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  /** A JDBC call of the append path, its failure translated as the dialect's are. */
  private <T> T jdbc(String action, SqlCall<T> work) {
    return call(action, () -> {
      try {
        return work.call();
      } catch (SQLException e) {
        throw new UnableToExecuteStatementException(e, null);
      }
    });
  }

  private interface SqlCall<T> {
    T call() throws SQLException;
  }

  private List<AppendResult> appendEach(Handle handle, @Nullable String tenant, List<PreparedAppend> appends, Instant now) {
    Map<String, Outcome> outcomes = new HashMap<>();
    List<PreparedAppend> ordered = new ArrayList<>(appends);
    ordered.sort(Comparator.comparing(PreparedAppend::streamId));
    for (PreparedAppend a : ordered) {
      outcomes.put(a.streamId(), appendOne(handle, tenant, a, now));
    }
    if (outcomes.size() > 1 && outcomes.values().stream().map(Outcome::replayed).distinct().count() > 1) {
      AppendResult replayed = outcomes.values().stream().filter(Outcome::replayed).findFirst().orElseThrow().result();
      throw new EventIdConflictException(
          readStreamEventId(handle, replayed),
          "in stream '" + replayed.streamId() + "', but the events for other streams of the same appendAll"
              + " were not: the request differs from the stored one");
    }
    return appends.stream().map(a -> outcomes.get(a.streamId()).result()).toList();
  }

  /** What one stream's append did: wrote its events, or found them stored (a retry). */
  record Outcome(AppendResult result, boolean replayed) {}

  /**
   * Appends one stream's batch in an open transaction. The happy path is one statement; only when
   * it wrote nothing does the store look for stored ids (a retry) or read the stream row (why not).
   */
  Outcome appendOne(Handle handle, @Nullable String tenant, PreparedAppend a, Instant now) {
    String action = "appending to stream '" + a.streamId() + "'";
    AppendResult written = call(action, () -> dialect.append(handle, sql, a, tenant, now));
    if (written != null) {
      return new Outcome(written, false);
    }
    List<UUID> ids = a.events().stream().map(PreparedEvent::eventId).toList();
    List<RecordedEvent> stored = call(action, () -> dialect.findEvents(handle, sql, ids));
    if (stored.isEmpty()) {
      throw whyNot(handle, tenant, a.streamId(), a.expected());
    }
    if (tenant != null && !tenant.equals(stored.get(0).metadata().tenantId())) {
      throw new TenantAccessException(stored.get(0).streamId(), tenant);
    }
    return new Outcome(a.replayedFrom(stored), true);
  }

  private UUID readStreamEventId(Handle handle, AppendResult result) {
    return call("reading stream '" + result.streamId() + "'", () -> handle.createQuery(sql.get("read_stream_forwards"))
        .bind("stream_id", result.streamId())
        .bind("from_version", result.firstVersion())
        .bind("limit", 1)
        .map(events)
        .one()
        .eventId());
  }

  /** Explains why a conditional write of a stream row changed nothing. */
  private EventStoreException whyNot(Handle handle, @Nullable String tenant, String streamId, ExpectedVersion expected) {
    Optional<StreamInfo> info = call("reading stream '" + streamId + "'", () -> streamInfo(handle, streamId));
    if (info.isEmpty()) {
      return new ConcurrencyException(streamId, expected, -1);
    }
    StreamInfo s = info.get();
    if (tenant != null && !tenant.equals(s.tenantId())) {
      return new TenantAccessException(streamId, tenant);
    }
    if (s.deleted()) {
      return new StreamDeletedException(streamId);
    }
    return new ConcurrencyException(streamId, expected, s.version());
  }

  // ---- units of work ------------------------------------------------------------------------

  @Override
  public <R, X extends Exception> R inTransaction(@Nullable String tenant, TransactionCallback<R, X> work) throws X {
    return transaction(tenant, work, false);
  }

  /**
   * Runs a unit of work in a transaction, under the dialect's write lock; {@code retry} only for
   * the store's own stand-alone writes, which can safely run again after a transient failure.
   */
  private <R, X extends Exception> R transaction(@Nullable String tenant, TransactionCallback<R, X> work, boolean retry) throws X {
    checkOpen();
    checkNotNested();
    Lock lock = dialect.writeLock();
    for (int attempt = 1; ; attempt++) {
      JdbcTransaction[] tx = new JdbcTransaction[1];
      lock.lock();
      R result;
      try {
        result = jdbi.inTransaction(handle -> {
          tx[0] = new JdbcTransaction(this, handle, tenant);
          try {
            return work.inTransaction(tx[0]);
          } finally {
            tx[0].close();
          }
        });
      } catch (JdbiException e) {
        if (retry && attempt < MAX_ATTEMPTS && dialect.isRetryable(e)) {
          LOG.debug("Retrying a transient failure (attempt {}): {}", attempt, e.getMessage());
          continue;
        }
        throw dialect.translate(e, "running a transaction");
      } finally {
        lock.unlock();
      }
      long last = tx[0] == null ? 0 : tx[0].lastPosition();
      if (last > 0) {
        appendListeners.forEach(l -> l.accept(last));
      }
      return result;
    }
  }

  // ---- reads --------------------------------------------------------------------------------

  @Override
  public List<RecordedEvent> readStream(@Nullable String tenant, String streamId, StreamRead read) {
    return withHandle("reading stream '" + streamId + "'", h -> {
      Optional<StreamInfo> info = streamInfo(h, streamId);
      if (info.isEmpty()) {
        return List.of();
      }
      if (tenant != null && !tenant.equals(info.get().tenantId())) {
        throw new TenantAccessException(streamId, tenant);
      }
      if (info.get().deleted()) {
        throw new StreamDeletedException(streamId);
      }
      boolean forwards = read.direction() == StreamRead.Direction.FORWARDS;
      return h.createQuery(sql.get(forwards ? "read_stream_forwards" : "read_stream_backwards"))
          .bind("stream_id", streamId)
          .bind("from_version", read.fromVersion())
          .bind("limit", read.limit())
          .map(events)
          .list();
    });
  }

  /**
   * Reads the log in pages over position windows: each query covers {@code (after, until]} with
   * {@code until} at most the horizon read once at the start. A window bounds the work of every
   * query whatever the planner believes about the table (a stale estimate once made PostgreSQL
   * bitmap-scan and sort the whole rest of the log for each page); a window that yields few events
   * (selective filters, a sparse log) doubles the next one.
   */
  @Override
  public Stream<RecordedEvent> readAll(LogQuery query) {
    checkOpen();
    Iterator<RecordedEvent> pages = new Iterator<>() {
      private long after = query.afterPosition();
      private long remaining = query.limit();
      private long horizon = -1;
      private long window = PAGE_SIZE;
      private Iterator<RecordedEvent> page = List.<RecordedEvent>of().iterator();

      @Override
      public boolean hasNext() {
        while (!page.hasNext() && remaining > 0) {
          if (horizon < 0) {
            horizon = headPosition();
          }
          if (after >= horizon) {
            return false;
          }
          int limit = (int) Math.min(PAGE_SIZE, remaining);
          long until = Math.min(horizon, after + window);
          List<RecordedEvent> next = page(after, until, limit, query);
          if (next.size() == limit) {
            after = next.get(next.size() - 1).position();
          } else {
            after = until;
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
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, java.util.Spliterator.ORDERED | java.util.Spliterator.NONNULL), false);
  }

  private List<RecordedEvent> page(long after, long until, int limit, LogQuery query) {
    return withHandle("reading the global log", h -> {
      var q = h.createQuery(sql.get("read_all"))
          .bind("after", after)
          .bind("until", until)
          .bind("limit", limit)
          .bind("tenant_id", query.tenantId());
      dialect.bindStrings(q, "types", query.types());
      dialect.bindStrings(q, "categories", query.categories());
      return q.map(events).list();
    });
  }

  @Override
  public Optional<StreamInfo> streamInfo(String streamId) {
    return withHandle("reading stream '" + streamId + "'", h -> streamInfo(h, streamId));
  }

  private Optional<StreamInfo> streamInfo(Handle h, String streamId) {
    return h.createQuery(sql.get("stream_info"))
        .bind("stream_id", streamId)
        .map((rs, ctx) -> new StreamInfo(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4)))
        .findOne();
  }

  @Override
  public long headPosition() {
    return withHandle("reading the head of the global log", h -> dialect.safeHorizon(h, sql));
  }

  // ---- deletes ------------------------------------------------------------------------------

  @Override
  public void deleteStream(@Nullable String tenant, String streamId, ExpectedVersion expected) {
    transaction(tenant, tx -> {
      Handle h = tx.unwrap(Handle.class);
      ExpectedParameters p = ExpectedParameters.of(expected);
      boolean deleted = call("deleting stream '" + streamId + "'", () -> h.createQuery(dialect.deleteStatement(sql, p))
          .bind("stream_id", streamId)
          .bind("tenant_id", tenant)
          .bind("may_create", p.mayCreate())
          .bind("may_update", p.mayUpdate())
          .bind("expected", p.expected())
          .mapTo(Long.class)
          .findOne()
          .isPresent());
      if (!deleted) {
        throw whyNot(h, tenant, streamId, expected);
      }
      return null;
    }, true);
  }

  @Override
  public void hardDeleteStream(@Nullable String tenant, String streamId) {
    transaction(tenant, tx -> {
      Handle h = tx.unwrap(Handle.class);
      call("erasing stream '" + streamId + "'", () -> {
        Optional<StreamInfo> info = streamInfo(h, streamId);
        if (tenant != null && info.isPresent() && !tenant.equals(info.get().tenantId())) {
          throw new TenantAccessException(streamId, tenant);
        }
        h.createUpdate(sql.get("allow_hard_delete")).bind("stream_id", streamId).execute();
        int erased = h.createUpdate(sql.get("hard_delete_events")).bind("stream_id", streamId).execute();
        h.createUpdate(sql.get("forbid_hard_delete")).bind("stream_id", streamId).execute();
        h.createUpdate(sql.get("tombstone")).bind("stream_id", streamId).bind("tenant_id", tenant).execute();
        if (hasComponent(h, "snapshots")) {
          // A snapshot holds the same data as the events: erase it in the same transaction.
          h.createUpdate(sql.substitute("DELETE FROM ${qualified_prefix}snapshots WHERE stream_id = :stream_id"))
              .bind("stream_id", streamId).execute();
        }
        LOG.info("Hard-deleted stream '{}': {} events erased", streamId, erased);
        return null;
      });
      return null;
    }, true);
  }

  /** Whether a component (snapshots, projections…) created its tables in this store's schema. */
  private boolean hasComponent(Handle h, String component) {
    return h.createQuery(sql.substitute("SELECT COUNT(*) FROM ${qualified_prefix}schema_version WHERE component = :c"))
        .bind("c", component).mapTo(Integer.class).one() > 0;
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private <T> T withHandle(String action, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
    checkOpen();
    try {
      return jdbi.withHandle(work);
    } catch (EventStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw dialect.translate(e, action);
    }
  }

  /** Runs a statement of ours inside an open transaction, translating its errors. */
  private <T> T call(String action, Supplier<T> work) {
    try {
      return work.get();
    } catch (EventStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      if (dialect.isRetryable(e)) {
        throw e; // the transaction owner decides whether to retry
      }
      throw dialect.translate(e, action);
    }
  }

  /** On a one-writer database a second transaction on this thread would wait for itself. */
  private void checkNotNested() {
    if (dialect.writeLock() instanceof ReentrantLock reentrant && reentrant.isHeldByCurrentThread()) {
      throw new EventStoreException(
          "this thread is already inside inTransaction; append through the Transaction it received, "
              + "not through the store (" + dialect.name() + " has one writer at a time)");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new EventStoreException("the event store is closed; open a new one");
    }
  }

  /**
   * Sends the dialect's cross-process notification after appends: one daemon thread per store,
   * started on the first append, that sends the newest position and coalesces bursts (many commits
   * while a NOTIFY is in flight produce one more NOTIFY). A failed NOTIFY is logged and dropped:
   * listeners also poll, so a lost notification only delays them.
   */
  private final class Notifier implements Runnable {
    private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

    void signal(long position) {
      pending.accumulateAndGet(position, Math::max);
      if (started.compareAndSet(false, true)) {
        Thread t = new Thread(this, "fabula-notifier");
        t.setDaemon(true);
        t.start();
      }
      wake.release();
    }

    @Override
    public void run() {
      long sent = 0;
      while (!closed) {
        try {
          wake.acquire();
          wake.drainPermits();
          long position = pending.get();
          if (position > sent && !closed) {
            jdbi.useHandle(h -> dialect.notifyAppended(h, sql, position));
            sent = position;
          }
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          if (!closed) {
            LOG.warn("Could not notify other processes of appended events (they will poll): {}", e.getMessage());
          }
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    if (notifier != null) {
      notifier.wake.release();
    }
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  @Override
  public String toString() {
    return dialect.name();
  }

  /** The root store: the public view plus the JDBC extras. */
  private static final class Root implements JdbcEventStore {
    private final JdbcBackend backend;
    private final EventStore view;

    Root(JdbcBackend backend) {
      this.backend = backend;
      this.view = Backend.toEventStore(backend);
    }

    @Override public AppendResult append(String streamId, ExpectedVersion expected, List<dev.fabula.EventData> events) {
      return view.append(streamId, expected, events);
    }
    @Override public List<AppendResult> appendAll(List<StreamAppend> appends) {
      return view.appendAll(appends);
    }
    @Override public List<RecordedEvent> readStream(String streamId, StreamRead read) {
      return view.readStream(streamId, read);
    }
    @Override public Stream<RecordedEvent> readAll(LogQuery query) {
      return view.readAll(query);
    }
    @Override public Optional<StreamInfo> streamInfo(String streamId) {
      return view.streamInfo(streamId);
    }
    @Override public long headPosition() {
      return view.headPosition();
    }
    @Override public void deleteStream(String streamId, ExpectedVersion expected) {
      view.deleteStream(streamId, expected);
    }
    @Override public void hardDeleteStream(String streamId) {
      view.hardDeleteStream(streamId);
    }
    @Override public EventStore forTenant(String tenantId) {
      return view.forTenant(tenantId);
    }
    @Override public <R, X extends Exception> R inTransaction(TransactionCallback<R, X> work) throws X {
      return view.inTransaction(work);
    }
    @Override public EventTypes types() {
      return view.types();
    }
    @Override public void close() {
      view.close();
    }
    @Override public EventStoreConfig config() {
      return backend.config();
    }
    @Override public Jdbi jdbi() {
      return backend.jdbi;
    }
    @Override public Dialect dialect() {
      return backend.dialect;
    }
    @Override public Statements statements() {
      return backend.sql;
    }
    @Override public Registration onAppend(LongConsumer listener) {
      backend.appendListeners.add(listener);
      return () -> backend.appendListeners.remove(listener);
    }
    @Override public Optional<String> notificationChannel() {
      return backend.dialect.notificationChannel(backend.sql);
    }
    @Override public String toString() {
      return "JdbcEventStore[" + backend.dialect.name() + "]";
    }
  }
}
