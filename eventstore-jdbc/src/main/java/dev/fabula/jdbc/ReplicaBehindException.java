package dev.fabula.jdbc;

import dev.fabula.StoreUnavailableException;
import java.time.Duration;

/**
 * A read from the {@link ReadReplica} waited longer than its {@link ReadReplica#replayTimeout()}
 * for the replica to replay the primary's write-ahead log up to the read's sync point: the replica
 * lags (or stopped replaying). Nothing was read. Retry later, look at the replica's lag ({@code
 * pg_stat_replication} on the primary), or raise the timeout.
 */
public class ReplicaBehindException extends StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  private final long targetLsn;
  private final long replayedLsn;

  /**
   * Creates the exception.
   *
   * @param targetLsn the WAL position the read waited for, in bytes
   * @param replayedLsn the replica's last replayed WAL position when it gave up, in bytes
   * @param waited how long it waited
   */
  public ReplicaBehindException(long targetLsn, long replayedLsn, Duration waited) {
    super("the read replica did not replay the primary's write-ahead log up to this read's sync point within "
        + waited.toMillis() + " ms (it is " + (targetLsn - replayedLsn) + " bytes behind): the replica lags or "
        + "stopped replaying. Retry later, check the replica's lag (pg_stat_replication on the primary), or raise "
        + "ReadReplica.withReplayTimeout", null);
    this.targetLsn = targetLsn;
    this.replayedLsn = replayedLsn;
  }

  /** The WAL position (bytes from 0/0) the read waited for. */
  public long targetLsn() {
    return targetLsn;
  }

  /** The replica's last replayed WAL position (bytes from 0/0) when the read gave up. */
  public long replayedLsn() {
    return replayedLsn;
  }
}
