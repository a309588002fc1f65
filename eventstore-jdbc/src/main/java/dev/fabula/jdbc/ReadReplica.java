package dev.fabula.jdbc;

import dev.fabula.InvalidInputException;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL streaming replica (a hot standby) that a store reads the global log from, while
 * every write goes to the primary: set it with {@link JdbcConfig#withReadReplica}. Immutable; start
 * from {@link #of(String)} or {@link #of(DataSource)} and change what you need:
 *
 * <pre>{@code
 * JdbcConfig jdbc = JdbcConfig.DEFAULT.withReadReplica(
 *     ReadReplica.of("jdbc:postgresql://standby/app?user=app&password=…")
 *         .withReplayTimeout(Duration.ofSeconds(5)));
 * }</pre>
 *
 * <p><b>What reads where.</b> {@code readAll} (and so projection runners opened on the store) reads
 * from the replica; appends, units of work, deletes, {@code headPosition} and, unless {@link
 * #streamReads()}, stream reads stay on the primary. Each log read first asks the primary for a
 * <em>sync point</em> — its read horizon, and the WAL position written after it — then waits until
 * the replica has replayed up to that position, then reads up to the horizon from the replica: it
 * never skips an event that commits late on the primary (a replica cannot see the primary's append
 * fences), and it sees every append that completed before the read began. See docs/replicas.md.
 *
 * @param jdbcUrl the replica's JDBC URL (credentials as {@code user=} and {@code password=}
 *     parameters), for a pool the store opens itself; null when {@code dataSource} is given
 * @param dataSource a data source on the replica that the caller owns (and closes); null when
 *     {@code jdbcUrl} is given
 * @param maxPoolSize the most connections the store's own pool on the replica opens (ignored with a
 *     {@code dataSource})
 * @param replayTimeout how long a read waits for the replica to replay up to the primary's sync
 *     point before it fails with {@link ReplicaBehindException}
 * @param maxStaleness how old a sync point a read may reuse: {@link Duration#ZERO} (the default)
 *     takes one read after the read began, shared by every read that waits for it (so a read sees
 *     the appends that completed before it); more saves queries on the primary at the cost of that
 *     much more lag
 * @param streamReads whether stream reads ({@code readStream}, {@code streamInfo}) go to the replica
 *     too (after waiting for a sync point, as log reads do); off by default: they stay on the
 *     primary, where aggregates load before they append
 */
public record ReadReplica(
    @Nullable String jdbcUrl,
    @Nullable DataSource dataSource,
    int maxPoolSize,
    Duration replayTimeout,
    Duration maxStaleness,
    boolean streamReads) {

  /** Default {@link #replayTimeout()}: 10 seconds. */
  public static final Duration DEFAULT_REPLAY_TIMEOUT = Duration.ofSeconds(10);

  /** Validates every value and quotes the bad one. */
  public ReadReplica {
    if ((jdbcUrl == null) == (dataSource == null)) {
      throw new InvalidInputException("a read replica needs exactly one of a JDBC URL and a DataSource");
    }
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new InvalidInputException("read replica '" + JdbcEventStore.maskCredentials(jdbcUrl)
          + "' is not a PostgreSQL JDBC URL; use jdbc:postgresql://standby-host/db");
    }
    if (maxPoolSize < 1) {
      throw new InvalidInputException("the read replica's maxPoolSize must be 1 or more but was " + maxPoolSize);
    }
    if (replayTimeout == null || replayTimeout.isNegative() || replayTimeout.isZero()) {
      throw new InvalidInputException("the read replica's replayTimeout must be positive but was " + replayTimeout);
    }
    if (maxStaleness == null || maxStaleness.isNegative()) {
      throw new InvalidInputException("the read replica's maxStaleness must be zero or more but was " + maxStaleness);
    }
  }

  /** The replica at {@code jdbcUrl}, in a pool of the store's own, with the defaults. */
  public static ReadReplica of(String jdbcUrl) {
    if (jdbcUrl == null) {
      throw new InvalidInputException("the read replica's JDBC URL must not be null");
    }
    return new ReadReplica(jdbcUrl, null, JdbcConfig.DEFAULT_MAX_POOL_SIZE, DEFAULT_REPLAY_TIMEOUT, Duration.ZERO, false);
  }

  /** The replica behind {@code dataSource}, which the caller owns and closes, with the defaults. */
  public static ReadReplica of(DataSource dataSource) {
    if (dataSource == null) {
      throw new InvalidInputException("the read replica's DataSource must not be null");
    }
    return new ReadReplica(null, dataSource, JdbcConfig.DEFAULT_MAX_POOL_SIZE, DEFAULT_REPLAY_TIMEOUT, Duration.ZERO, false);
  }

  /** Returns a copy with another pool size on the replica. */
  public ReadReplica withMaxPoolSize(int value) {
    return new ReadReplica(jdbcUrl, dataSource, value, replayTimeout, maxStaleness, streamReads);
  }

  /** Returns a copy that waits up to {@code value} for the replica to catch up. */
  public ReadReplica withReplayTimeout(Duration value) {
    return new ReadReplica(jdbcUrl, dataSource, maxPoolSize, value, maxStaleness, streamReads);
  }

  /** Returns a copy whose reads may reuse a sync point up to {@code value} old. */
  public ReadReplica withMaxStaleness(Duration value) {
    return new ReadReplica(jdbcUrl, dataSource, maxPoolSize, replayTimeout, value, streamReads);
  }

  /** Returns a copy that sends stream reads to the replica too ({@code true}) or to the primary. */
  public ReadReplica withStreamReads(boolean value) {
    return new ReadReplica(jdbcUrl, dataSource, maxPoolSize, replayTimeout, maxStaleness, value);
  }

  /** The replica's URL with its credentials masked, or the data source's class. */
  @Override
  public String toString() {
    return "ReadReplica[" + (jdbcUrl != null ? JdbcEventStore.maskCredentials(jdbcUrl) : dataSource.getClass().getName())
        + ", maxPoolSize=" + maxPoolSize + ", replayTimeout=" + replayTimeout + ", maxStaleness=" + maxStaleness
        + ", streamReads=" + streamReads + "]";
  }
}
