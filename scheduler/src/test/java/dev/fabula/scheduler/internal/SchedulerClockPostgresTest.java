package dev.fabula.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.scheduler.TimeSource;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler's reading of the database's clock when a reading is slow, as after a server
 * restart, when the call waited and retried before it could read: such a reading must not move
 * the scheduler's now ahead of the database's (by up to half its round trip), or jobs enqueued
 * meanwhile are due later than the pool believes, and with a long poll interval nothing wakes it.
 */
@ExtendWith(PostgresExtension.class)
class SchedulerClockPostgresTest {
  private static final String READ = "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS bigint)";

  @Test
  void a_slow_reading_does_not_move_now_ahead_of_the_database(PostgresDatabase db) {
    Jdbi jdbi = Jdbi.create(db.dataSource());
    AtomicBoolean slow = new AtomicBoolean();
    AtomicInteger slowReadings = new AtomicInteger();
    SchedulerClock clock = new SchedulerClock(TimeSource.database(), h -> jdbi.withHandle((Handle own) -> {
      if (slow.get()) {
        own.execute("SELECT pg_sleep(2)"); // the wait for a restarting server; then the clock is read
        slowReadings.incrementAndGet();
      }
      return own.createQuery(READ).mapTo(Long.class).one();
    }));
    clock.now(); // the first reading, a quick one
    slow.set(true);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (slowReadings.get() == 0) { // the next resync takes the slow reading
      assertThat(System.nanoTime() - deadline).as("a resync within 30 s").isNegative();
      clock.now();
    }
    slow.set(false);

    Instant schedulers = clock.now();
    Instant database = Instant.EPOCH.plus(jdbi.withHandle(h -> h.createQuery(READ).mapTo(Long.class).one()),
        java.time.temporal.ChronoUnit.MICROS);
    assertThat(Duration.between(database, schedulers))
        .as("how far the scheduler's now is ahead of the database's clock read just after it")
        .isLessThanOrEqualTo(SchedulerClock.READING_TOLERANCE);
  }
}
