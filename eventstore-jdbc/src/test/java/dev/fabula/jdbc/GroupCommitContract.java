package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.AppendResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.RecordedEvent;
import dev.fabula.spi.StoreObserver;
import dev.fabula.testkit.faults.FaultyDataSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit: concurrent single-stream appends from different callers share one transaction,
 * and each caller still gets its own result or its own error. A test forms a group on purpose: it
 * holds every leader inside its transaction (through the store's clock, read once per
 * transaction), queues the callers behind them, and lets go; the callers then share the next
 * transaction, which the store's observer hears as one group.
 */
abstract class GroupCommitContract {
  private static final AtomicInteger STORES = new AtomicInteger();

  /** A data source of the test's database; each test uses tables of its own there. */
  protected abstract DataSource dataSource();

  /** How many groups the store runs at once (leaders to hold before callers queue). */
  protected abstract int leaders();

  /** Makes the database itself reject events of {@code type} in the tables of {@code prefix}. */
  protected abstract void rejectEventType(String prefix, String type) throws Exception;

  /** A clock that holds the next {@code n} transactions that read it until released. */
  static final class HoldingClock extends Clock {
    final AtomicInteger toHold = new AtomicInteger();
    volatile CountDownLatch held = new CountDownLatch(0);
    volatile CountDownLatch release = new CountDownLatch(0);

    void holdNext(int n) {
      held = new CountDownLatch(n);
      release = new CountDownLatch(1);
      toHold.set(n);
    }

    @Override
    public Instant instant() {
      if (toHold.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        held.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
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

  /** A caller's outcome: a result or an exception. */
  record Outcome(AppendResult result, Throwable error) {}

  protected final HoldingClock clock = new HoldingClock();
  protected FaultyDataSource faulty;
  protected String prefix;
  protected JdbcEventStore store;
  /** The sizes of the groups the store ran, as its observer heard them. */
  protected final List<Integer> groups = new CopyOnWriteArrayList<>();

  protected JdbcEventStore open() {
    faulty = FaultyDataSource.of(dataSource());
    prefix = "group" + STORES.incrementAndGet() + "_";
    store = JdbcEventStore.open(faulty, EventStoreConfig.DEFAULT.withClock(clock), TestStores.migrating(prefix));
    store.observe(new StoreObserver() {
      @Override
      public void groupCommitted(int appends) {
        groups.add(appends);
      }
    });
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  static EventData event(String type, int n) {
    return EventData.json(type, 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }

  /**
   * Runs {@code callers} as one group: holds every leader in its transaction, queues the callers
   * behind them, lets go, and returns each caller's outcome in order.
   */
  protected List<Outcome> inOneGroup(List<Callable<AppendResult>> callers) throws Exception {
    clock.holdNext(leaders());
    List<FutureTask<AppendResult>> leading = new ArrayList<>();
    for (int i = 0; i < leaders(); i++) {
      String stream = "leader-" + STORES.incrementAndGet();
      FutureTask<AppendResult> task = new FutureTask<>(() -> store.append(stream, ExpectedVersion.noStream(), List.of(event("led", 0))));
      leading.add(task);
      new Thread(task, "leader-" + i).start();
    }
    assertThat(clock.held.await(30, TimeUnit.SECONDS)).as("every leader held in its transaction").isTrue();
    List<FutureTask<AppendResult>> tasks = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < callers.size(); i++) {
      FutureTask<AppendResult> task = new FutureTask<>(callers.get(i));
      Thread t = new Thread(task, "caller-" + i);
      tasks.add(task);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      awaitQueued(t);
    }
    groups.clear();
    clock.release.countDown();
    for (FutureTask<AppendResult> l : leading) {
      l.get(30, TimeUnit.SECONDS);
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (FutureTask<AppendResult> task : tasks) {
      try {
        outcomes.add(new Outcome(task.get(30, TimeUnit.SECONDS), null));
      } catch (ExecutionException e) {
        outcomes.add(new Outcome(null, e.getCause()));
      }
    }
    return outcomes;
  }

  /** Waits until {@code t} is parked behind the leaders (or has already failed): a state, not a sleep. */
  private static void awaitQueued(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TERMINATED) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(t.getName() + " never queued behind the leaders: " + t.getState());
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void one_group_gives_each_caller_its_own_result_or_its_own_error() throws Exception {
    JdbcEventStore store = open();
    store.append("taken", ExpectedVersion.noStream(), List.of(event("placed", 1)));
    List<EventData> done = List.of(event("placed", 2), event("placed", 3));
    AppendResult first = store.append("done", ExpectedVersion.noStream(), done);

    List<Outcome> outcomes = inOneGroup(List.of(
        () -> store.append("fresh-1", ExpectedVersion.noStream(), List.of(event("placed", 4))),
        () -> store.append("taken", ExpectedVersion.noStream(), List.of(event("placed", 5))),
        () -> store.append("taken", ExpectedVersion.exactly(1), List.of(event("placed", 6))),
        () -> store.append("done", ExpectedVersion.noStream(), done),
        () -> store.append("fresh-2", ExpectedVersion.any(), List.of(event("placed", 7), event("placed", 8))),
        () -> store.append(" ", ExpectedVersion.any(), List.of(event("placed", 9)))));

    assertThat(groups).as("the five valid callers shared one transaction").contains(5);
    assertThat(outcomes.get(0).result().lastVersion()).isEqualTo(1);
    assertThat(outcomes.get(1).error()).isInstanceOf(ConcurrencyException.class);
    assertThat(outcomes.get(2).result().lastVersion()).isEqualTo(2);
    AppendResult replay = outcomes.get(3).result();
    assertThat(replay.replayed()).as("an idempotent retry inside a group").isTrue();
    assertThat(replay.firstPosition()).isEqualTo(first.firstPosition());
    assertThat(replay.lastPosition()).isEqualTo(first.lastPosition());
    assertThat(outcomes.get(4).result().lastVersion()).isEqualTo(2);
    assertThat(outcomes.get(5).error()).isInstanceOf(InvalidInputException.class);

    assertThat(store.readStream("taken")).extracting(e -> e.payload().get("n").asInt()).containsExactly(1, 6);
    assertThat(store.readStream("done")).extracting(RecordedEvent::eventId)
        .containsExactly(done.get(0).eventId(), done.get(1).eventId());
    assertThat(store.readStream("fresh-1")).hasSize(1);
    assertThat(store.readStream("fresh-2")).hasSize(2);
  }

  @Test
  void a_caller_whose_events_the_database_rejects_fails_alone() throws Exception {
    JdbcEventStore store = open();
    rejectEventType(prefix, "poison");

    List<Outcome> outcomes = inOneGroup(List.of(
        () -> store.append("good-1", ExpectedVersion.noStream(), List.of(event("placed", 1))),
        () -> store.append("bad", ExpectedVersion.noStream(), List.of(event("poison", 2))),
        () -> store.append("good-2", ExpectedVersion.noStream(), List.of(event("placed", 3)))));

    assertThat(groups).as("the three callers shared one transaction").contains(3);
    assertThat(outcomes.get(0).result().lastVersion()).isEqualTo(1);
    assertThat(outcomes.get(1).error()).isInstanceOf(EventStoreException.class);
    assertThat(outcomes.get(2).result().lastVersion()).isEqualTo(1);
    assertThat(store.streamInfo("bad")).isEmpty();
    assertThat(store.readStream("good-1")).hasSize(1);
    assertThat(store.readStream("good-2")).hasSize(1);
  }
}
