package dev.fabula.examples.bookings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tour runs end to end on an empty SQLite file and tells the story. */
class TourTest {

  static String run(String url) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Tour.run(url, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  static void assertStory(String out) {
    assertThat(out.lines().count()).isBetween(20L, 60L);
    assertThat(out)
        .contains("acme  : 2 rows read, 2 events written")
        .contains("rerun acme: 0 events written, 2 rows already imported (idempotent)")
        .contains("same receipt: true, nothing written")
        .contains("req-2 for ana 09:00 -> refused: slot-taken")
        .containsPattern("CONFIRMED booking-requested > payment-captured > booking-confirmed")
        .containsPattern("CANCELLED booking-requested > payment-failed > booking-cancelled")
        .containsPattern("CANCELLED booking-requested > payment-captured > confirmation-failed > payment-refunded > booking-cancelled")
        .contains("payments captured: 28, refunded: 1")
        .contains("globex reading acme's booking -> 0 events")
        .contains("schedule-acme:ben: version 25, snapshot at version 20, 5 events replayed, 1500 minutes booked")
        .contains("free slots of ana on 2025-03-10: acme 10:00 11:00 12:00 13:00 14:00 15:00 16:00")
        .contains("acme      980.00     90.00    890.00         27          3")
        .contains("globex     95.00      0.00     95.00          2          0")
        .contains("RECONCILED: the read model matches the events")
        .containsPattern("customer lea@example.com -> null; still CONFIRMED, 80.00");
  }

  @Test
  void tells_the_story_on_sqlite_and_leaves_no_thread_behind(@TempDir Path dir) throws InterruptedException {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    assertStory(run("jdbc:sqlite:" + dir.resolve("tour.db")));
    List<Thread> started = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && !t.isDaemon()).toList();
    for (Thread t : started) {
      t.join(5_000); // a thread told to stop may still be finishing: wait for it, not for a time
    }
    assertThat(started.stream().filter(Thread::isAlive).map(Thread::getName)).isEmpty();
  }
}
