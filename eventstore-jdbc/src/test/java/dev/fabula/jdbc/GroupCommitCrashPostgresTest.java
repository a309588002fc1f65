package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamInfo;
import dev.fabula.testkit.ChildJvm;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A process appending in groups is killed with SIGKILL mid-group: every append it acknowledged is
 * stored exactly once, nothing is half-written (each stream's row says as many events as it holds),
 * and every stream's versions run from 1 without gaps, each event the one its version was meant for.
 */
class GroupCommitCrashPostgresTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  private static final int THREADS = 8;

  @Test
  void every_acknowledged_append_is_stored_once_and_nothing_half_written_after_a_sigkill_mid_group() throws Exception {
    String url = postgres.database().jdbcUrlWithCredentials();
    String prefix = "crash_";
    JdbcEventStore.open(url, EventStoreConfig.DEFAULT, TestStores.migrating(prefix)).close();
    Process child = new ProcessBuilder(ChildJvm.command(GroupAppenderProcess.class, url, prefix, Integer.toString(THREADS)))
        .redirectErrorStream(true).start();
    Map<Integer, Long> acked = new ConcurrentHashMap<>();
    List<String> other = new CopyOnWriteArrayList<>();
    AtomicInteger groups = new AtomicInteger();
    CountDownLatch enough = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        int acks = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("ACK ")) {
            String[] f = line.split(" ");
            acked.merge(Integer.parseInt(f[1]), Long.parseLong(f[2]), Math::max);
            acks++;
          } else if (line.startsWith("GROUP ")) {
            groups.incrementAndGet();
          } else if (other.size() < 50) {
            other.add(line);
          }
          if (acks >= 300 && groups.get() >= 5) {
            enough.countDown();
          }
        }
      } catch (java.io.IOException e) {
        other.add("reading the process's output failed: " + e);
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      assertThat(enough.await(120, TimeUnit.SECONDS)).as("300 appends acknowledged in groups; output: %s", other).isTrue();
    } finally {
      child.destroyForcibly(); // SIGKILL: appends of the groups in flight are cut off wherever they are
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    reader.join(TimeUnit.SECONDS.toMillis(30));

    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, TestStores.migrating(prefix))) {
      for (int t = 0; t < THREADS; t++) {
        String stream = "crash-" + t;
        List<RecordedEvent> events = store.readStream(stream);
        Optional<StreamInfo> info = store.streamInfo(stream);
        long stored = events.size();
        assertThat(info.map(StreamInfo::version).orElse(0L)).as("%s: its row counts what it holds", stream).isEqualTo(stored);
        for (int v = 0; v < stored; v++) {
          RecordedEvent e = events.get(v);
          assertThat(e.streamVersion()).as("%s: versions without gaps", stream).isEqualTo(v + 1L);
          assertThat(e.eventId()).as("%s: version %d holds the event meant for it", stream, v + 1)
              .isEqualTo(GroupAppenderProcess.eventId(t, v));
        }
        Long lastAcked = acked.get(t);
        if (lastAcked != null) {
          assertThat(stored).as("%s: every acknowledged append is stored", stream).isGreaterThan(lastAcked);
        }
      }
      List<java.util.UUID> ids = store.readAll(dev.fabula.LogQuery.all()).map(RecordedEvent::eventId).toList();
      assertThat(ids).as("each event stored once").doesNotHaveDuplicates();
    }
  }
}
