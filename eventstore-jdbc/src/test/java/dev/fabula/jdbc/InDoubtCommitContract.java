package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendOutcomeUnknownException;
import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StoreUnavailableException;
import dev.fabula.StreamAppend;
import dev.fabula.testkit.faults.FaultyDataSource;
import dev.fabula.testkit.faults.FaultyDataSource.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Commits in doubt and lost connections, injected at the connection ({@link FaultyDataSource}) over
 * a real database: an append whose commit landed but whose answer was lost returns its result; one
 * whose commit did not land is written by the store's own retry; a unit of work is settled by its
 * events' ids and never run again; only when the database stays out of reach does the caller get
 * {@link AppendOutcomeUnknownException}, and a retry with the same ids then settles it.
 */
abstract class InDoubtCommitContract {
  private FaultyDataSource faulty;
  private JdbcEventStore store;

  private static final java.util.concurrent.atomic.AtomicInteger STORES = new java.util.concurrent.atomic.AtomicInteger();

  /** A data source of the test's database; each test uses tables of its own there. */
  protected abstract DataSource dataSource();

  private JdbcEventStore open(Duration retryWindow) {
    faulty = FaultyDataSource.of(dataSource());
    JdbcConfig jdbc = TestStores.migrating("doubt" + STORES.incrementAndGet() + "_").withRetryWindow(retryWindow);
    store = JdbcEventStore.open(faulty, EventStoreConfig.DEFAULT, jdbc);
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void an_append_whose_commit_landed_but_whose_answer_was_lost_returns_its_result() {
    JdbcEventStore store = open(Duration.ofSeconds(10));
    List<EventData> events = List.of(note(1), note(2));
    faulty.failNextCommit(Fault.LOSE_ANSWER);

    AppendResult result = store.append("order-1", ExpectedVersion.noStream(), events);

    assertThat(faulty.commitsFailed()).isEqualTo(1);
    assertThat(result.replayed()).as("this call wrote them").isFalse();
    assertThat(result.firstVersion()).isEqualTo(1);
    assertThat(result.lastVersion()).isEqualTo(2);
    assertStoredOnce(events);
  }

  @Test
  void an_append_whose_commit_did_not_land_is_written_by_the_store_s_retry() {
    JdbcEventStore store = open(Duration.ofSeconds(10));
    List<EventData> events = List.of(note(1));
    faulty.failNextCommit(Fault.ROLL_BACK);

    AppendResult result = store.append("order-1", ExpectedVersion.noStream(), events);

    assertThat(faulty.commitsFailed()).isEqualTo(1);
    assertThat(result.replayed()).isFalse();
    assertThat(result.lastVersion()).isEqualTo(1);
    assertStoredOnce(events);
  }

  @Test
  void append_all_whose_commit_landed_but_whose_answer_was_lost_returns_its_results() {
    JdbcEventStore store = open(Duration.ofSeconds(10));
    List<EventData> a = List.of(note(1));
    List<EventData> b = List.of(note(2), note(3));
    faulty.failNextCommit(Fault.LOSE_ANSWER);

    List<AppendResult> results = store.appendAll(List.of(
        new StreamAppend("a", ExpectedVersion.noStream(), a), new StreamAppend("b", ExpectedVersion.noStream(), b)));

    assertThat(faulty.commitsFailed()).isEqualTo(1);
    assertThat(results).extracting(AppendResult::streamId, AppendResult::lastVersion, AppendResult::replayed)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 1L, false), org.assertj.core.groups.Tuple.tuple("b", 2L, false));
    assertStoredOnce(List.of(a.get(0), b.get(0), b.get(1)));
  }

  @Test
  void a_unit_of_work_whose_commit_landed_returns_its_result() {
    JdbcEventStore store = open(Duration.ofSeconds(10));
    List<EventData> events = List.of(note(1));
    faulty.failNextCommit(Fault.LOSE_ANSWER);

    String result = store.inTransaction(tx -> {
      tx.append("order-1", ExpectedVersion.noStream(), events);
      return "done";
    });

    assertThat(result).isEqualTo("done");
    assertStoredOnce(events);
  }

  @Test
  void a_unit_of_work_whose_commit_did_not_land_fails_as_retryable_and_is_not_run_again() {
    JdbcEventStore store = open(Duration.ofSeconds(10));
    List<EventData> events = List.of(note(1));
    faulty.failNextCommit(Fault.ROLL_BACK);
    int[] runs = {0};

    assertThatThrownBy(() -> store.inTransaction(tx -> {
      runs[0]++;
      return tx.append("order-1", ExpectedVersion.noStream(), events);
    }))
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("did not commit");

    assertThat(runs[0]).isEqualTo(1);
    assertThat(log()).isEmpty();
  }

  @Test
  void a_unit_of_work_that_appended_nothing_says_its_outcome_is_unknown() {
    JdbcEventStore store = open(Duration.ofSeconds(10));
    faulty.failNextCommit(Fault.LOSE_ANSWER);

    assertThatThrownBy(() -> store.inTransaction(tx -> tx.unwrap(Handle.class).createQuery("SELECT 1").mapTo(Integer.class).one()))
        .isExactlyInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("Whether the transaction committed is unknown");
  }

  @Test
  void an_unreachable_database_leaves_the_outcome_unknown_and_a_retry_with_the_same_ids_settles_it() {
    JdbcEventStore store = open(Duration.ofMillis(500));
    List<EventData> events = List.of(note(1), note(2));
    faulty.failNextCommit(Fault.LOSE_ANSWER_THEN_UNREACHABLE);

    assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.noStream(), events))
        .isInstanceOfSatisfying(AppendOutcomeUnknownException.class, e -> {
          assertThat(e.eventIds()).isEqualTo(ids(events));
          assertThat(e).isNotInstanceOf(StoreUnavailableException.class);
          assertThat(e.getMessage()).contains("is unknown", "Retry with the SAME event ids", "never with fresh ones");
        });

    faulty.reachable();
    AppendResult retry = store.append("order-1", ExpectedVersion.noStream(), events);

    assertThat(retry.replayed()).as("the lost commit had landed").isTrue();
    assertThat(retry.lastVersion()).isEqualTo(2);
    assertStoredOnce(events);
  }

  @Test
  void reads_and_appends_retry_a_lost_connection_but_units_of_work_do_not() {
    JdbcEventStore store = open(Duration.ofSeconds(10));
    List<EventData> events = List.of(note(1));

    faulty.refuseConnections(3);
    AppendResult result = store.append("order-1", ExpectedVersion.noStream(), events);
    faulty.refuseConnections(3);
    List<RecordedEvent> read = store.readStream("order-1");
    faulty.refuseConnections(2);
    long head = store.headPosition();
    faulty.refuseConnections(2);
    boolean exists = store.streamInfo("order-1").isPresent();

    assertThat(result.lastVersion()).isEqualTo(1);
    assertThat(read).hasSize(1);
    assertThat(head).isEqualTo(result.lastPosition());
    assertThat(exists).isTrue();
    faulty.refuseConnections(1);
    assertThatThrownBy(() -> store.inTransaction(tx -> tx.append("order-2", ExpectedVersion.any(), List.of(note(2)))))
        .isInstanceOf(StoreUnavailableException.class);
  }

  private List<RecordedEvent> log() {
    try (var s = store.readAll(LogQuery.all())) {
      return s.toList();
    }
  }

  private void assertStoredOnce(List<EventData> events) {
    Map<UUID, Long> counts = log().stream().collect(Collectors.groupingBy(RecordedEvent::eventId, Collectors.counting()));
    assertThat(counts).containsOnlyKeys(ids(events)).allSatisfy((id, n) -> assertThat(n).as("copies of %s", id).isEqualTo(1));
  }

  private static EventData note(int n) {
    return EventData.json("note", 1, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("n", n));
  }

  private static List<UUID> ids(List<EventData> events) {
    return events.stream().map(EventData::eventId).toList();
  }
}
