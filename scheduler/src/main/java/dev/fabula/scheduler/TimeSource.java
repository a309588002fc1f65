package dev.fabula.scheduler;

import dev.fabula.InvalidInputException;
import java.time.Clock;

/**
 * Where a job queue and its worker pools read "now": the one time that every lease, every due
 * time, every retry delay and every schedule is compared with.
 *
 * <ul>
 *   <li>{@link #database()}, the default: the database's clock ({@code clock_timestamp()} on
 *       PostgreSQL, the host's clock through {@code julianday('now')} on SQLite). Every process
 *       that shares the database reads the same time, so a process whose own clock is off (by 20
 *       s, by an hour) neither rescues the live jobs of others nor runs jobs early: the
 *       application's clock ({@link JobQueueConfig#clock}) is never compared with a lease.
 *   <li>{@link #of(Clock)}: a clock that replaces the database's clock in every comparison,
 *       including those the SQL statements make (they are all given this time). For tests and
 *       simulations, with a clock that stands still until moved (the testkit's {@code
 *       dev.fabula.testkit.ControllableClock}), so schedules, retries and backoff can be driven
 *       without sleeping. Every queue and pool on one database must then be given the same clock:
 *       pools with different clocks would disagree about leases.
 * </ul>
 *
 * <p>A pool reads the database's clock once when its queue opens and then at most about once a
 * second, and counts the time in between on the process's monotonic clock ({@link
 * System#nanoTime}), which a wrong or stepped wall clock does not move. Immutable.
 */
public sealed interface TimeSource permits TimeSource.Database, TimeSource.OfClock {

  /** The database's clock: the default, and the only choice for production. */
  static TimeSource database() {
    return Database.INSTANCE;
  }

  /**
   * A clock that replaces the database's clock for every comparison; for tests and simulations.
   *
   * @throws InvalidInputException if {@code clock} is null
   */
  static TimeSource of(Clock clock) {
    if (clock == null) {
      throw new InvalidInputException("clock must not be null; use TimeSource.database() for the database's clock");
    }
    return new OfClock(clock);
  }

  /** The database's clock; see {@link #database()}. */
  enum Database implements TimeSource {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "database clock";
    }
  }

  /**
   * A clock in place of the database's; see {@link #of(Clock)}.
   *
   * @param clock the clock
   */
  record OfClock(Clock clock) implements TimeSource {
    /** Refuses a null clock. */
    public OfClock {
      if (clock == null) {
        throw new InvalidInputException("clock must not be null; use TimeSource.database() for the database's clock");
      }
    }
  }
}
