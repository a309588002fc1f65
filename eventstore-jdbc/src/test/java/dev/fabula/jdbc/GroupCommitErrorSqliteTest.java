package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit (SQLite only: PostgreSQL runs concurrent appends in parallel and has none) when the
 * shared transaction fails with an {@link Error}: every appender that waited for it leaves with an
 * exception, none with a null result, and the store goes on. The {@code Error} comes from the
 * store's clock, which the shared transaction reads once.
 */
class GroupCommitErrorSqliteTest {
  @TempDir Path dir;

  /** A clock that can hold the first appender inside its transaction, then fail the followers' shared one. */
  static final class FaultyClock extends Clock {
    final AtomicBoolean holdNext = new AtomicBoolean();
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final Set<Thread> failFor = ConcurrentHashMap.newKeySet();
    final AtomicBoolean failNext = new AtomicBoolean();

    @Override
    public Instant instant() {
      if (holdNext.compareAndSet(true, false)) {
        held.countDown();
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failFor.contains(Thread.currentThread()) && failNext.compareAndSet(true, false)) {
        throw new StackOverflowError("injected into the shared commit");
      }
      return Instant.now();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static EventData event(int n) {
    return EventData.json("placed", 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }

  @Test
  void every_appender_of_a_shared_commit_that_fails_with_an_error_gets_an_exception_and_none_a_null_result()
      throws Exception {
    FaultyClock clock = new FaultyClock();
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("store.db"),
        EventStoreConfig.DEFAULT.withClock(clock), TestStores.MIGRATING)) {
      // The first appender leads alone and is held inside its transaction...
      clock.holdNext.set(true);
      FutureTask<AppendResult> first = new FutureTask<>(() -> store.append("order-0", ExpectedVersion.noStream(), List.of(event(0))));
      Thread leader = new Thread(first, "first-appender");
      leader.start();
      assertThat(clock.held.await(20, TimeUnit.SECONDS)).isTrue();

      // ...while four more queue behind it: they will share the next transaction.
      List<FutureTask<AppendResult>> followers = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        String stream = "order-" + i;
        EventData e = event(i);
        FutureTask<AppendResult> task = new FutureTask<>(() -> store.append(stream, ExpectedVersion.noStream(), List.of(e)));
        Thread t = new Thread(task, "follower-" + i);
        followers.add(task);
        threads.add(t);
        clock.failFor.add(t);
        t.start();
      }
      for (Thread t : threads) {
        awaitParked(t);
      }
      clock.failNext.set(true);
      clock.release.countDown();

      assertThat(first.get(20, TimeUnit.SECONDS).lastPosition()).isPositive();
      for (FutureTask<AppendResult> f : followers) {
        try {
          AppendResult r = f.get(20, TimeUnit.SECONDS);
          throw new AssertionError("an appender of the failed shared commit returned " + r + " instead of an exception");
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(EventStoreException.class)
              .hasMessageContaining("same event ids")
              .hasRootCauseInstanceOf(StackOverflowError.class);
        }
      }
      for (int i = 1; i <= 4; i++) {
        assertThat(store.streamInfo("order-" + i)).as("order-%d was rolled back", i).isEmpty();
      }

      // The store goes on: the leader lock and the write lock were given back.
      AppendResult again = store.append("order-1", ExpectedVersion.noStream(), List.of(event(1)));
      assertThat(again.lastPosition()).isGreaterThan(first.get().lastPosition());
    }
  }

  /** Waits until {@code t} is parked (on the group commit's leader lock): a state, not a sleep. */
  private static void awaitParked(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(t.getName() + " never queued behind the group commit in flight: " + t.getState());
      }
      Thread.onSpinWait();
    }
  }
}
