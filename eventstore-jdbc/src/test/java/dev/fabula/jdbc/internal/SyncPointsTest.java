package dev.fabula.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Readers share a replica's sync points, and never get one read before they arrived. */
class SyncPointsTest {

  @Test
  void many_readers_cost_the_primary_one_query_at_a_time_and_each_gets_a_point_read_after_it_arrived() throws Exception {
    AtomicInteger queries = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    CountDownLatch firstQueryRunning = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    SyncPoints points = new SyncPoints(() -> {
      int n = queries.incrementAndGet();
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        if (n == 1) {
          firstQueryRunning.countDown();
          releaseFirst.await(10, TimeUnit.SECONDS); // holds the first query open while readers arrive
        }
        return new SyncPoints.Read(n, n);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        inFlight.decrementAndGet();
      }
    }, Duration.ZERO);
    List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService readers = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r);
      threads.add(t);
      return t;
    });
    try {
      Future<SyncPoints.Point> first = readers.submit(points::get);
      assertThat(firstQueryRunning.await(10, TimeUnit.SECONDS)).isTrue();
      List<Long> arrived = new ArrayList<>();
      List<Future<SyncPoints.Point>> later = new ArrayList<>();
      for (int i = 0; i < 15; i++) {
        arrived.add(System.nanoTime());
        later.add(readers.submit(points::get));
      }
      awaitWaitingInGet(threads, 15);
      releaseFirst.countDown();

      assertThat(first.get(10, TimeUnit.SECONDS).horizon()).isEqualTo(1);
      for (int i = 0; i < later.size(); i++) {
        SyncPoints.Point p = later.get(i).get(10, TimeUnit.SECONDS);
        assertThat(p.horizon()).as("not the point whose query started before it arrived").isGreaterThan(1);
        assertThat(p.startedNanos() - arrived.get(i)).as("read after it arrived").isGreaterThanOrEqualTo(0);
      }
      assertThat(mostInFlight.get()).as("queries in flight at once").isEqualTo(1);
      assertThat(queries.get()).as("15 readers that arrived during one query share the next").isEqualTo(2);
    } finally {
      readers.shutdownNow();
    }
  }

  /** Polls, with a deadline, until {@code count} threads wait inside {@link SyncPoints#get}. */
  private static void awaitWaitingInGet(List<Thread> threads, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (threads.stream().filter(t -> t.getState() == Thread.State.WAITING && inGet(t)).count() < count) {
      assertThat(System.nanoTime()).as("%d readers waiting for the running query", count).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static boolean inGet(Thread t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().equals(SyncPoints.class.getName()) && e.getMethodName().equals("get")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void a_point_younger_than_the_allowed_staleness_is_reused() {
    AtomicInteger queries = new AtomicInteger();
    SyncPoints points = new SyncPoints(() -> new SyncPoints.Read(queries.incrementAndGet(), 0), Duration.ofHours(1));
    points.get();
    points.get();
    assertThat(queries.get()).isEqualTo(1);
    SyncPoints fresh = new SyncPoints(() -> new SyncPoints.Read(queries.incrementAndGet(), 0), Duration.ZERO);
    fresh.get();
    fresh.get();
    assertThat(queries.get()).isEqualTo(3);
  }
}
