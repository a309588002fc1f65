package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.projections.internal.ProjectionSql;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * Projections over tenant namespaces: acme's {@code order-1} and globex's {@code order-1} are two
 * streams, so a cross-tenant projection parks, holds back and retries them apart; a handler gets
 * each event's tenant; an inline projection in a tenant's unit of work sees only that tenant's
 * events; and a tenant view cannot reach the projections' API (dead letters, retries) at all.
 * Written as the event store's tenancy contract is: the victim is {@code acme}, the attacker
 * {@code globex}.
 */
abstract class ProjectionTenancyContract extends ContractSupport {
  private static final String SECRET = "alice-secret";

  private EventStore acme() {
    return store.forTenant("acme");
  }

  private EventStore globex() {
    return store.forTenant("globex");
  }

  private static long append(EventStore view, String stream, String type, String note) {
    return view.append(stream, ExpectedVersion.any(), List.of(EventData.json(type, 1, payload("note", note))))
        .lastPosition();
  }

  /** A table of applied events with their tenant: (seq, position, tenant, stream, note). */
  private String createTenantTable(String name) {
    String t = table(name);
    execute("CREATE TABLE " + t + " (seq BIGINT NOT NULL, position BIGINT NOT NULL, tenant_id VARCHAR(50), "
        + "stream_id VARCHAR(100) NOT NULL, note VARCHAR(100) NOT NULL)");
    return t;
  }

  private static void insert(Handle h, String table, RecordedEvent e) {
    h.createUpdate("INSERT INTO " + table + " (seq, position, tenant_id, stream_id, note) "
            + "SELECT COALESCE(MAX(seq), 0) + 1, :p, :tenant, :s, :n FROM " + table)
        .bind("p", e.position())
        .bind("tenant", e.metadata().tenantId())
        .bind("s", e.streamId())
        .bind("n", e.payload().path("note").asText())
        .execute();
  }

  /** A cross-tenant projection whose handler fails, while {@code broken}, on events of {@code tenant}'s order-1. */
  private Projection failingFor(String name, String table, AtomicBoolean broken, String... tenants) {
    List<String> failing = java.util.Arrays.asList(tenants); // contains(null) is false, not an error
    return Projection.transactional(name, TransactionalHandler.eachEvent((h, e) -> {
      if (broken.get() && failing.contains(e.metadata().tenantId()) && e.streamId().equals("order-1")) {
        throw new IllegalStateException("cannot apply " + e.metadata().tenantId() + "'s order");
      }
      insert(h, table, e);
    })).withFailurePolicy(FailurePolicy.PARK);
  }

  @Test
  void a_parked_event_of_one_tenants_stream_does_not_hold_back_another_tenants_stream_of_the_same_id() {
    String t = createTenantTable("parked_by_tenant");
    Projection p = failingFor("parked-by-tenant", t, new AtomicBoolean(true), "acme");
    run(FAST, p);
    long acmeFirst = append(acme(), "order-1", "placed", SECRET);
    long globexFirst = append(globex(), "order-1", "placed", "g1");
    long acmeSecond = append(acme(), "order-1", "shipped", SECRET);
    long globexSecond = append(globex(), "order-1", "shipped", "g2");

    projections.awaitPosition(p.id(), globexSecond, WAIT);
    assertThat(longs("SELECT position FROM " + t + " ORDER BY seq")).containsExactly(globexFirst, globexSecond);
    assertThat(projections.parked(p.id()))
        .extracting(ParkedEvent::position, ParkedEvent::tenantId, ParkedEvent::streamId, ParkedEvent::blockedBy)
        .containsExactly(tuple(acmeFirst, "acme", "order-1", null), tuple(acmeSecond, "acme", "order-1", acmeFirst));
    assertThatThrownBy(() -> projections.awaitPosition(p.id(), acmeSecond, WAIT))
        .isInstanceOf(EventParkedException.class)
        .hasMessageContaining("of tenant 'acme'")
        .hasMessageContaining("retryParked(" + p.id() + ", \"acme\", \"order-1\")")
        .hasMessageNotContaining("globex");
  }

  @Test
  void a_retry_by_stream_retries_only_the_named_tenants_stream() {
    String t = createTenantTable("retry_by_tenant");
    AtomicBoolean broken = new AtomicBoolean(true);
    Projection p = failingFor("retry-by-tenant", t, broken, "acme", "globex");
    run(FAST, p);
    long acmeOrder = append(acme(), "order-1", "placed", SECRET);
    long globexOrder = append(globex(), "order-1", "placed", "g1");
    long unconfinedOrder = append(store, "order-1", "placed", "u1");
    projections.awaitPosition(p.id(), unconfinedOrder, WAIT);
    assertThat(projections.parked(p.id())).extracting(ParkedEvent::tenantId).containsExactly("acme", "globex");

    broken.set(false);
    assertThat(projections.retryParked(p.id(), "order-1")).as("order-1 of no tenant has nothing parked").isZero();
    assertThat(projections.retryParked(p.id(), "initech", "order-1")).as("nor has initech's").isZero();
    assertThat(projections.retryParked(p.id(), "globex", "order-1")).isEqualTo(1);
    projections.awaitPosition(p.id(), globexOrder, WAIT);

    assertThat(longs("SELECT position FROM " + t + " ORDER BY seq")).containsExactly(unconfinedOrder, globexOrder);
    assertThat(projections.parked(p.id()))
        .extracting(ParkedEvent::position, ParkedEvent::tenantId, ParkedEvent::status)
        .containsExactly(tuple(acmeOrder, "acme", ParkedEvent.Status.PARKED));
    assertThatThrownBy(() -> projections.retryParked(p.id(), "", "order-1"))
        .isInstanceOf(ProjectionException.class)
        .hasMessageContaining("pass null");
  }

