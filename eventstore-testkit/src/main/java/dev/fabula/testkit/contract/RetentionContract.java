package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AggregateRepository;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.RemovedRange;
import dev.fabula.RepositoryConfig;
import dev.fabula.RetentionPolicy;
import dev.fabula.SnapshotPolicy;
import dev.fabula.StreamArchivedException;
import dev.fabula.StreamTruncatedException;
import dev.fabula.TruncatedRangeException;
import dev.fabula.spi.SnapshotStore;
import dev.fabula.testkit.ControllableClock;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigCommand;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigEvent;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigValue;
import dev.fabula.testkit.contract.ConfigValueModel.SetValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Retention and archiving ({@link dev.fabula.Retention}): truncation behind a snapshot, keep-last-N
 * and max-age policies, archiving, reading archived streams and unarchiving, tenant isolation, and
 * the never-skip guarantee of the global log (a reader behind a removed range is told, a rebuild
 * reports exactly what it cannot see). A backend's subclass supplies stores, its snapshot store,
 * and a raw scan of its storage ({@link #storedVersions}), so that removed events are shown gone
 * from the tables themselves, not just from reads.
 */
public abstract class RetentionContract extends AggregateContractSupport {

  /** Creates the contract. */
  protected RetentionContract() {}

  /**
   * The stream versions stored for a stream, read from the backend's storage directly (for a
   * database, a SQL scan that bypasses the store), ascending.
   *
   * @param store a store {@link #openStore} returned
   * @param table {@code events} (the live log) or {@code archived_events} (cold storage)
   * @param tenantKey the tenant, or {@code ""} for the unconfined store's streams
   * @param streamId the stream
   * @return its versions in that table
   */
  protected abstract List<Long> storedVersions(EventStore store, String table, String tenantKey, String streamId);

  private static List<EventData> notes(String prefix, int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> EventData.json("note", 1,
        JSON.objectNode().put("text", prefix + i))).toList();
  }

  private static List<Long> versions(List<RecordedEvent> events) {
    return events.stream().map(RecordedEvent::streamVersion).toList();
  }

  private static List<Long> positions(List<RecordedEvent> events) {
    return events.stream().map(RecordedEvent::position).toList();
  }

  // ---- truncation behind a snapshot -------------------------------------------------------------

  @Test
  void truncating_before_a_snapshot_keeps_aggregates_loading_from_the_snapshot_and_the_rest() {
    EventStore store = newStore();
    SnapshotStore snapshots = openSnapshotStore(store);
    AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values =
        values(store, RepositoryConfig.DEFAULT.withSnapshots(snapshots, SnapshotPolicy.everyEvents(5)));
    for (int i = 1; i <= 7; i++) {
      values.handle("db-url", new SetValue("v" + i));
    }
    String stream = values.streamId("db-url");
    assertThat(snapshots.load(null, stream)).get().extracting(s -> s.version()).isEqualTo(5L);

    assertThatThrownBy(() -> store.retention().truncateBefore(stream, 7, snapshots))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("snapshot is at version 5");
    RemovedRange range = store.retention().truncateBefore(stream, 6, snapshots).orElseThrow();

    assertThat(range.fromVersion()).isEqualTo(1);
    assertThat(range.toVersion()).isEqualTo(5);
    assertThat(range.eventCount()).isEqualTo(5);
    assertThat(range.kind()).isEqualTo(RemovedRange.Kind.TRUNCATED);
    assertThat(storedVersions(store, "events", "", stream)).containsExactly(6L, 7L);
    assertThat(versions(store.readStream(stream))).containsExactly(6L, 7L);
    var loaded = values.load("db-url");
    assertThat(loaded.state().value()).isEqualTo("v7");
    assertThat(loaded.version()).isEqualTo(7);
    assertThat(values.handle("db-url", new SetValue("v8")).events()).hasSize(1);
    assertThat(values.load("db-url").version()).isEqualTo(8);
    assertThat(store.retention().truncateBefore(stream, 6, snapshots)).as("nothing left below version 6").isEmpty();
  }

  @Test
  void an_aggregate_whose_history_was_cut_without_a_snapshot_fails_to_load_instead_of_starting_from_the_middle() {
    EventStore store = newStore();
    var values = values(store, RepositoryConfig.DEFAULT);
    for (int i = 1; i <= 4; i++) {
      values.handle("db-url", new SetValue("v" + i));
    }

    store.retention().apply(RetentionPolicy.keepLast(2).forStream(values.streamId("db-url")));

    assertThatThrownBy(() -> values.load("db-url"))
        .isInstanceOfSatisfying(StreamTruncatedException.class, e -> assertThat(e.firstVersion()).isEqualTo(3))
        .hasMessageContaining("snapshot");
  }

  @Test
  void covered_by_snapshot_policy_truncates_each_stream_of_a_category_up_to_its_own_snapshot() {
    EventStore store = newStore();
    SnapshotStore snapshots = openSnapshotStore(store);
    var values = values(store, RepositoryConfig.DEFAULT.withSnapshots(snapshots, SnapshotPolicy.everyEvents(3)));
    for (int i = 1; i <= 4; i++) {
      values.handle("a", new SetValue("a" + i));
    }
    values.handle("b", new SetValue("b1"));

    List<RemovedRange> removed = store.retention().apply(RetentionPolicy.coveredBySnapshot(snapshots).forCategory("config"));

    assertThat(removed).extracting(RemovedRange::streamId).containsExactly(values.streamId("a"));
    assertThat(storedVersions(store, "events", "", values.streamId("a"))).containsExactly(4L);
    assertThat(storedVersions(store, "events", "", values.streamId("b"))).containsExactly(1L);
    assertThat(values.load("a").state().value()).isEqualTo("a4");
  }

  // ---- keep last N, max age ---------------------------------------------------------------------

  @Test
  void keep_last_n_applies_to_every_stream_of_the_category_and_keeps_versions_and_positions() {
    EventStore store = newStore();
    store.append("sensor-1", ExpectedVersion.noStream(), notes("s1-", 5));
    store.append("sensor-2", ExpectedVersion.noStream(), notes("s2-", 2));
    store.append("other-1", ExpectedVersion.noStream(), notes("o1-", 5));
    List<Long> keptPositions = positions(store.readStream("sensor-1")).subList(2, 5);

    List<RemovedRange> removed = store.retention().apply(RetentionPolicy.keepLast(3).forCategory("sensor"));

    assertThat(removed).hasSize(1);
    assertThat(removed.get(0).streamId()).isEqualTo("sensor-1");
    assertThat(storedVersions(store, "events", "", "sensor-1")).containsExactly(3L, 4L, 5L);
    assertThat(storedVersions(store, "events", "", "sensor-2")).containsExactly(1L, 2L);
    assertThat(storedVersions(store, "events", "", "other-1")).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(positions(store.readStream("sensor-1"))).isEqualTo(keptPositions);
    assertThat(store.streamInfo("sensor-1").orElseThrow().version()).isEqualTo(5);
    long head = store.headPosition();
    var appended = store.append("sensor-1", ExpectedVersion.exactly(5), notes("late-", 1));
    assertThat(appended.lastVersion()).isEqualTo(6);
    assertThat(appended.lastPosition()).isGreaterThan(head);
  }

  @Test
  void max_age_removes_the_events_older_than_the_duration_by_the_stores_clock() {
    ControllableClock clock = ControllableClock.at(T0);
    EventStore store = open(freshConfig().withClock(clock));
    store.append("audit-1", ExpectedVersion.noStream(), notes("old-", 3));
    clock.advance(Duration.ofDays(2));
    store.append("audit-1", ExpectedVersion.exactly(3), notes("new-", 2));
    store.append("audit-2", ExpectedVersion.noStream(), notes("new-", 1));
    clock.advance(Duration.ofHours(1));

    List<RemovedRange> removed = store.retention().apply(RetentionPolicy.maxAge(Duration.ofDays(1)).forCategory("audit"));

    assertThat(removed).singleElement().satisfies(r -> {
      assertThat(r.streamId()).isEqualTo("audit-1");
      assertThat(r.toVersion()).isEqualTo(3);
      assertThat(r.removedAt()).isEqualTo(T0.plus(Duration.ofDays(2)).plus(Duration.ofHours(1)));
    });
    assertThat(storedVersions(store, "events", "", "audit-1")).containsExactly(4L, 5L);
    assertThat(storedVersions(store, "events", "", "audit-2")).containsExactly(1L);

    clock.advance(Duration.ofDays(3));
    store.retention().apply(RetentionPolicy.maxAge(Duration.ofDays(1)).forStream("audit-1"));
    assertThat(storedVersions(store, "events", "", "audit-1")).as("all older than a day").isEmpty();
    assertThat(store.streamInfo("audit-1").orElseThrow().version()).isEqualTo(5);
  }

  // ---- archive ----------------------------------------------------------------------------------

  @Test
  void an_archived_stream_leaves_the_log_says_so_on_reads_and_appends_and_reads_back_from_cold_storage() {
    EventStore store = newStore();
    store.append("order-1", ExpectedVersion.noStream(), notes("o-", 3));
    store.append("order-2", ExpectedVersion.noStream(), notes("p-", 1));
    List<RecordedEvent> before = store.readStream("order-1");

    RemovedRange range = store.retention().archive("order-1").orElseThrow();

    assertThat(range.kind()).isEqualTo(RemovedRange.Kind.ARCHIVED);
    assertThatThrownBy(() -> store.readStream("order-1")).isInstanceOf(StreamArchivedException.class)
        .hasMessageContaining("readArchived");
    assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.any(), notes("x-", 1)))
        .isInstanceOf(StreamArchivedException.class);
    assertThatThrownBy(() -> store.retention().archive("order-1")).isInstanceOf(StreamArchivedException.class);
    assertThat(storedVersions(store, "events", "", "order-1")).isEmpty();
    assertThat(storedVersions(store, "archived_events", "", "order-1")).containsExactly(1L, 2L, 3L);
    List<RecordedEvent> archived = store.retention().readArchived("order-1");
    assertThat(positions(archived)).isEqualTo(positions(before));
    assertThat(archived).extracting(e -> e.payload().get("text").asText()).containsExactly("o-1", "o-2", "o-3");
    assertThat(store.readStream("order-2")).hasSize(1);
    assertThatThrownBy(() -> store.retention().readArchived("order-2")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not archived");
  }

  @Test
  void unarchiving_puts_the_events_back_at_their_positions_and_the_stream_goes_on() {
    EventStore store = newStore();
    store.append("order-1", ExpectedVersion.noStream(), notes("o-", 3));
    List<RecordedEvent> before = store.readStream("order-1");
    store.retention().archive("order-1");

    store.retention().unarchive("order-1");

    assertThat(positions(store.readStream("order-1"))).isEqualTo(positions(before));
    assertThat(storedVersions(store, "archived_events", "", "order-1")).isEmpty();
    assertThat(store.retention().removedAfter(LogQuery.all())).as("the archive's removal is gone with it").isEmpty();
    try (var log = store.readAll(LogQuery.all())) {
      assertThat(log.map(RecordedEvent::position).toList()).isEqualTo(positions(before));
    }
    assertThat(store.append("order-1", ExpectedVersion.exactly(3), notes("more-", 1)).lastVersion()).isEqualTo(4);
    assertThatThrownBy(() -> store.retention().unarchive("order-1")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void positions_are_never_reused_after_the_newest_events_were_archived() {
    EventStore store = newStore();
    store.append("order-1", ExpectedVersion.noStream(), notes("o-", 2));
    long newest = store.append("order-2", ExpectedVersion.noStream(), notes("p-", 2)).lastPosition();

    store.retention().archive("order-2");

    assertThat(store.append("order-3", ExpectedVersion.noStream(), notes("q-", 1)).lastPosition()).isGreaterThan(newest);
  }

  @Test
  void a_hard_delete_erases_an_archived_stream_from_cold_storage_and_the_removal_records() {
    EventStore store = newStore();
    store.append("customer-ada", ExpectedVersion.noStream(), notes("c-", 2));
    store.retention().archive("customer-ada");

    store.hardDeleteStream("customer-ada");

    assertThat(storedVersions(store, "archived_events", "", "customer-ada")).isEmpty();
    assertThat(store.retention().removedAfter(LogQuery.all())).isEmpty();
    assertThatThrownBy(() -> store.retention().readArchived("customer-ada")).isInstanceOf(InvalidInputException.class);
  }

  // ---- tenants ----------------------------------------------------------------------------------

  @Test
  void a_tenants_retention_never_touches_another_tenants_streams_of_the_same_ids() {
    EventStore store = newStore();
    EventStore acme = store.forTenant("acme");
    EventStore globex = store.forTenant("globex");
    for (EventStore tenant : List.of(acme, globex, store)) {
      tenant.append("sensor-1", ExpectedVersion.noStream(), notes("s-", 4));
      tenant.append("order-1", ExpectedVersion.noStream(), notes("o-", 2));
    }

    acme.retention().apply(RetentionPolicy.keepLast(1).forCategory("sensor"));
    acme.retention().archive("order-1");

    assertThat(storedVersions(store, "events", "acme", "sensor-1")).containsExactly(4L);
    assertThat(storedVersions(store, "events", "globex", "sensor-1")).containsExactly(1L, 2L, 3L, 4L);
    assertThat(storedVersions(store, "events", "", "sensor-1")).containsExactly(1L, 2L, 3L, 4L);
    assertThat(globex.readStream("order-1")).hasSize(2);
    assertThat(store.readStream("order-1")).hasSize(2);
    assertThatThrownBy(() -> globex.retention().readArchived("order-1")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> globex.retention().unarchive("order-1")).isInstanceOf(InvalidInputException.class);
    assertThat(globex.retention().removedAfter(LogQuery.all())).isEmpty();
    try (var log = globex.readAll(LogQuery.all())) {
      assertThat(log.count()).as("globex's log reader is not behind acme's removals").isEqualTo(6);
    }
    assertThat(acme.retention().readArchived("order-1")).hasSize(2);
  }

  // ---- the never-skip guarantee -------------------------------------------------------------------

  @Test
  void a_log_reader_behind_a_truncated_range_is_told_and_reads_on_only_once_it_accepts_it() {
    EventStore store = newStore();
    store.append("sensor-1", ExpectedVersion.noStream(), notes("s-", 4));
    store.append("order-1", ExpectedVersion.noStream(), notes("o-", 2));
    long checkpointBehind = 1;
    long checkpointPast = store.headPosition();
    RemovedRange range = store.retention().apply(RetentionPolicy.keepLast(1).forStream("sensor-1")).get(0);

    assertThatThrownBy(() -> log(store, LogQuery.after(checkpointBehind)))
        .isInstanceOfSatisfying(TruncatedRangeException.class, e -> {
          assertThat(e.ranges()).containsExactly(range);
          assertThat(e.afterPosition()).isEqualTo(checkpointBehind);
        })
        .hasMessageContaining("sensor-1").hasMessageContaining("versions 1-3");
    assertThat(log(store, LogQuery.after(checkpointPast))).as("a reader past the range").isEmpty();
    assertThat(log(store, LogQuery.after(checkpointBehind).categories(Set.of("order"))))
        .as("a reader of another category").hasSize(2);
    assertThat(log(store, LogQuery.after(checkpointBehind).acceptRemovalsThrough(range.removalId())))
        .extracting(e -> e.streamId() + "@" + e.streamVersion())
        .containsExactly("sensor-1@4", "order-1@1", "order-1@2");

    RemovedRange archived = store.retention().archive("order-1").orElseThrow();
    assertThatThrownBy(() -> log(store, LogQuery.after(checkpointBehind).acceptRemovalsThrough(range.removalId())))
        .as("a later removal is told again")
        .isInstanceOfSatisfying(TruncatedRangeException.class, e -> assertThat(e.ranges()).containsExactly(archived));
  }

  @Test
  void a_projection_rebuilt_over_a_truncated_stream_reports_exactly_what_it_cannot_see() {
    EventStore store = newStore();
    store.append("sensor-1", ExpectedVersion.noStream(), notes("s-", 5));
    store.append("sensor-2", ExpectedVersion.noStream(), notes("t-", 2));
    store.retention().apply(RetentionPolicy.keepLast(2).forStream("sensor-1"));

    // The rebuild: learn what cannot be seen, record it, and fold what remains.
    List<RemovedRange> unseen = store.retention().removedAfter(LogQuery.all());
    List<String> folded = new ArrayList<>();
    long accepted = unseen.get(unseen.size() - 1).removalId();
    try (var events = store.readAll(LogQuery.all().acceptRemovalsThrough(accepted))) {
      events.forEach(e -> folded.add(e.payload().get("text").asText()));
    }

    assertThat(unseen).singleElement().satisfies(r -> {
      assertThat(r.streamId()).isEqualTo("sensor-1");
      assertThat(r.fromVersion()).isEqualTo(1);
      assertThat(r.toVersion()).isEqualTo(3);
      assertThat(r.eventCount()).isEqualTo(3);
      assertThat(r.firstPosition()).isEqualTo(1);
      assertThat(r.lastPosition()).isEqualTo(3);
    });
    assertThat(folded).containsExactly("s-4", "s-5", "t-1", "t-2");
    assertThatThrownBy(() -> log(store, LogQuery.all())).as("without accepting, the rebuild is told")
        .isInstanceOf(TruncatedRangeException.class);
  }
}
