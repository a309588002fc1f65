package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamAppend;
import dev.fabula.spi.StoreObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A {@link StoreObserver} ({@link JdbcEventStore#observe}) hears each stand-alone append once,
 * with its streams, events and time; a failed one with its exception; an idempotent retry as a
 * replay, inside a unit of work too; and an observer that throws changes no append's outcome. A
 * backend supplies the store.
 */
abstract class StoreObserverContract {
  private static final AtomicInteger STORES = new AtomicInteger();

  /** A store on fresh tables of {@code prefix}, migrated on open. */
  protected abstract JdbcEventStore openStore(EventStoreConfig config, String prefix);

  /** Everything an observer heard, as short strings. */
  static final class Recorder implements StoreObserver {
    final List<String> heard = new CopyOnWriteArrayList<>();
    final List<Long> nanos = new CopyOnWriteArrayList<>();

    @Override
    public void appended(int streams, int events, long elapsedNanos) {
      heard.add("appended " + streams + "/" + events);
      nanos.add(elapsedNanos);
    }

    @Override
    public void appendFailed(int streams, int events, long elapsedNanos, EventStoreException failure) {
      heard.add("failed " + streams + "/" + events + " " + failure.getClass().getSimpleName());
    }

    @Override
    public void replayed(int events) {
      heard.add("replayed " + events);
    }
  }

  private static EventData event(int n) {
    return EventData.json("placed", 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }

  private JdbcEventStore open() {
    return openStore(EventStoreConfig.DEFAULT, "observe" + STORES.incrementAndGet() + "_");
  }

  @Test
  void an_observer_hears_each_append_with_its_streams_and_events_and_a_conflict_as_a_failure() {
    try (JdbcEventStore store = open()) {
      Recorder recorder = new Recorder();
      try (JdbcEventStore.Registration r = store.observe(recorder)) {
        store.append("order-1", ExpectedVersion.noStream(), List.of(event(1), event(2)));
        store.appendAll(List.of(
            new StreamAppend("order-2", ExpectedVersion.noStream(), List.of(event(3))),
            new StreamAppend("order-3", ExpectedVersion.noStream(), List.of(event(4), event(5), event(6)))));
        assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.noStream(), List.of(event(7))))
            .isInstanceOf(ConcurrencyException.class);
      }
      assertThat(recorder.heard).containsExactly(
          "appended 1/2", "appended 2/4", "failed 1/1 ConcurrencyException");
      assertThat(recorder.nanos).allMatch(n -> n > 0);
    }
  }

  @Test
  void an_observer_hears_reads_of_a_stream_and_pages_of_the_log_with_their_events_and_each_group_commit()
      throws Exception {
    try (JdbcEventStore store = open()) {
      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1), event(2)));
      store.append("order-2", ExpectedVersion.noStream(), List.of(event(3)));
      List<String> heard = new CopyOnWriteArrayList<>();
      StoreObserver reads = new StoreObserver() {
        @Override
        public void streamRead(int events, long elapsedNanos) {
          heard.add("stream " + events + (elapsedNanos > 0 ? "" : " untimed"));
        }

        @Override
        public void logPageRead(int events, long elapsedNanos) {
          heard.add("page " + events + (elapsedNanos > 0 ? "" : " untimed"));
        }

        @Override
        public void groupCommitted(int appends) {
          heard.add("group " + appends);
        }
      };
      try (JdbcEventStore.Registration r = store.observe(reads)) {
        store.readStream("order-1");
        try (var all = store.readAll(dev.fabula.LogQuery.all())) {
          assertThat(all.count()).isEqualTo(3);
        }
        store.append("order-3", ExpectedVersion.noStream(), List.of(event(4)));
      }
      store.readStream("order-1"); // no longer observed
      assertThat(heard).first().isEqualTo("stream 2");
      List<String> pages = heard.stream().filter(h -> h.startsWith("page")).toList();
      assertThat(pages).isNotEmpty().allMatch(h -> !h.endsWith("untimed"));
      assertThat(pages.stream().mapToInt(h -> Integer.parseInt(h.substring(5))).sum()).isEqualTo(3);
      assertThat(heard).filteredOn(h -> h.startsWith("group"))
          .isEqualTo(List.of("group 1"));
    }
  }

  @Test
  void an_idempotent_retry_is_heard_as_a_replay_alone_and_in_a_unit_of_work() {
    try (JdbcEventStore store = open()) {
      List<EventData> events = List.of(event(1), event(2));
      store.append("order-1", ExpectedVersion.noStream(), events);
      Recorder recorder = new Recorder();
      store.observe(recorder);

      store.append("order-1", ExpectedVersion.noStream(), events);
      store.inTransaction(tx -> tx.append("order-1", ExpectedVersion.noStream(), events));

      assertThat(recorder.heard).containsExactly("replayed 2", "appended 1/2", "replayed 2");
    }
  }

  @Test
  void a_throwing_observer_changes_no_outcome_and_a_closed_registration_hears_nothing() {
    try (JdbcEventStore store = open()) {
      Recorder recorder = new Recorder();
      store.observe(new StoreObserver() {
        @Override
        public void appended(int streams, int events, long elapsedNanos) {
          throw new IllegalStateException("a broken meter");
        }
      });
      JdbcEventStore.Registration registration = store.observe(recorder);
      store.observe(recorder); // twice: still heard once

      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1)));
      registration.close();
      registration.close();
      store.append("order-1", ExpectedVersion.exactly(1), List.of(event(2)));

      assertThat(store.readStream("order-1")).hasSize(2);
      assertThat(recorder.heard).containsExactly("appended 1/1");
    }
  }

  @Test
  void the_store_shows_the_pool_it_owns_and_only_that() {
    try (JdbcEventStore store = open()) {
      assertThat(store.ownedPool()).isPresent().get().isInstanceOf(com.zaxxer.hikari.HikariDataSource.class);
    }
  }
}
