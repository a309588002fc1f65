package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendOutcomeUnknownException;
import dev.fabula.AppendResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RawEvent;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamRead;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/event-store.md, run on a SQLite file. */
class EventStoreGuideTest {

  // snippet:events
  sealed interface LedgerEvent {}

  @EventType("token-purchased")
  record TokenPurchased(String meter, BigDecimal kwh, BigDecimal amount, Instant at) implements LedgerEvent {}

  @EventType(value = "reading-recorded", version = 2)
  record ReadingRecorded(String meter, BigDecimal kwh, Instant at) implements LedgerEvent {}
  // end

  @TempDir Path dir;
  EventStore store;

  @BeforeEach
  void open() {
    String url = "jdbc:sqlite:" + dir.resolve("guide.db");
    // snippet:open
    EventTypes types = EventTypes.builder()
        .register(LedgerEvent.class) // a sealed interface registers every @EventType record in it
        .build();
    JdbcEventStore.migrate(url, JdbcConfig.DEFAULT); // creates or upgrades the tables: a deploy step in production
    EventStore store = EventStore.open(url, EventStoreConfig.DEFAULT.withEventTypes(types));
    // end
    this.store = store;
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void appends_and_reads_a_stream() {
    Instant now = Instant.parse("2026-11-21T06:00:00Z");
    // snippet:append
    AppendResult result = store.append("meter-7", ExpectedVersion.noStream(), List.of(
        EventData.of(new TokenPurchased("meter-7", new BigDecimal("50"), new BigDecimal("12.50"), now)),
        EventData.of(new ReadingRecorded("meter-7", new BigDecimal("1043.2"), now))));

    // The next writer states the version it decided on; a stale one gets ConcurrencyException.
    store.append("meter-7", ExpectedVersion.exactly(result.lastVersion()), List.of(
        EventData.of(new ReadingRecorded("meter-7", new BigDecimal("1051.0"), now))));
    // end
    // snippet:read-stream
    List<RecordedEvent> history = store.readStream("meter-7");
    List<RecordedEvent> lastTwo = store.readStream("meter-7", StreamRead.backwards().limit(2));
    for (RecordedEvent e : history) {
      Object event = store.types().decode(e); // TokenPurchased[...], ReadingRecorded[...]
    }
    // end
    assertThat(history).extracting(RecordedEvent::streamVersion).containsExactly(1L, 2L, 3L);
    assertThat(lastTwo).extracting(RecordedEvent::streamVersion).containsExactly(3L, 2L);
    assertThat(store.types().decode(history.get(0), TokenPurchased.class).amount()).isEqualByComparingTo("12.50");
    assertThatThrownBy(() -> store.append("meter-7", ExpectedVersion.exactly(1), List.of(
        EventData.of(new ReadingRecorded("meter-7", BigDecimal.ONE, now)))))
        .isInstanceOf(ConcurrencyException.class)
        .hasMessageContaining("expected version 1 but the stream is at version 3");
  }

  @Test
  void retried_appends_write_nothing_twice() {
    // snippet:idempotent
    UUID requestId = UUID.randomUUID(); // for example the client's idempotency key
    EventData purchase = EventData.of(new TokenPurchased("meter-9", BigDecimal.TEN, BigDecimal.ONE, Instant.now()))
        .withEventId(requestId)
        .withMetadata(Metadata.EMPTY.withCorrelationId("req-81").withActor("mobile-app"));

    AppendResult first = store.append("meter-9", ExpectedVersion.any(), List.of(purchase));
    AppendResult retry = store.append("meter-9", ExpectedVersion.any(), List.of(purchase)); // a retried request
    boolean alreadyStored = retry.replayed(); // true: an earlier call stored the purchase
    // end
    assertThat(alreadyStored).isTrue();
    assertThat(retry).isEqualTo(first.withReplayed(true));
    assertThat(store.readStream("meter-9")).hasSize(1);
  }

  @Test
  void an_unknown_outcome_is_settled_by_a_retry_with_the_same_events() {
    // snippet:unknown-outcome
    List<EventData> events = List.of(EventData.of(new TokenPurchased("meter-3", BigDecimal.TEN, BigDecimal.ONE, Instant.now())));
    AppendResult result;
    try {
      result = store.append("meter-3", ExpectedVersion.any(), events);
    } catch (AppendOutcomeUnknownException e) {
      // The database stayed out of reach while the store checked whether the commit landed.
      // Retry later with the SAME events (the same ids), never rebuilt ones.
      result = store.append("meter-3", ExpectedVersion.any(), events);
    }
    if (!result.replayed()) {
      publishReceipt(result); // this call stored the events; a replay was handled by an earlier call
    }
    // end
    AppendResult again = store.append("meter-3", ExpectedVersion.any(), events);
    assertThat(again.replayed()).isTrue();
    assertThat(receipts).containsExactly(result.lastPosition());
    assertThat(store.readStream("meter-3")).hasSize(1);
  }

  private final List<Long> receipts = new java.util.ArrayList<>();

  private void publishReceipt(AppendResult result) {
    receipts.add(result.lastPosition());
  }

  @Test
  void reads_the_global_log_after_a_checkpoint() {
    for (int i = 0; i < 5; i++) {
      store.append("meter-" + i, ExpectedVersion.noStream(),
          List.of(EventData.of(new ReadingRecorded("meter-" + i, BigDecimal.valueOf(i), Instant.now()))));
      store.append("booking-" + i, ExpectedVersion.noStream(), List.of(EventData.json("booking-requested", 1,
          store.types().mapper().createObjectNode().put("seat", i))));
    }
    long checkpoint = 0;
    List<Long> seen = new ArrayList<>();
    // snippet:read-all
    try (Stream<RecordedEvent> events = store.readAll(LogQuery.after(checkpoint).categories(Set.of("meter")))) {
      events.forEach(e -> seen.add(e.position())); // in position order, page by page
    }
    // end
    assertThat(seen).hasSize(5).isSorted();
    try (Stream<RecordedEvent> events = store.readAll(LogQuery.all().types(Set.of("booking-requested")))) {
      assertThat(events.map(store.types()::decode)).allSatisfy(e -> assertThat(e).isInstanceOf(RawEvent.class));
    }
  }

  @Test
  void units_of_work_commit_events_and_rows_together() {
    try (var h = ((dev.fabula.jdbc.JdbcEventStore) store).jdbi().open()) {
      h.execute("CREATE TABLE meter_list (meter TEXT PRIMARY KEY)");
    }
    // snippet:unit-of-work
    store.inTransaction(tx -> {
      tx.append("meter-12", ExpectedVersion.noStream(),
          List.of(EventData.of(new ReadingRecorded("meter-12", BigDecimal.ONE, Instant.now()))));
      tx.unwrap(Handle.class).execute("INSERT INTO meter_list (meter) VALUES (?)", "meter-12");
      return null; // returning commits both; throwing rolls both back
    });
    // end
    assertThatThrownBy(() -> store.inTransaction(tx -> {
      tx.append("meter-13", ExpectedVersion.noStream(),
          List.of(EventData.of(new ReadingRecorded("meter-13", BigDecimal.ONE, Instant.now()))));
      tx.unwrap(Handle.class).execute("INSERT INTO meter_list (meter) VALUES (?)", "meter-12"); // duplicate key
      return null;
    }));
    assertThat(store.streamInfo("meter-13")).isEmpty();
    assertThat(store.streamInfo("meter-12")).isPresent();
  }

  @Test
  void tenants_see_only_their_own_streams() {
    // snippet:tenants
    EventStore acme = store.forTenant("acme");
    EventStore globex = store.forTenant("globex");
    acme.append("booking-1", ExpectedVersion.noStream(), List.of(EventData.json("booking-requested", 1,
        store.types().mapper().createObjectNode().put("seat", 4))));

    // Each tenant has a namespace of its own: globex has no "booking-1" (an empty read, as for any
    // id it never wrote) and may create one; acme's events carry tenantId "acme".
    List<RecordedEvent> none = globex.readStream("booking-1");
    // end
    assertThat(none).isEmpty();
    assertThat(acme.readStream("booking-1").get(0).metadata().tenantId()).isEqualTo("acme");
    assertThat(store.readStream("booking-1")).as("the unconfined store's own namespace").isEmpty();
  }

  @Test
  void deleted_streams_stay_in_the_global_log() {
    store.append("meter-20", ExpectedVersion.noStream(),
        List.of(EventData.of(new ReadingRecorded("meter-20", BigDecimal.ONE, Instant.now()))));
    // snippet:delete
    store.deleteStream("meter-20", ExpectedVersion.exactly(1)); // a tombstone: no more reads or appends
    store.hardDeleteStream("meter-20");                          // erase its events for good (personal data)
    // end
    assertThatThrownBy(() -> store.readStream("meter-20")).isInstanceOf(StreamDeletedException.class);
    try (var all = store.readAll(LogQuery.all())) {
      assertThat(all.filter(e -> e.streamId().equals("meter-20"))).isEmpty();
    }
  }
}
