package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.RawEvent;
import dev.fabula.Upcaster;
import dev.fabula.Upcasters;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * What the projection guide promises and a user relies on without looking: a rebuild never
 * doubles a read model, a read-your-writes wait never succeeds for an event that was not applied,
 * upcasters apply on the retry and audit paths too, and a failed live projection does not serve
 * stale state. Each test failed on the code before these promises were made true.
 */
abstract class ProjectionSafetyContract extends ContractSupport {

  // ---- rebuilds -----------------------------------------------------------------------------

  /** A projection that adds up: the kind a replay over its old rows doubles. */
  private Projection summing(String name, String table) {
    execute("CREATE TABLE " + table + " (stream_id VARCHAR(100) PRIMARY KEY, total BIGINT NOT NULL)");
    return Projection.transactional(name, TransactionalHandler.eachEvent((h, e) -> {
      if (h.createUpdate("UPDATE " + table + " SET total = total + 1 WHERE stream_id = :s").bind("s", e.streamId()).execute() == 0) {
        h.execute("INSERT INTO " + table + " (stream_id, total) VALUES (?, 1)", e.streamId());
      }
    }));
  }

  @Test
  void refuses_to_rebuild_a_projection_without_a_reset_hook_and_says_what_to_add() {
    String t = table("totals");
    Projection p = summing("totals", t);
    AppendResult r = append("order-1", "placed", 3);
    run(FAST, p);
    projections.awaitPosition(p.id(), r.lastPosition(), WAIT);

    assertThatThrownBy(() -> projections.rebuild(p.id()))
        .isInstanceOf(ProjectionException.class)
        .hasMessageContaining("refused")
        .hasMessageContaining(".withReset(")
        .hasMessageContaining(".withIdempotentReplay()");

    AppendResult later = append("order-1", "placed", 1);
    projections.awaitPosition(p.id(), later.lastPosition(), WAIT);
    assertThat(count("SELECT total FROM " + t)).as("not replayed over the old rows").isEqualTo(4);
    assertThat(p.rebuildable()).isFalse();
  }

  @Test
  void rebuilds_a_projection_with_a_reset_hook_to_the_same_total() {
    String t = table("reset_totals");
    Projection p = summing("reset-totals", t).withReset(h -> h.execute("DELETE FROM " + t));
    AppendResult r = append("order-1", "placed", 3);
    run(FAST, p);
    projections.awaitPosition(p.id(), r.lastPosition(), WAIT);

    projections.rebuild(p.id());
    projections.awaitPosition(p.id(), r.lastPosition(), WAIT);

    assertThat(count("SELECT total FROM " + t)).isEqualTo(3);
  }

  @Test
  void rebuilds_a_projection_that_declares_an_idempotent_replay_over_its_rows() {
    String t = table("statuses");
    execute("CREATE TABLE " + t + " (stream_id VARCHAR(100) PRIMARY KEY, status VARCHAR(20) NOT NULL)");
    AtomicInteger applied = new AtomicInteger();
    Projection p = Projection.transactional("statuses", TransactionalHandler.eachEvent((h, e) -> {
      applied.incrementAndGet();
      if (h.createUpdate("UPDATE " + t + " SET status = :t WHERE stream_id = :s").bind("t", e.type()).bind("s", e.streamId())
          .execute() == 0) {
        h.execute("INSERT INTO " + t + " (stream_id, status) VALUES (?, ?)", e.streamId(), e.type());
      }
    })).withIdempotentReplay();
    append("order-1", "placed", 1);
    AppendResult r = append("order-1", "shipped", 1);
    run(FAST, p);
    projections.awaitPosition(p.id(), r.lastPosition(), WAIT);

    projections.rebuild(p.id());
    projections.awaitPosition(p.id(), r.lastPosition(), WAIT);

    assertThat(applied).as("replayed").hasValue(4);
    List<String> statuses = store.jdbi().withHandle(h -> h.createQuery("SELECT status FROM " + t).mapTo(String.class).list());
    assertThat(statuses).containsExactly("shipped");
  }

