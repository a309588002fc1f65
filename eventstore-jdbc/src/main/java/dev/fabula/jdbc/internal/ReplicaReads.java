package dev.fabula.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.fabula.EventStoreException;
import dev.fabula.InvalidInputException;
import dev.fabula.StoreUnavailableException;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.ReadReplica;
import dev.fabula.jdbc.ReplicaBehindException;
import dev.fabula.jdbc.spi.ConnectionRetry;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads from a PostgreSQL read replica (a hot standby) of the store's database; see {@link
 * ReadReplica} and docs/replicas.md.
 *
 * <p><b>Why a replica needs help.</b> The primary's read horizon rests on advisory locks that
 * appending transactions hold (see append.sql); a standby sees none of them, nor the primary's
 * transactions in flight, so a horizon computed on the standby could pass an event that commits
 * late, and a reader would skip it. So the horizon comes from the primary, with a WAL position
 * taken after it ({@link SyncPoints}, replica_sync_point.sql); before it reads, a reader waits until
 * the standby has replayed up to that position ({@link #awaitReplay}): then the standby shows every
 * event at or below the horizon that will ever commit, and reading up to it never skips.
 *
 * <p>The wait polls {@code pg_last_wal_replay_lsn()} on the handle the read will use, backing off
 * from a fiftieth of a millisecond to a few milliseconds, and gives up with a {@link
 * ReplicaBehindException} after {@link ReadReplica#replayTimeout()}. The highest position seen
 * replayed is remembered, so readers whose target it already passed do not poll. Thread-safe.
 */
final class ReplicaReads implements LogReader.Source, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaReads.class);
  private static final long FIRST_PAUSE_NANOS = 20_000;
  private static final long LONGEST_PAUSE_NANOS = 5_000_000;

  private final ReadReplica config;
  private final @Nullable HikariDataSource ownedPool;
  private final StoreContext replica;
  private final LogReader.Source primary;
  private final ConnectionRetry retry;
  private final SyncPoints syncPoints;
  private final LogReader reader;
  /** The highest WAL position (bytes) seen replayed on the replica. */
  private volatile long replayed = -1;

  private ReplicaReads(
      ReadReplica config, @Nullable HikariDataSource ownedPool, StoreContext replica, LogReader.Source primary,
      ConnectionRetry retry, Observers observers, LogReader.RemovalCheck removals) {
    this.config = config;
    this.ownedPool = ownedPool;
    this.replica = replica;
    this.primary = primary;
    this.retry = retry;
    this.syncPoints = new SyncPoints(this::readSyncPoint, config.maxStaleness());
    this.reader = new LogReader(replica, this, observers, removals);
  }

  /**
   * Opens the reads from {@code jdbc}'s read replica, or returns null when it names none.
   *
   * @param store the store's own context (its dialect, statements and row mapper serve the replica too)
   * @param primary the store's own reads, for the sync points
   * @param removals the retention check, run on the replica's handle after each page
   * @throws InvalidInputException if the store's database is not PostgreSQL
   * @throws EventStoreException if the replica cannot be reached or is not a standby
   */
  static @Nullable ReplicaReads open(
      JdbcConfig jdbc, StoreContext store, LogReader.Source primary, Observers observers, LogReader.RemovalCheck removals) {
    ReadReplica config = jdbc.readReplica();
    if (config == null) {
      return null;
    }
    if (!store.sql().has("replica_sync_point")) {
      throw new InvalidInputException("read replicas need PostgreSQL, but this store's database is "
          + store.dialect().name() + "; open it without JdbcConfig.withReadReplica");
    }
    HikariDataSource owned = config.jdbcUrl() == null ? null : StorePools.open(config.jdbcUrl(), config.maxPoolSize(),
        StorePools.poolName(store.dialect(), jdbc) + "-replica", store.dialect(), jdbc);
    try {
      DataSource dataSource = owned != null ? owned : config.dataSource();
      Jdbi jdbi = Jdbi.create(new PoolConnections(dataSource, jdbc, owned != null));
      jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(false);
      StoreContext replica = new StoreContext(store.config(), store.dialect(), jdbi, store.sql(), store.events(), store.tombstones());
      ConnectionRetry retry = new ConnectionRetry(jdbc.timeouts().retryWindow(), () -> {
        if (owned != null && owned.getHikariPoolMXBean() != null) {
          owned.getHikariPoolMXBean().softEvictConnections();
        }
      });
      ReplicaReads reads = new ReplicaReads(config, owned, replica, primary, retry, observers, removals);
      reads.read(null, "checking the read replica", h -> reads.replayedNow(h));
      LOG.info("Read replica {}: the global log{} read from it, after waiting up to {} ms for it to replay each "
          + "read's sync point (sync points reused for up to {} ms)", config, config.streamReads() ? " and streams" : "",
          config.replayTimeout().toMillis(), config.maxStaleness().toMillis());
      return reads;
    } catch (RuntimeException e) {
      if (owned != null) {
        owned.close();
      }
      throw e;
    }
  }

  /** The reader of the replica. */
  LogReader reader() {
    return reader;
  }

  /** Whether stream reads go to the replica too. */
  boolean streamReads() {
    return config.streamReads();
  }

  @Override
  public void checkOpen() {
    primary.checkOpen();
  }

  @Override
  public <T> T read(@Nullable String tenant, String action, HandleCallback<T, RuntimeException> work) {
    return retry.call(action, () -> {
      checkOpen();
      try {
        return replica.jdbi().withHandle(work);
      } catch (EventStoreException e) {
        throw e;
      } catch (RuntimeException e) {
        throw replica.dialect().translate(e, action + " on the read replica");
      }
    });
  }

  /** Waits until the replica has replayed a fresh sync point, and returns that point's horizon. */
  @Override
  public long horizon(Handle handle) {
    SyncPoints.Point point = syncPoints.get();
    awaitReplay(handle, point.targetLsn());
    return point.horizon();
  }

  /** Waits until the replica has replayed a fresh sync point: the stream read then sees what the primary had. */
  @Override
  public void beforeStreamRead(Handle handle) {
    awaitReplay(handle, syncPoints.get().targetLsn());
  }

  private SyncPoints.Read readSyncPoint() {
    return primary.read(null, "reading the primary's sync point for the read replica", h -> {
      long horizon = primary.horizon(h);
      long target = h.createQuery(replica.sql().get("replica_sync_point")).map((rs, ctx) -> rs.getLong("target_lsn")).one();
      return new SyncPoints.Read(horizon, target);
    });
  }

  /** Polls the replica's replay position on {@code handle} until it reaches {@code target}. */
  private void awaitReplay(Handle handle, long target) {
    if (replayed >= target) {
      return;
    }
    long started = System.nanoTime();
    long pause = FIRST_PAUSE_NANOS;
    while (true) {
      long now = replayedNow(handle);
      if (now >= target) {
        return;
      }
      long waited = System.nanoTime() - started;
      if (waited >= config.replayTimeout().toNanos()) {
        throw new ReplicaBehindException(target, now, Duration.ofNanos(waited));
      }
      LockSupport.parkNanos(pause);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted while waiting for the read replica to catch up", null);
      }
      pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
    }
  }

  /** The replica's replay position now (bytes), remembered when it is the highest seen. */
  private long replayedNow(Handle handle) {
    Long now = handle.createQuery(replica.sql().get("replica_replayed")).mapTo(Long.class).one();
    if (now == null) {
      throw new StoreUnavailableException("the read replica is not a standby (pg_is_in_recovery() is false: it is a "
          + "primary, or was promoted), so reading from it could skip events; point JdbcConfig.withReadReplica at a "
          + "streaming replica of this store's primary", null);
    }
    if (now > replayed) {
      synchronized (this) {
        replayed = Math.max(replayed, now);
      }
    }
    return now;
  }

  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }
}
