package dev.fabula.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.testkit.Await;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NOTIFY side of notifications: bursts coalesce, NOTIFYs keep their spacing, and the newest
 * position is always announced. The dialect records the NOTIFYs instead of sending them (what a
 * listener hears of a real NOTIFY is in {@code JdbcStorePostgresTest}).
 */
class AppendNotifierTest {
  private static final long SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  @TempDir Path dir;

  private final List<Long> sent = new CopyOnWriteArrayList<>();
  private final List<Long> sentAt = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstInFlight = new CountDownLatch(1);
  private final CountDownLatch releaseFirst = new CountDownLatch(1);

  /** A dialect whose NOTIFY records the position and when; the first one waits for {@link #releaseFirst}. */
  private Dialect recording() {
    return (Dialect) Proxy.newProxyInstance(Dialect.class.getClassLoader(), new Class<?>[] {Dialect.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("notifyAppended")) {
            throw new UnsupportedOperationException(method.getName());
          }
          sentAt.add(System.nanoTime());
          sent.add((Long) args[3]);
          if (sent.size() == 1) {
            firstInFlight.countDown();
            releaseFirst.await();
          }
          return null;
        });
  }

  private AppendNotifier notifier() {
    Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + dir.resolve("n.db"));
    return new AppendNotifier(jdbi, recording(), null, "events", Duration.ofNanos(SPACING_NANOS));
  }

  @Test
  void a_burst_while_a_notify_is_in_flight_is_announced_once_with_the_newest_position_after_the_spacing() throws Exception {
    AppendNotifier notifier = notifier();
    try {
      notifier.signal(1);
      assertThat(firstInFlight.await(30, TimeUnit.SECONDS)).isTrue();
      for (long p = 2; p <= 500; p++) {
        notifier.signal(p);
      }
      notifier.signal(7); // an older position signalled late never lowers what is announced
      releaseFirst.countDown();
      Await.until("the burst is announced", Duration.ofSeconds(30), () -> sent.size() >= 2);
      notifier.close();
      assertThat(sent).containsExactly(1L, 500L);
      assertThat(sentAt.get(1) - sentAt.get(0)).isGreaterThanOrEqualTo(SPACING_NANOS);
    } finally {
      releaseFirst.countDown();
      notifier.close();
    }
  }

  @Test
  void appends_far_apart_are_each_announced_and_notifies_keep_their_spacing() throws Exception {
    releaseFirst.countDown();
    AppendNotifier notifier = notifier();
    try {
      for (long p = 1; p <= 3; p++) {
        long position = p;
        notifier.signal(position);
        Await.until("position " + position + " is announced", Duration.ofSeconds(30), () -> sent.contains(position));
      }
      assertThat(sent).containsExactly(1L, 2L, 3L);
      for (int i = 1; i < sentAt.size(); i++) {
        assertThat(sentAt.get(i) - sentAt.get(i - 1)).isGreaterThanOrEqualTo(SPACING_NANOS);
      }
    } finally {
      notifier.close();
    }
  }
}