  @Test
  void a_handler_gets_each_events_tenant() {
    String t = createTenantTable("tenants_seen");
    Projection p = Projection.transactional("tenants-seen", TransactionalHandler.eachEvent((h, e) -> insert(h, t, e)));
    run(FAST, p);
    append(acme(), "order-1", "placed", "a");
    append(globex(), "order-1", "placed", "g");
    long last = append(store, "order-1", "placed", "u");
    projections.awaitPosition(p.id(), last, WAIT);

    List<org.assertj.core.groups.Tuple> rows = store.jdbi().withHandle(h -> h.createQuery(
            "SELECT tenant_id, stream_id, note FROM " + t + " ORDER BY seq")
        .map((rs, ctx) -> tuple(rs.getString(1), rs.getString(2), rs.getString(3))).list());
    assertThat(rows).containsExactly(tuple("acme", "order-1", "a"), tuple("globex", "order-1", "g"),
        tuple(null, "order-1", "u"));
  }

  @Test
  void an_inline_projection_in_a_tenants_unit_of_work_sees_only_that_tenants_events() {
    String t = createTenantTable("inline_tenant");
    Projection p = Projection.transactional("inline-tenant", TransactionalHandler.eachEvent((h, e) -> insert(h, t, e)));
    InlineProjections inline = InlineProjections.open(store, List.of(p));
    append(acme(), "order-1", "placed", SECRET); // the victim's order-1, versions 1..2
    append(acme(), "order-1", "paid", SECRET);

    AppendResult r = store.inTransaction(tx -> inline.append(tx.forTenant("globex"), "order-1", ExpectedVersion.noStream(),
        List.of(EventData.json("placed", 1, payload("note", "g1")), EventData.json("paid", 1, payload("note", "g2")))));

    assertThat(r.firstVersion()).isEqualTo(1);
    List<org.assertj.core.groups.Tuple> rows = store.jdbi().withHandle(h -> h.createQuery(
            "SELECT tenant_id, note FROM " + t + " ORDER BY seq")
        .map((rs, ctx) -> tuple(rs.getString(1), rs.getString(2))).list());
    assertThat(rows).containsExactly(tuple("globex", "g1"), tuple("globex", "g2"));
  }

  @Test
  void a_live_projection_over_a_tenant_view_folds_only_that_tenants_events() {
    append(acme(), "order-1", "placed", SECRET);
    try (LiveProjection<List<String>> notes = LiveProjection.start(globex(), EventFilter.ALL, List.of(),
        (state, e) -> java.util.stream.Stream.concat(state.stream(),
            java.util.stream.Stream.of(e.metadata().tenantId() + "/" + e.payload().path("note").asText())).toList(),
        java.time.Duration.ofMinutes(10))) {
      append(acme(), "order-1", "paid", SECRET);
      long last = append(globex(), "order-1", "placed", "g1");
      notes.awaitPosition(last, WAIT);

      assertThat(notes.state()).containsExactly("globex/g1");
    }
  }

  @Test
  void upgrading_from_schema_2_gives_each_parked_event_the_tenant_of_its_event() {
    JdbcEventStore old = closeLater(JdbcEventStore.open(url(), dev.fabula.EventStoreConfig.DEFAULT,
        dev.fabula.jdbc.JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix + "up_")));
    ComponentDatabase.open(old, new Component("projections", ProjectionSql.class, "dev/fabula/projections",
        ProjectionSql.COMPONENT.migrations().subList(0, 2))); // the tables as release 2 left them
    long acmeParked = old.forTenant("acme").append("order-1", ExpectedVersion.any(),
        List.of(EventData.json("placed", 1, payload("note", SECRET)))).lastPosition();
    long unconfinedParked = old.append("order-1", ExpectedVersion.any(),
        List.of(EventData.json("placed", 1, payload("note", "u")))).lastPosition();
    old.jdbi().useHandle(h -> {
      h.execute("INSERT INTO " + prefix + "up_projection_checkpoints (name, version, updated_at_ms) VALUES ('old', 1, 0)");
      for (long position : List.of(acmeParked, unconfinedParked)) {
        h.execute("INSERT INTO " + prefix + "up_projection_dead_letters (name, version, position, stream_id, "
            + "stream_version, event_type, status, reason, attempts, parked_at_ms, updated_at_ms) "
            + "VALUES ('old', 1, ?, 'order-1', 1, 'placed', 'PARKED', 'boom', 3, 0, 0)", position);
      }
    });

    Projections upgraded = Projections.open(old);

    assertThat(upgraded.parked(ProjectionId.of("old", 1)))
        .extracting(ParkedEvent::position, ParkedEvent::tenantId)
        .containsExactly(tuple(acmeParked, "acme"), tuple(unconfinedParked, null));
    assertThat(upgraded.retryParked(ProjectionId.of("old", 1), "acme", "order-1")).isEqualTo(1);
  }

  @Test
  void a_tenant_view_cannot_reach_the_projections_api() {
    // Projections.open and InlineProjections.open take a JdbcEventStore; a tenant view is none, so
    // no tenant can list, retry or dismiss parked events, or steer a runner.
    assertThat(acme()).isNotInstanceOf(JdbcEventStore.class);
    assertThat(store.forTenant("acme").tenantId()).isEqualTo("acme");
  }
}