  @Test
  void a_runner_without_a_reset_hook_fails_a_rebuild_requested_under_another_definition_instead_of_replaying() {
    String t = table("handover");
    Projection withHook = summing("handover", t).withReset(h -> h.execute("DELETE FROM " + t));
    Projection withoutHook = Projection.transactional("handover", (TransactionalHandler) withHook.handler());
    AppendResult r = append("order-1", "placed", 2);
    try (ProjectionRunner old = projections.runner(FAST, List.of(withHook)).start()) {
      projections.awaitPosition(withHook.id(), r.lastPosition(), WAIT);
    }
    projections.rebuild(withHook.id()); // accepted: the definition registered last has a hook

    run(FAST, withoutHook); // a deploy that lost the hook takes the request over

    assertThatThrownBy(() -> projections.awaitPosition(withoutHook.id(), r.lastPosition(), WAIT))
        .isInstanceOf(ProjectionFailedException.class)
        .hasMessageContaining("this runner's definition has no reset hook");
    assertThat(count("SELECT total FROM " + t)).isEqualTo(2);
    assertThatThrownBy(() -> projections.rebuild(withoutHook.id())).hasMessageContaining("refused");
  }

  // ---- read-your-writes and parked events ---------------------------------------------------

  @Test
  void await_position_reports_a_parked_event_instead_of_returning_and_returns_once_a_retry_applied_it() {
    String t = createAppliedTable("parked_wait");
    AtomicBoolean broken = new AtomicBoolean(true);
    TransactionalHandler insert = insertInto(t);
    Projection p = Projection.transactional("parked-wait", TransactionalHandler.eachEvent((h, e) -> {
      if (broken.get() && e.streamId().equals("order-b")) {
        throw new IllegalStateException("no customer");
      }
      insert.apply(h, List.of(e));
    })).withFailurePolicy(FailurePolicy.PARK);
    run(FAST, p);
    AppendResult failing = append("order-b", "placed", 1);
    AppendResult heldBack = append("order-b", "shipped", 1);
    AppendResult other = append("order-c", "placed", 1);

    projections.awaitPosition(p.id(), other.lastPosition(), WAIT); // other streams go on
    assertThatThrownBy(() -> projections.awaitPosition(p.id(), failing.lastPosition(), WAIT))
        .isInstanceOf(EventParkedException.class)
        .hasMessageContaining("no customer")
        .hasMessageContaining("retryParked")
        .satisfies(e -> assertThat(((EventParkedException) e).parkedEvent().position()).isEqualTo(failing.lastPosition()));
    assertThatThrownBy(() -> projections.awaitPosition(p.id(), heldBack.lastPosition(), WAIT))
        .isInstanceOf(EventParkedException.class)
        .hasMessageContaining("held back behind the parked event at position " + failing.lastPosition());

    broken.set(false);
    projections.retryParked(p.id(), "order-b");
    projections.awaitPosition(p.id(), heldBack.lastPosition(), WAIT);
    assertThat(longs("SELECT position FROM " + t + " ORDER BY seq"))
        .containsExactly(other.lastPosition(), failing.lastPosition(), heldBack.lastPosition());
  }

  @Test
  void await_position_reports_a_dismissed_event() {
    Projection p = Projection.transactional("dismissed-wait", (h, events) -> {
      throw new IllegalStateException("unreadable");
    }).withFailurePolicy(FailurePolicy.PARK);
    run(FAST, p);
    AppendResult bad = append("order-1", "garbage", 1);
    assertThatThrownBy(() -> projections.awaitPosition(p.id(), bad.lastPosition(), WAIT))
        .isInstanceOf(EventParkedException.class);

    projections.dismissParked(p.id(), bad.lastPosition(), "ticket 7");

    assertThatThrownBy(() -> projections.awaitPosition(p.id(), bad.lastPosition(), WAIT))
        .isInstanceOf(EventParkedException.class)
        .hasMessageContaining("dismissed (ticket 7)");
  }

  // ---- upcasters on every read path ---------------------------------------------------------

  /** {@code line} v1 gains a field in v2; one stored {@code bulk} v1 event reads as one {@code line} v2 per item. */
  private static final Upcasters UPCASTERS = Upcasters.of(
      Upcaster.transform("line", 1, payload -> payload.put("upcast", true)),
      Upcaster.of("bulk", 1, event -> {
        List<RawEvent> lines = new ArrayList<>();
        event.payload().get("items").forEach(item -> lines.add(new RawEvent("line", 2,
            JsonNodeFactory.instance.objectNode().put("n", item.asText()).put("upcast", true))));
        return lines;
      }));

