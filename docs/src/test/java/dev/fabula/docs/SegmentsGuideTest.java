package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.SegmentStatus;
import dev.fabula.projections.TransactionalHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/segments.md, run on a SQLite file. */
class SegmentsGuideTest {
  @TempDir Path dir;
  JdbcEventStore store;

  @BeforeEach
  void open() {
    store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING);
    store.jdbi().useHandle(h -> h.execute("CREATE TABLE order_list (id TEXT PRIMARY KEY, status TEXT)"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void a_projection_runs_as_segments_and_is_split_and_merged_without_a_rebuild() {
    for (int i = 0; i < 20; i++) {
      store.append("order-" + i, ExpectedVersion.noStream(),
          List.of(EventData.json("placed", 1, JsonNodeFactory.instance.objectNode())));
    }
    long head = store.headPosition();
    // snippet:segments
    Projection orderList = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) ->
            handle.execute("INSERT INTO order_list (id, status) VALUES (?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET status = excluded.status", event.streamId(), event.type())))
        .withSegments(4);                            // each stream in one of 4 segments, by its hash

    Projections projections = Projections.open(store);
    RunnerConfig config = RunnerConfig.DEFAULT
        .withSegmentThreads(2);                      // this process works 2 segments at a time
    try (ProjectionRunner runner = projections.runner(config, List.of(orderList)).start();
         ProjectionRunner other = projections.runner(config, List.of(orderList)).start()) { // another process
      projections.awaitPosition(orderList.id(), head, Duration.ofSeconds(10));

      for (SegmentStatus s : projections.status(orderList.id()).segments()) {
        // s.segment(), s.mask(), s.checkpoint(), s.owner(), s.state(), s.owns(tenant, stream)
      }
      projections.split(orderList.id(), 0);          // 0 of mask 3 -> 0 and 4 of mask 7, both at its checkpoint
      projections.merge(orderList.id(), 4);          // and back: no event applied twice, none skipped
    }
    // end
    assertThat(projections.status(orderList.id()).segments()).hasSize(4);
    int rows = store.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM order_list").mapTo(Integer.class).one());
    assertThat(rows).isEqualTo(20);
  }
}
