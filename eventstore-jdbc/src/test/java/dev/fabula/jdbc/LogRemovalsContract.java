package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.RemovedRange;
import dev.fabula.RetentionPolicy;
import dev.fabula.TruncatedRangeException;
import dev.fabula.testkit.contract.StoreContractSupport;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;

/**
 * Log reads and retention removals across stores: each page reads the removals' watermark with its
 * rows, so a reader past every removal runs no removals query, while a removal made through
 * another store on the same database (another process) in the middle of a read is still told.
 * Subclasses give the database.
 */
abstract class LogRemovalsContract {
  /** Pages of 1,000 events: three pages and a half. */
  private static final int EVENTS = 3500;

  /** The JDBC URL of the database both stores open. */
  protected abstract String url();

  private JdbcEventStore open(String prefix) {
    return JdbcEventStore.open(url(), EventStoreConfig.DEFAULT, TestStores.migrating(prefix));
  }

  private static List<EventData> events(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> EventData.json("noted", 1, JsonNodeFactory.instance.objectNode().put("i", i)))
        .toList();
  }

  /** Counts the removals queries ({@code removed_after.sql}: the only statement naming removal_id) the store runs. */
  private static AtomicInteger countRemovalQueries(JdbcEventStore store) {
    AtomicInteger count = new AtomicInteger();
    store.jdbi().setSqlLogger(new SqlLogger() {
      @Override
      public void logBeforeExecution(StatementContext context) {
        if (context.getRenderedSql().contains("removal_id")) {
          count.incrementAndGet();
        }
      }
    });
    return count;
  }

  @Test
  void a_reader_past_every_removal_reads_the_log_without_querying_the_removals() {
    try (JdbcEventStore store = open(StoreContractSupport.uniqueTablePrefix())) {
      store.append("sensor-1", ExpectedVersion.noStream(), events(3));
      store.retention().apply(RetentionPolicy.keepLast(1).forStream("sensor-1"));
      long past = store.headPosition();
      store.append("order-1", ExpectedVersion.noStream(), events(EVENTS));
      AtomicInteger queries = countRemovalQueries(store);

      try (Stream<RecordedEvent> log = store.readAll(LogQuery.after(past))) {
        assertThat(log.count()).isEqualTo(EVENTS);
      }
      assertThat(queries).as("removals queries of a reader past every removal").hasValue(0);

      assertThatThrownBy(() -> {
        try (Stream<RecordedEvent> log = store.readAll(LogQuery.all())) {
          log.count();
        }
      }).as("a reader behind the removal is still told").isInstanceOf(TruncatedRangeException.class);
      assertThat(queries.get()).isPositive();
    }
  }

  @Test
  void a_removal_made_through_another_store_in_the_middle_of_a_read_is_told_before_the_reader_passes_it() {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    try (JdbcEventStore reader = open(prefix); JdbcEventStore other = open(prefix)) {
      reader.append("order-1", ExpectedVersion.noStream(), events(1500));
      reader.append("sensor-1", ExpectedVersion.noStream(), events(3));
      reader.append("order-2", ExpectedVersion.noStream(), events(EVENTS - 1503));
      // Both stores see the retention tables from the start (the reader reads with the watermark).
      assertThat(other.retention().removedAfter(LogQuery.all())).isEmpty();

      List<Long> seen = new ArrayList<>();
      assertThatThrownBy(() -> {
        try (Stream<RecordedEvent> log = reader.readAll(LogQuery.all())) {
          Iterator<RecordedEvent> it = log.iterator();
          for (int i = 0; i < 10; i++) {
            seen.add(it.next().position()); // the first page is read
          }
          RemovedRange removed = other.retention().apply(RetentionPolicy.keepLast(1).forStream("sensor-1")).get(0);
          assertThat(removed.firstPosition()).isGreaterThan(1000);
          while (it.hasNext()) {
            seen.add(it.next().position());
          }
        }
      }).isInstanceOfSatisfying(TruncatedRangeException.class, e -> {
        assertThat(e.ranges()).extracting(RemovedRange::streamId).containsExactly("sensor-1");
        assertThat(e.afterPosition()).isLessThan(e.ranges().get(0).firstPosition());
      });
      assertThat(seen).as("nothing at or past the removed range was handed out").allMatch(p -> p <= 1500);

      // At the head: a reader whose position is below the newest events, which another store removes.
      long before = other.headPosition();
      other.append("sensor-2", ExpectedVersion.noStream(), events(3));
      try (Stream<RecordedEvent> log = reader.readAll(LogQuery.after(before).acceptAllRemovals())) {
        assertThat(log.count()).isEqualTo(3);
      }
      other.retention().archive("sensor-2");
      assertThatThrownBy(() -> {
        try (Stream<RecordedEvent> log = reader.readAll(LogQuery.after(before))) {
          log.count();
        }
      }).isInstanceOfSatisfying(TruncatedRangeException.class,
          e -> assertThat(e.ranges()).extracting(RemovedRange::streamId).contains("sensor-2"));
    }
  }
}
