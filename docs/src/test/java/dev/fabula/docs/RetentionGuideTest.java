package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.RemovedRange;
import dev.fabula.RetentionPolicy;
import dev.fabula.StreamArchivedException;
import dev.fabula.TruncatedRangeException;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.JdbcSnapshotStore;
import dev.fabula.projections.AtLeastOnceHandler;
import dev.fabula.projections.Projection;
import dev.fabula.testkit.ControllableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/retention.md, run on a SQLite file. */
class RetentionGuideTest {
  @TempDir Path dir;

  private static List<EventData> readings(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> EventData.json("reading", 1, JsonNodeFactory.instance.objectNode().put("celsius", i))).toList();
  }

  @Test
  void applies_policies_archives_and_tells_readers() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("guide.db");
    ControllableClock clock = ControllableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    JdbcEventStore.migrate(url, JdbcConfig.DEFAULT); // also creates the retention tables
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withClock(clock), JdbcConfig.DEFAULT)) {
      store.append("sensor-1", ExpectedVersion.noStream(), readings(5));
      store.append("audit-7", ExpectedVersion.noStream(), readings(2));
      clock.advance(Duration.ofDays(40));
      store.append("audit-7", ExpectedVersion.exactly(2), readings(1));
      var snapshots = JdbcSnapshotStore.open(store);

      // snippet:policies
      List<RemovedRange> removed = new ArrayList<>();
      removed.addAll(store.retention().apply(RetentionPolicy.keepLast(3).forCategory("sensor")));
      removed.addAll(store.retention().apply(RetentionPolicy.maxAge(Duration.ofDays(30)).forStream("audit-7")));
      removed.addAll(store.retention().apply(RetentionPolicy.coveredBySnapshot(snapshots).forCategory("order")));
      // each RemovedRange: stream, versions, positions, count; the streams keep their versions
      // end
      assertThat(removed).extracting(RemovedRange::describe).hasSize(2);
      assertThat(store.readStream("sensor-1")).extracting(RecordedEvent::streamVersion).containsExactly(3L, 4L, 5L);
      assertThat(store.readStream("audit-7")).extracting(RecordedEvent::streamVersion).containsExactly(3L);

      // snippet:reader
      long checkpoint = 0; // a reader that has read nothing yet is behind both removals
      try (Stream<RecordedEvent> events = store.readAll(LogQuery.after(checkpoint))) {
        events.forEach(e -> { /* never reached: the read fails before the first page */ });
      } catch (TruncatedRangeException e) {
        // e.ranges(): exactly what this reader cannot see. Record it, then read on past them:
        try (Stream<RecordedEvent> events = store.readAll(LogQuery.after(checkpoint).acceptRemovalsThrough(e.lastRemovalId()))) {
          events.forEach(event -> { /* the events that remain */ });
        }
      }
      // end
      assertThatThrownBy(() -> store.readAll(LogQuery.after(0)).toList()).isInstanceOf(TruncatedRangeException.class);

      // snippet:projection
      Projection dashboard = Projection.atLeastOnce("dashboard", AtLeastOnceHandler.eachEvent(event -> { /* … */ }))
          .withRemovals(ranges -> {
            // called with the removed ranges the next read crosses; true reads on past them
            return true;
          });
      // end
      assertThat(dashboard.removals().accept(List.of())).isTrue();

      // snippet:archive
      store.retention().archive("sensor-1");              // to cold storage, in one transaction
      // store.readStream("sensor-1") now throws StreamArchivedException
      List<RecordedEvent> cold = store.retention().readArchived("sensor-1");
      store.retention().unarchive("sensor-1");            // back, at the same positions
      // end
      assertThat(cold).hasSize(3);
      assertThat(store.readStream("sensor-1")).hasSize(3);
      store.retention().archive("sensor-1");
      assertThatThrownBy(() -> store.readStream("sensor-1")).isInstanceOf(StreamArchivedException.class);
    }
  }
}