  /** A store on this test's tables that upcasts, and its projections. */
  private Projections upcastingProjections() {
    JdbcEventStore upcasting = closeLater(JdbcEventStore.open(url(), EventStoreConfig.DEFAULT.withUpcasters(UPCASTERS),
        JdbcConfig.DEFAULT.withTablePrefix(prefix).withMigrateOnOpen(true)));
    return Projections.open(upcasting);
  }

  private static EventData bulk(String... items) {
    var payload = JsonNodeFactory.instance.objectNode();
    payload.putArray("items").addAll(List.of(items).stream().map(JsonNodeFactory.instance::textNode).toList());
    return EventData.json("bulk", 1, payload);
  }

  @Test
  void retries_a_parked_event_upcast_and_a_parked_split_event_as_its_parts() {
    String t = table("upcast_lines");
    execute("CREATE TABLE " + t + " (seq BIGINT NOT NULL, position BIGINT NOT NULL, event_type VARCHAR(20) NOT NULL, "
        + "schema_version INTEGER NOT NULL, upcast VARCHAR(10) NOT NULL, n VARCHAR(20) NOT NULL)");
    AtomicBoolean broken = new AtomicBoolean(true);
    Projection p = Projection.transactional("upcast-lines", TransactionalHandler.eachEvent((h, e) -> {
      if (broken.get() && e.streamId().equals("order-b")) {
        throw new IllegalStateException("not yet");
      }
      insertLine(h, t, e);
    })).withFailurePolicy(FailurePolicy.PARK).withFilter(EventFilter.ofCategories("order"));
    Projections upcasting = upcastingProjections();
    long v1 = store.append("order-b", ExpectedVersion.any(), List.of(EventData.json("line", 1, payload("n", "x"))))
        .lastPosition();
    long split = store.append("order-b", ExpectedVersion.any(), List.of(bulk("a", "b"))).lastPosition();
    long after = store.append("order-c", ExpectedVersion.any(), List.of(bulk("c", "d"))).lastPosition();
    try (ProjectionRunner runner = upcasting.runner(FAST, List.of(p)).start()) {
      upcasting.awaitPosition(p.id(), after, WAIT);
      assertThat(upcasting.parked(p.id())).extracting(ParkedEvent::position).containsExactly(v1, split);

      broken.set(false);
      upcasting.retryParked(p.id(), "order-b");
      upcasting.awaitPosition(p.id(), split, WAIT);
    }

    List<org.assertj.core.groups.Tuple> rows = store.jdbi().withHandle(h -> h.createQuery(
            "SELECT position, event_type, schema_version, upcast, n FROM " + t + " ORDER BY seq")
        .map((rs, ctx) -> tuple(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5))).list());
    assertThat(rows).containsExactly(
            tuple(after, "line", 2, "true", "c"), tuple(after, "line", 2, "true", "d"),
            tuple(v1, "line", 2, "true", "x"),
            tuple(split, "line", 2, "true", "a"), tuple(split, "line", 2, "true", "b"));
  }

  @Test
  void parks_and_retries_the_parts_of_a_split_event_as_one() {
    String t = table("split_parts");
    execute("CREATE TABLE " + t + " (seq BIGINT NOT NULL, position BIGINT NOT NULL, event_type VARCHAR(20) NOT NULL, "
        + "schema_version INTEGER NOT NULL, upcast VARCHAR(10) NOT NULL, n VARCHAR(20) NOT NULL)");
    AtomicBoolean broken = new AtomicBoolean(true);
    Projection p = Projection.transactional("split-parts", TransactionalHandler.eachEvent((h, e) -> {
      if (broken.get() && e.payload().get("n").asText().equals("b")) {
        throw new IllegalStateException("the second part fails");
      }
      insertLine(h, t, e);
    })).withFailurePolicy(FailurePolicy.PARK);
    Projections upcasting = upcastingProjections();
    long split = store.append("order-b", ExpectedVersion.any(), List.of(bulk("a", "b"))).lastPosition();
    long later = store.append("order-b", ExpectedVersion.any(), List.of(bulk("c"))).lastPosition();
    try (ProjectionRunner runner = upcasting.runner(FAST, List.of(p)).start()) {
      assertThatThrownBy(() -> upcasting.awaitPosition(p.id(), later, WAIT)).isInstanceOf(EventParkedException.class);
      assertThat(count("SELECT count(*) FROM " + t)).as("part a is not applied without part b").isZero();

      broken.set(false);
      upcasting.retryParked(p.id(), "order-b");
      upcasting.awaitPosition(p.id(), later, WAIT);
    }

    assertThat(longs("SELECT position FROM " + t + " ORDER BY seq")).containsExactly(split, split, later);
  }

  @Test
  void audits_an_event_as_upcast() {
    Projection p = Projection.transactional("upcast-audit", (h, events) -> {}).withFilter(EventFilter.ofTypes("line"));
    Projections upcasting = upcastingProjections();
    long split = store.append("order-1", ExpectedVersion.any(), List.of(bulk("a", "b"))).lastPosition();
    try (ProjectionRunner runner = upcasting.runner(FAST, List.of(p)).start()) {
      eventually("the checkpoint to pass the split event", () -> upcasting.status(p.id()).checkpoint() >= split);
    }

    assertThat(upcasting.delivery(p.id(), split).state()).as("stored as bulk, read as line").isEqualTo(DeliveryState.APPLIED);
  }

  @Test
  void await_position_waits_for_an_event_whose_handled_type_only_an_upcaster_gives_it() {
    Projection p = Projection.transactional("upcast-wait", (h, events) -> {}).withFilter(EventFilter.ofTypes("line"));
    Projections upcasting = upcastingProjections();
    upcasting.runner(FAST, List.of(p)).start().close(); // registered; no runner runs it now
    long split = store.append("order-1", ExpectedVersion.any(), List.of(bulk("a"))).lastPosition();

    assertThatThrownBy(() -> upcasting.awaitPosition(p.id(), split, java.time.Duration.ofMillis(300)))
        .as("stored as bulk, read as line: pending").isInstanceOf(ProjectionTimeoutException.class);
    try (ProjectionRunner runner = upcasting.runner(FAST, List.of(p)).start()) {
      upcasting.awaitPosition(p.id(), split, WAIT);
    }
    assertThat(upcasting.status(p.id()).checkpoint()).isEqualTo(split);
  }

  private static void insertLine(Handle h, String table, dev.fabula.RecordedEvent e) {
    h.createUpdate("INSERT INTO " + table + " (seq, position, event_type, schema_version, upcast, n) "
            + "SELECT COALESCE(MAX(seq), 0) + 1, :p, :t, :v, :u, :n FROM " + table)
        .bind("p", e.position())
        .bind("t", e.type())
        .bind("v", e.schemaVersion())
        .bind("u", String.valueOf(e.payload().path("upcast").asBoolean(false)))
        .bind("n", e.payload().path("n").asText())
        .execute();
  }

  // ---- live projections ---------------------------------------------------------------------

  @Test
  void a_live_projection_whose_fold_failed_throws_from_state_with_the_cause_instead_of_serving_stale_state() {
    append("order-1", "placed", 2);
    try (LiveProjection<Map<String, Integer>> counts = LiveProjection.start(store, EventFilter.ALL,
        Map.<String, Integer>of(), (state, e) -> {
          if (e.type().equals("poison")) {
            throw new IllegalStateException("cannot fold poison");
          }
          return ProjectionContract.plusOne(state, e);
        }, java.time.Duration.ofMinutes(10))) {
      assertThat(counts.state()).containsEntry("order-1", 2);
      assertThat(counts.failure()).isEmpty();
      AppendResult poison = append("order-1", "poison", 1);

      assertThatThrownBy(() -> counts.awaitPosition(poison.lastPosition(), WAIT))
          .isInstanceOf(ProjectionException.class)
          .hasRootCauseMessage("cannot fold poison");
      assertThatThrownBy(counts::state)
          .isInstanceOf(ProjectionException.class)
          .hasMessageContaining("stopped")
          .hasRootCauseMessage("cannot fold poison");
      assertThat(counts.failure()).get().extracting(Throwable::getMessage).isEqualTo("cannot fold poison");
      assertThatThrownBy(() -> counts.awaitPosition(1, WAIT)).as("even for a position it had folded")
          .isInstanceOf(ProjectionException.class);
    }
  }
}
