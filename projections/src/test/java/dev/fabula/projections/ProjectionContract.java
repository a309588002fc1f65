package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.jdbc.JdbcEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every backend must show for projections. A backend's test class supplies the
 * database ({@link #url()}); each test gets its own tables.
 */
abstract class ProjectionContract extends ContractSupport {

  // ---- SQL ----------------------------------------------------------------------------------

  @Test
  void every_statement_file_of_the_dialect_prepares_against_the_database() throws Exception {
    var db = dev.fabula.jdbc.spi.ComponentDatabase.open(store, dev.fabula.projections.internal.ProjectionSql.COMPONENT);
    List<String> names = db.statementNames();
    assertThat(names).contains("advance_checkpoint", "lock_checkpoint", "acquire_lease", "park_event");
    store.jdbi().useHandle(h -> {
      for (String name : names) {
        // Named parameters become ?; PostgreSQL parses on describe, SQLite on prepare.
        String jdbc = db.sql(name).replaceAll("(?<![:\\w]):[a-z_][a-z0-9_]*", "?");
        try (var ps = h.getConnection().prepareStatement(jdbc)) {
          ps.getParameterMetaData();
        } catch (java.sql.SQLException e) {
          throw new AssertionError(name + ".sql does not prepare: " + e.getMessage(), e);
        }
      }
    });
  }

  // ---- catching up, following, checkpoints --------------------------------------------------

  @Test
  void applies_every_event_once_and_follows_the_log_live() {
    String t = createAppliedTable("orders");
    Projection p = Projection.transactional("orders", insertInto(t)).withBatchSize(7);
    append("order-1", "placed", 20);
    run(FAST, p);
    AppendResult last = append("order-2", "placed", 15);

    projections.awaitPosition(p.id(), last.lastPosition(), WAIT);

    assertThat(longs("SELECT position FROM " + t + " ORDER BY position"))
        .containsExactlyElementsOf(allPositions());
    assertThat(projections.status(p.id()).checkpoint()).isEqualTo(last.lastPosition());
  }

  @Test
  void catches_up_from_its_checkpoint_after_a_restart_without_applying_anything_twice() {
    String t = createAppliedTable("restart");
    Projection p = Projection.transactional("restart", insertInto(t));
    AppendResult first = append("order-1", "placed", 10);
    try (ProjectionRunner runner = projections.runner(FAST, List.of(p))) {
      runner.start();
      projections.awaitPosition(p.id(), first.lastPosition(), WAIT);
    }
    assertThat(projections.status(p.id()).state()).isEqualTo(ProjectionState.STOPPED);
    AppendResult second = append("order-2", "placed", 10);

    run(FAST, p);
    projections.awaitPosition(p.id(), second.lastPosition(), WAIT);

    assertThat(longs("SELECT position FROM " + t + " ORDER BY position")).containsExactlyElementsOf(allPositions());
  }

  @Test
  void wakes_within_milliseconds_when_this_process_appends() {
    String t = createAppliedTable("wake");
    Projection p = Projection.transactional("wake", insertInto(t));
    run(FAST, p); // polls every 10 minutes: only the in-process signal can be fast
    awaitLease(p.id());

    long started = System.nanoTime();
    AppendResult r = append("order-1", "placed", 1);
    projections.awaitPosition(p.id(), r.lastPosition(), Duration.ofSeconds(5));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void finds_appends_of_other_store_instances_by_polling() {
    String t = createAppliedTable("polled");
    Projection p = Projection.transactional("polled", insertInto(t));
    run(FAST.withPollInterval(Duration.ofMillis(50)).withListen(false), p);
    JdbcEventStore other = openAnotherStore();

    AppendResult r = other.append("order-1", ExpectedVersion.any(), List.of(event("placed", 1)));

    projections.awaitPosition(p.id(), r.lastPosition(), WAIT);
    assertThat(count("SELECT count(*) FROM " + t)).isEqualTo(1);
  }

  @Test
  void handles_only_the_types_and_categories_of_its_filter() {
    String byType = createAppliedTable("by_type");
    String byCategory = createAppliedTable("by_category");
    String both = createAppliedTable("both");
    Projection types = Projection.transactional("by-type", insertInto(byType))
        .withFilter(EventFilter.ofTypes("placed", "cancelled"));
    Projection categories = Projection.transactional("by-category", insertInto(byCategory))
        .withFilter(EventFilter.ofCategories("invoice"));
    Projection typeAndCategory = Projection.transactional("both", insertInto(both))
        .withFilter(EventFilter.ofCategories("order").withTypes(Set.of("cancelled")));
    append("order-1", "placed", 2);
    append("order-1", "cancelled", 1);
    append("invoice-1", "issued", 2);
    AppendResult last = append("order-2", "shipped", 3);

    run(FAST, types, categories, typeAndCategory);
    for (Projection p : List.of(types, categories, typeAndCategory)) {
      projections.awaitPosition(p.id(), last.lastPosition(), WAIT);
    }

    assertThat(count("SELECT count(*) FROM " + byType)).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM " + byCategory)).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM " + both)).isEqualTo(1);
    assertThat(projections.status(categories.id()).lagEvents()).isZero();
  }

  @Test
  void several_projections_handle_the_same_events_with_independent_checkpoints() {
    String fast = createAppliedTable("fast");
    Projection a = Projection.transactional("a", insertInto(fast));
    Projection b = Projection.transactional("b", (h, events) -> {
      throw new IllegalStateException("b is broken");
    }).withBatchSize(1);
    AppendResult last = append("order-1", "placed", 5);

    run(FAST, a, b);
    projections.awaitPosition(a.id(), last.lastPosition(), WAIT);
    assertThatThrownBy(() -> projections.awaitPosition(b.id(), last.lastPosition(), WAIT))
        .isInstanceOf(ProjectionFailedException.class);

    assertThat(count("SELECT count(*) FROM " + fast)).isEqualTo(5);
    assertThat(projections.status(b.id()).checkpoint()).isZero();
    assertThat(projections.status(b.id()).failedPosition()).isEqualTo(allPositions().get(0));
  }

  @Test
  void gives_at_least_once_handlers_each_event_with_its_position() {
    Map<Long, String> seen = new ConcurrentHashMap<>();
    Projection p = Projection.atLeastOnce("cache", AtLeastOnceHandler.eachEvent(e -> seen.put(e.position(), e.streamId())));
    AppendResult last = append("order-1", "placed", 12);

    run(FAST, p);
    projections.awaitPosition(p.id(), last.lastPosition(), WAIT);

    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(allPositions());
    assertThat(projections.status(p.id()).checkpoint()).isEqualTo(last.lastPosition());
  }

  @Test
  void hands_batches_of_at_most_the_batch_size_in_log_order() {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    List<Long> order = new CopyOnWriteArrayList<>();
    Projection p = Projection.atLeastOnce("batches", events -> {
      sizes.add(events.size());
      events.forEach(e -> order.add(e.position()));
    }).withBatchSize(4);
    AppendResult last = append("order-1", "placed", 10);

    run(FAST, p);
    projections.awaitPosition(p.id(), last.lastPosition(), WAIT);

    assertThat(sizes).allMatch(n -> n <= 4).hasSize(3);
    assertThat(order).isSorted().containsExactlyElementsOf(allPositions());
  }

  // ---- leases -------------------------------------------------------------------------------

  @Test
  void fails_loudly_and_applies_nothing_when_another_owner_took_the_lease() {
    String t = createAppliedTable("fenced");
    Projection p = Projection.transactional("fenced", insertInto(t));
    AppendResult first = append("order-1", "placed", 3);
    ProjectionRunner runner = run(FAST.withOwner("honest"), p);
    projections.awaitPosition(p.id(), first.lastPosition(), WAIT);

    // Another owner takes the row (as a runner would after an expired lease).
    execute("UPDATE " + prefix + "projection_checkpoints SET owner = 'thief', lease_until_ms = lease_until_ms + 600000"
        + " WHERE name = 'fenced'");
    AppendResult second = append("order-2", "placed", 3);
    assertThatThrownBy(() -> projections.awaitPosition(p.id(), second.lastPosition(), Duration.ofMillis(500)))
        .isInstanceOf(ProjectionTimeoutException.class);
    assertThat(count("SELECT count(*) FROM " + t)).isEqualTo(3);
    assertThat(projections.status(p.id()).owner()).isEqualTo("thief");

    // The thief goes away: the honest runner takes the lease again and goes on.
    execute("UPDATE " + prefix + "projection_checkpoints SET owner = NULL, lease_until_ms = 0 WHERE name = 'fenced'");
    projections.awaitPosition(p.id(), second.lastPosition(), WAIT);
    assertThat(longs("SELECT position FROM " + t + " ORDER BY position")).containsExactlyElementsOf(allPositions());
    assertThat(projections.status(p.id()).owner()).isEqualTo(runner.owner());
  }

  @Test
  void lets_one_of_two_runners_apply_and_hands_over_when_it_stops() {
    String t = table("two");
    execute("CREATE TABLE " + t + " (position BIGINT NOT NULL, owner VARCHAR(100) NOT NULL)");
    Projection p1 = Projection.transactional("two", TransactionalHandler.eachEvent((h, e) ->
        h.execute("INSERT INTO " + t + " (position, owner) VALUES (?, 'one')", e.position())));
    Projection p2 = Projection.transactional("two", TransactionalHandler.eachEvent((h, e) ->
        h.execute("INSERT INTO " + t + " (position, owner) VALUES (?, 'two')", e.position())));
    ProjectionRunner one = run(FAST.withOwner("one"), p1);
    eventually("runner one to take the lease", () -> "one".equals(projections.status(p1.id()).owner()));
    ProjectionRunner two = run(FAST.withOwner("two"), p2);
    AppendResult first = append("order-1", "placed", 5);
    projections.awaitPosition(p1.id(), first.lastPosition(), WAIT);
    assertThat(projections.status(p1.id()).owner()).isEqualTo("one");

    one.close();
    AppendResult second = append("order-2", "placed", 5);
    projections.awaitPosition(p1.id(), second.lastPosition(), WAIT);

    assertThat(projections.status(p1.id()).owner()).isEqualTo(two.owner());
    assertThat(longs("SELECT position FROM " + t + " WHERE owner = 'one' ORDER BY position"))
        .containsExactlyElementsOf(allPositions().subList(0, 5));
    assertThat(longs("SELECT position FROM " + t + " WHERE owner = 'two' ORDER BY position"))
        .containsExactlyElementsOf(allPositions().subList(5, 10));
  }

  // ---- failures -----------------------------------------------------------------------------

  @Test
  void retries_a_failing_event_with_backoff_until_it_succeeds() {
    String t = createAppliedTable("flaky");
    AtomicInteger failuresLeft = new AtomicInteger(2);
    TransactionalHandler insert = insertInto(t);
    Projection p = Projection.transactional("flaky", (h, events) -> {
      insert.apply(h, events);
      if (events.stream().anyMatch(e -> e.streamVersion() == 3) && failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("flaky downstream");
      }
    });
    AppendResult last = append("order-1", "placed", 5);

    run(FAST, p);
    projections.awaitPosition(p.id(), last.lastPosition(), WAIT);

    assertThat(longs("SELECT position FROM " + t + " ORDER BY position")).containsExactlyElementsOf(allPositions());
    assertThat(projections.status(p.id()).lastError()).isNull();
  }

  @Test
  void stops_in_the_failed_state_with_the_position_and_error_and_runs_again_when_resumed() {
    String t = createAppliedTable("poison");
    AtomicInteger calls = new AtomicInteger();
    Set<Long> poison = ConcurrentHashMap.newKeySet();
    TransactionalHandler insert = insertInto(t);
    Projection p = Projection.transactional("poison", TransactionalHandler.eachEvent((h, e) -> {
      if (poison.contains(e.position())) {
        calls.incrementAndGet();
        throw new IllegalArgumentException("cannot handle " + e.position());
      }
      insert.apply(h, List.of(e));
    }));
    AppendResult before = append("order-1", "placed", 3);
    AppendResult bad = append("order-2", "placed", 1);
    AppendResult last = append("order-3", "placed", 3);
    poison.add(bad.lastPosition());

    run(FAST, p);
    assertThatThrownBy(() -> projections.awaitPosition(p.id(), last.lastPosition(), WAIT))
        .isInstanceOf(ProjectionFailedException.class)
        .hasMessageContaining("cannot handle " + bad.lastPosition());

    ProjectionStatus failed = projections.status(p.id());
    assertThat(failed.state()).isEqualTo(ProjectionState.FAILED);
    assertThat(failed.failedPosition()).isEqualTo(bad.lastPosition());
    assertThat(failed.checkpoint()).isEqualTo(before.lastPosition());
    assertThat(failed.lastError()).contains("IllegalArgumentException", "failed 3 times");
    assertThat(calls.get()).isEqualTo(1 + FAST.maxAttempts()); // the batch, then the event alone
    assertThat(projections.delivery(p.id(), bad.lastPosition()).state()).isEqualTo(DeliveryState.PENDING);

    poison.clear();
    assertThat(projections.resume(p.id())).isTrue();
    projections.awaitPosition(p.id(), last.lastPosition(), WAIT);
    assertThat(longs("SELECT position FROM " + t + " ORDER BY position")).containsExactlyElementsOf(allPositions());
    assertThat(projections.status(p.id()).state()).isIn(ProjectionState.RUNNING, ProjectionState.CATCHING_UP);
  }

  @Test
  void parks_a_failing_event_with_the_rest_of_its_stream_while_other_streams_go_on() {
    String t = createAppliedTable("parking");
    Set<String> broken = new java.util.concurrent.CopyOnWriteArraySet<>(Set.of("2"));
    TransactionalHandler insert = insertInto(t);
    Projection p = Projection.transactional("parking", TransactionalHandler.eachEvent((h, e) -> {
      if (e.streamId().equals("order-b") && broken.contains(e.payload().get("n").asText())) {
        throw new IllegalStateException("bad order line");
      }
      insert.apply(h, List.of(e));
    })).withFailurePolicy(FailurePolicy.PARK);
    List<Long> b = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      store.append("order-a", ExpectedVersion.any(), List.of(event("placed", i)));
      b.add(store.append("order-b", ExpectedVersion.any(), List.of(event("placed", i))).lastPosition());
    }
    AppendResult last = append("order-c", "placed", 2);

    run(FAST, p);
    projections.awaitPosition(p.id(), last.lastPosition(), WAIT);

    // order-b's events 0 and 1 applied; 2 failed and is parked; 3 and 4 are held back behind it.
    assertThat(longs("SELECT position FROM " + t + " WHERE stream_id = 'order-b' ORDER BY position"))
        .containsExactly(b.get(0), b.get(1));
    assertThat(count("SELECT count(*) FROM " + t + " WHERE stream_id <> 'order-b'")).isEqualTo(7);
    List<ParkedEvent> parked = projections.parked(p.id());
    assertThat(parked).extracting(ParkedEvent::position).containsExactly(b.get(2), b.get(3), b.get(4));
    assertThat(parked.get(0).blockedBy()).isNull();
    assertThat(parked.get(0).reason()).contains("bad order line");
    assertThat(parked.get(0).attempts()).isEqualTo(FAST.maxAttempts());
    assertThat(parked.get(1).blockedBy()).isEqualTo(b.get(2));
    assertThat(projections.status(p.id()).parkedEvents()).isEqualTo(3);
    assertThat(projections.delivery(p.id(), b.get(2)).state()).isEqualTo(DeliveryState.PARKED);
    assertThat(projections.delivery(p.id(), b.get(3)).reason()).contains("held back behind", String.valueOf(b.get(2)));

    // New events of the parked stream are held back too.
    AppendResult later = store.append("order-b", ExpectedVersion.any(), List.of(event("placed", 5)));
    assertThatThrownBy(() -> projections.awaitPosition(p.id(), later.lastPosition(), WAIT))
        .isInstanceOf(EventParkedException.class);
    assertThat(projections.parked(p.id())).hasSize(4);
  }

  @Test
  void retries_parked_events_in_stream_order_and_lets_the_stream_flow_again() {
    String t = createAppliedTable("retry");
    Set<String> broken = new java.util.concurrent.CopyOnWriteArraySet<>(Set.of("1"));
    TransactionalHandler insert = insertInto(t);
    Projection p = Projection.transactional("retry", TransactionalHandler.eachEvent((h, e) -> {
      if (broken.contains(e.payload().get("n").asText()) && e.streamId().equals("order-x")) {
        throw new IllegalStateException("not yet");
      }
      insert.apply(h, List.of(e));
    })).withFailurePolicy(FailurePolicy.PARK);
    AppendResult last = append("order-x", "placed", 4);
    run(FAST, p);
    assertThatThrownBy(() -> projections.awaitPosition(p.id(), last.lastPosition(), WAIT))
        .isInstanceOf(EventParkedException.class);
    assertThat(projections.parked(p.id())).hasSize(3);

    broken.clear();
    assertThat(projections.retryParked(p.id(), "order-x")).isEqualTo(3);
    projections.awaitPosition(p.id(), last.lastPosition(), WAIT); // waits for the retry
    assertThat(projections.parked(p.id())).isEmpty();
    assertThat(count("SELECT count(*) FROM " + t)).isEqualTo(4);
    AppendResult after = append("order-x", "placed", 1);
    projections.awaitPosition(p.id(), after.lastPosition(), WAIT);
    assertThat(count("SELECT count(*) FROM " + t)).isEqualTo(5);

    assertThat(longs("SELECT stream_version FROM " + t + " ORDER BY seq")).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(projections.deadLetters(p.id())).extracting(ParkedEvent::status)
        .containsOnly(ParkedEvent.Status.APPLIED);
    assertThat(projections.delivery(p.id(), last.lastPosition()).state()).isEqualTo(DeliveryState.APPLIED);
  }

  @Test
  void dismisses_a_parked_event_but_keeps_its_row_for_the_audit() {
    String t = createAppliedTable("dismiss");
    TransactionalHandler insert = insertInto(t);
    Projection p = Projection.transactional("dismiss", TransactionalHandler.eachEvent((h, e) -> {
      if (e.type().equals("garbage")) {
        throw new IllegalStateException("unreadable");
      }
      insert.apply(h, List.of(e));
    })).withFailurePolicy(FailurePolicy.PARK);
    AppendResult bad = append("order-1", "garbage", 1);
    run(FAST, p);
    assertThatThrownBy(() -> projections.awaitPosition(p.id(), bad.lastPosition(), WAIT))
        .isInstanceOf(EventParkedException.class);

    assertThat(projections.dismissParked(p.id(), bad.lastPosition(), "imported by mistake, ticket 42")).isTrue();
    AppendResult next = append("order-1", "placed", 1);
    projections.awaitPosition(p.id(), next.lastPosition(), WAIT);

    assertThat(count("SELECT count(*) FROM " + t)).isEqualTo(1);
    Delivery d = projections.delivery(p.id(), bad.lastPosition());
    assertThat(d.state()).isEqualTo(DeliveryState.DISMISSED);
    assertThat(d.reason()).contains("ticket 42");
    assertThat(projections.parked(p.id())).isEmpty();
    assertThat(projections.dismissParked(p.id(), bad.lastPosition(), "again")).isFalse();
  }

  // ---- audit, status, waiting ---------------------------------------------------------------

  @Test
  void audits_what_became_of_each_event() {
    String t = createAppliedTable("audit");
    Projection p = Projection.transactional("audit", insertInto(t)).withFilter(EventFilter.ofCategories("order"));
    AppendResult applied = append("order-1", "placed", 1);
    AppendResult other = append("invoice-1", "issued", 1);
    AppendResult erased = append("secret-1", "placed", 1);
    store.hardDeleteStream("secret-1");
    AppendResult last = append("order-2", "placed", 1);
    run(FAST, p);
    projections.awaitPosition(p.id(), last.lastPosition(), WAIT);

    assertThat(projections.delivery(p.id(), applied.lastPosition()).state()).isEqualTo(DeliveryState.APPLIED);
    assertThat(projections.delivery(p.id(), other.lastPosition()).state()).isEqualTo(DeliveryState.NOT_HANDLED);
    assertThat(projections.delivery(p.id(), erased.lastPosition()).state()).isEqualTo(DeliveryState.NO_EVENT);
    Delivery future = projections.delivery(p.id(), last.lastPosition() + 1_000);
    assertThat(future.state()).isEqualTo(DeliveryState.PENDING);
    assertThat(future.reason()).contains("head");
  }

  @Test
  void reports_pending_events_after_the_checkpoint_in_the_audit_and_the_lag() {
    Projection p = Projection.transactional("lagging", (h, events) -> {});
    run(FAST, p);
    closeRunners();

    AppendResult r = append("order-1", "placed", 4);
    ProjectionStatus s = projections.status(p.id());

    assertThat(s.state()).isEqualTo(ProjectionState.STOPPED);
    assertThat(s.checkpoint()).isZero();
    assertThat(s.head()).isEqualTo(r.lastPosition());
    assertThat(s.lagEvents()).isEqualTo(4);
    assertThat(s.lag()).isGreaterThanOrEqualTo(Duration.ZERO);
    assertThat(s.waitingFor()).contains("lease");
    assertThat(projections.delivery(p.id(), r.lastPosition()).state()).isEqualTo(DeliveryState.PENDING);
  }

  @Test
  void reports_checkpoint_head_lag_state_and_owner_while_running() {
    String t = createAppliedTable("status");
    Projection p = Projection.transactional("status", insertInto(t));
    AppendResult r = append("order-1", "placed", 3);
    ProjectionRunner runner = run(FAST.withOwner("status-runner"), p);
    projections.awaitPosition(p.id(), r.lastPosition(), WAIT);
    eventually("the runner to wait for new events", () -> "new events".equals(
        String.valueOf(projections.status(p.id()).waitingFor()).replaceAll(" \\(since .*", "")));

    ProjectionStatus s = projections.status(p.id());
    assertThat(s.id()).isEqualTo(p.id());
    assertThat(s.checkpoint()).isEqualTo(r.lastPosition());
    assertThat(s.head()).isEqualTo(r.lastPosition());
    assertThat(s.lagEvents()).isZero();
    assertThat(s.lag()).isEqualTo(Duration.ZERO);
    assertThat(s.caughtUp()).isTrue();
    assertThat(s.owner()).isEqualTo(runner.owner());
    assertThat(s.leaseUntil()).isNotNull();
    assertThat(s.waitingFor()).contains("new events");
    assertThat(projections.statuses()).extracting(ProjectionStatus::id).contains(p.id());
  }

  @Test
  void waits_for_a_position_the_projection_does_not_handle_once_nothing_before_it_is_pending() {
    Projection p = Projection.transactional("sparse", (h, events) -> {}).withFilter(EventFilter.ofTypes("placed"));
    AppendResult handled = append("order-1", "placed", 1);
    run(FAST, p);
    projections.awaitPosition(p.id(), handled.lastPosition(), WAIT);

    AppendResult notHandled = append("order-1", "shipped", 1);

    projections.awaitPosition(p.id(), notHandled.lastPosition(), WAIT);
    assertThat(projections.status(p.id()).checkpoint()).isEqualTo(handled.lastPosition());
  }

  @Test
  void times_out_with_the_status_when_no_runner_runs_the_projection() {
    Projection p = Projection.transactional("idle", (h, events) -> {});
    run(FAST, p);
    closeRunners();
    AppendResult r = append("order-1", "placed", 1);

    assertThatThrownBy(() -> projections.awaitPosition(p.id(), r.lastPosition(), Duration.ofMillis(200)))
        .isInstanceOf(ProjectionTimeoutException.class)
        .hasMessageContaining("STOPPED");
    assertThatThrownBy(() -> projections.status(ProjectionId.of("never-registered", 1)))
        .isInstanceOf(ProjectionException.class)
        .hasMessageContaining("not registered");
  }

  // ---- rebuilds and blue/green --------------------------------------------------------------

  @Test
  void rebuilds_by_running_the_reset_hook_and_replaying_the_log() {
    String t = createAppliedTable("rebuilt");
    AtomicInteger resets = new AtomicInteger();
    Projection p = Projection.transactional("rebuilt", insertInto(t)).withReset(h -> {
      resets.incrementAndGet();
      h.execute("DELETE FROM " + t);
    });
    AppendResult r = append("order-1", "placed", 6);
    run(FAST, p);
    projections.awaitPosition(p.id(), r.lastPosition(), WAIT);
    execute("UPDATE " + t + " SET event_type = 'corrupted'");

    projections.rebuild(p.id());
    projections.awaitPosition(p.id(), r.lastPosition(), WAIT); // waits for the reset and the replay

    assertThat(resets).hasValue(1);
    assertThat(count("SELECT count(*) FROM " + t + " WHERE event_type = 'placed'")).isEqualTo(6);

    assertThat(longs("SELECT position FROM " + t + " ORDER BY position")).containsExactlyElementsOf(allPositions());
  }

  @Test
  void builds_version_two_beside_version_one_switches_readers_and_drops_version_one() {
    String v1Table = prefix + "totals_v1";
    String v2Table = prefix + "totals_v2";
    execute("CREATE TABLE " + v1Table + " (stream_id VARCHAR(100) PRIMARY KEY, total BIGINT NOT NULL)");
    execute("CREATE TABLE " + v2Table + " (stream_id VARCHAR(100) PRIMARY KEY, total BIGINT NOT NULL, events BIGINT NOT NULL)");
    Projection v1 = Projection.transactional("totals", TransactionalHandler.eachEvent((h, e) -> upsertTotal(h, v1Table, e, false)));
    Projection v2 = Projection.transactional("totals", TransactionalHandler.eachEvent((h, e) -> upsertTotal(h, v2Table, e, true)))
        .withVersion(2);
    assertThat(v2.table(prefix + "totals")).isEqualTo(v2Table);
    append("order-1", "placed", 3);
    append("order-2", "placed", 2);
    ProjectionRunner blue = run(FAST, v1);
    projections.promote(v1.id(), WAIT);
    assertThat(projections.servingVersion("totals")).hasValue(1);

    run(FAST, v2);
    AppendResult last = append("order-3", "placed", 1);
    projections.promote(v2.id(), WAIT);
    projections.awaitPosition(v1.id(), last.lastPosition(), WAIT);

    assertThat(projections.servingVersion("totals")).hasValue(2);
    ReadModelDiff diff = ReadModelDiff.compare(store.jdbi(), "SELECT stream_id, total FROM " + v1Table,
        "SELECT stream_id, total FROM " + v2Table, "stream_id");
    assertThat(diff.matches()).as(diff.summary()).isTrue();
    Projection retired = v1;
    assertThatThrownBy(() -> projections.drop(retired.id(), h -> {})).hasMessageContaining("still runs");
    blue.close();
    projections.drop(v1.id(), h -> h.execute("DROP TABLE " + v1Table));
    assertThat(projections.statuses()).extracting(ProjectionStatus::id).doesNotContain(v1.id()).contains(v2.id());
    assertThatThrownBy(() -> projections.drop(v2.id(), h -> {})).hasMessageContaining("serves readers");
  }

  private static void upsertTotal(org.jdbi.v3.core.Handle h, String table, RecordedEvent e, boolean countEvents) {
    int updated = h.createUpdate("UPDATE " + table + " SET total = total + 1" + (countEvents ? ", events = events + 1" : "")
        + " WHERE stream_id = :s").bind("s", e.streamId()).execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO " + table + " (stream_id, total" + (countEvents ? ", events" : "") + ") VALUES (:s, 1"
          + (countEvents ? ", 1" : "") + ")").bind("s", e.streamId()).execute();
    }
  }

  @Test
  void compares_two_read_models_and_reports_missing_extra_and_different_rows() {
    execute("CREATE TABLE " + table("old") + " (id INTEGER NOT NULL, name VARCHAR(20), amount DECIMAL(10, 2))");
    execute("CREATE TABLE " + table("new") + " (id BIGINT NOT NULL, name VARCHAR(20), amount DECIMAL(12, 3))");
    execute("INSERT INTO " + table("old") + " VALUES (1, 'a', 1.50), (2, 'b', 2.00), (3, 'c', 3.00)");
    execute("INSERT INTO " + table("new") + " VALUES (1, 'a', 1.500), (2, 'B', 2.00), (4, 'd', 4.00)");

    ReadModelDiff diff = ReadModelDiff.compare(store.jdbi(), "SELECT * FROM " + table("old"),
        "SELECT * FROM " + table("new"), "id");

    assertThat(diff.matches()).isFalse();
    assertThat(diff.missing()).extracting(r -> r.get("name")).containsExactly("c");
    assertThat(diff.extra()).extracting(r -> r.get("name")).containsExactly("d");
    assertThat(diff.different()).hasSize(1);
    assertThat(diff.different().get(0).columns()).containsExactly("name");
    assertThat(diff.summary()).contains("1 missing, 1 extra, 1 different");
  }

  // ---- inline and live ----------------------------------------------------------------------

  @Test
  void applies_inline_projections_in_the_appending_transaction() {
    String t = createAppliedTable("inline");
    InlineProjections inline = InlineProjections.open(store, List.of(
        Projection.transactional("inline", insertInto(t)).withFilter(EventFilter.ofCategories("order"))));
    EventData placed = event("placed", 1);

    AppendResult r = store.inTransaction(tx -> inline.append(tx, "order-1", ExpectedVersion.noStream(), List.of(placed)));
    List<StreamAppend> two = List.of(
        new StreamAppend("order-2", ExpectedVersion.noStream(), List.of(event("placed", 2), event("paid", 3))),
        new StreamAppend("invoice-2", ExpectedVersion.noStream(), List.of(event("issued", 4))));
    List<AppendResult> both = store.inTransaction(tx -> inline.appendAll(tx, two));

    assertThat(longs("SELECT position FROM " + t + " ORDER BY position"))
        .containsExactly(r.lastPosition(), both.get(0).firstPosition(), both.get(0).lastPosition());

    // A retry of the same append (same event ids) writes nothing and applies nothing.
    AppendResult again = store.inTransaction(tx -> inline.append(tx, "order-1", ExpectedVersion.noStream(), List.of(placed)));
    assertThat(again).isEqualTo(r.withReplayed(true));
    assertThat(count("SELECT count(*) FROM " + t)).isEqualTo(3);
    // The same for appendAll, and for a repeat inside the transaction that first wrote the events.
    List<AppendResult> bothAgain = store.inTransaction(tx -> inline.appendAll(tx, two));
    assertThat(bothAgain).extracting(AppendResult::replayed).containsOnly(true);
    EventData shipped = event("shipped", 5);
    store.inTransaction(tx -> {
      inline.append(tx, "order-5", ExpectedVersion.noStream(), List.of(shipped));
      return inline.append(tx, "order-5", ExpectedVersion.noStream(), List.of(shipped));
    });
    assertThat(count("SELECT count(*) FROM " + t)).isEqualTo(4);

    // A failing append rolls the inline effects back.
    assertThatThrownBy(() -> store.inTransaction(tx -> {
      inline.append(tx, "order-9", ExpectedVersion.noStream(), List.of(event("placed", 9)));
      throw new IllegalStateException("rolled back");
    })).hasMessage("rolled back");
    assertThat(count("SELECT count(*) FROM " + t)).isEqualTo(4);
    assertThatThrownBy(() -> InlineProjections.open(store, List.of(Projection.atLeastOnce("x", events -> {}))))
        .hasMessageContaining("TransactionalHandler");
  }

  @Test
  void rolls_the_append_back_when_an_inline_projection_fails() {
    InlineProjections inline = InlineProjections.open(store, List.of(Projection.transactional("strict", (h, events) -> {
      throw new IllegalStateException("refused");
    })));

    assertThatThrownBy(() -> store.inTransaction(tx -> inline.append(tx, "order-1", ExpectedVersion.noStream(),
        List.of(event("placed", 1))))).hasMessageContaining("refused");

    assertThat(store.streamInfo("order-1")).isEmpty();
  }

  @Test
  void rebuilds_a_live_projection_from_the_log_at_start_up_and_follows_new_events() {
    append("order-1", "placed", 3);
    append("invoice-1", "issued", 2);
    try (LiveProjection<Map<String, Integer>> counts = LiveProjection.start(store, EventFilter.ofCategories("order"),
        Map.<String, Integer>of(), ProjectionContract::plusOne, Duration.ofMinutes(10))) {
      assertThat(counts.state()).containsEntry("order-1", 3).hasSize(1);

      AppendResult r = append("order-2", "placed", 2);
      counts.awaitPosition(r.lastPosition(), WAIT);

      assertThat(counts.state()).containsEntry("order-1", 3).containsEntry("order-2", 2);
      assertThat(counts.position()).isEqualTo(r.lastPosition());
    }
  }

  @Test
  void a_live_projection_sees_appends_of_other_store_instances() {
    try (LiveProjection<Map<String, Integer>> counts = LiveProjection.start(store, EventFilter.ALL,
        Map.<String, Integer>of(), ProjectionContract::plusOne, Duration.ofMillis(50))) {
      AppendResult r = openAnotherStore().append("order-7", ExpectedVersion.any(), List.of(event("placed", 1)));
      counts.awaitPosition(r.lastPosition(), WAIT);
      assertThat(counts.state()).containsEntry("order-7", 1);
    }
  }

  static Map<String, Integer> plusOne(Map<String, Integer> state, RecordedEvent e) {
    Map<String, Integer> next = new java.util.HashMap<>(state);
    next.merge(e.streamId(), 1, Integer::sum);
    return Collections.unmodifiableMap(next);
  }

}
