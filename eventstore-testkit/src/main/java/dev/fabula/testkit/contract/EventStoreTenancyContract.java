package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.TenantAccessException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation, written as an attacker with a tenant account would try it: a view from {@link
 * EventStore#forTenant} has a namespace of its own (streams, event ids, head position), and
 * nothing it reads, writes, is refused or is told differs between another tenant's data and data
 * that does not exist. Run it with a subclass that implements {@link #openStore}, as for {@link
 * EventStoreAppendContract}; aggregates and snapshots per tenant are in {@link
 * AggregateHistoryContract}.
 *
 * <p>The victim, tenant {@code acme}, keeps a stream whose id is personal data; the attacker,
 * tenant {@code globex}, probes it with every public call, and each probe is compared with the
 * same probe on an id that exists nowhere.
 */
public abstract class EventStoreTenancyContract extends StoreContractSupport {

  /** The victim's stream id: personal data, as stream ids often are. */
  protected static final String VICTIM_STREAM = "customer-alice@example.com";
  /** An id that exists in no namespace. */
  protected static final String NOWHERE = "customer-nobody@example.com";
  /** The victim's secret, in its events. */
  private static final String SECRET = "alice-secret";

  private EventStore acme() {
    return store().forTenant("acme");
  }

  private EventStore globex() {
    return store().forTenant("globex");
  }

  private AppendResult victimWrites() {
    return acme().append(VICTIM_STREAM, ExpectedVersion.noStream(), notes(SECRET, SECRET + "-2"));
  }

  // ---- namespaces ---------------------------------------------------------------------------

  @Test
  void two_tenants_and_the_unconfined_store_may_each_own_the_same_stream_id() {
    acme().append("order-1", ExpectedVersion.noStream(), notes("acme-1", "acme-2"));
    globex().append("order-1", ExpectedVersion.noStream(), notes("globex-1"));
    store().append("order-1", ExpectedVersion.noStream(), notes("nobody-1"));

    assertThat(texts(store(), acme().readStream("order-1"))).containsExactly("acme-1", "acme-2");
    assertThat(texts(store(), globex().readStream("order-1"))).containsExactly("globex-1");
    assertThat(texts(store(), store().readStream("order-1"))).containsExactly("nobody-1");
    assertThat(acme().streamInfo("order-1")).contains(new StreamInfo("order-1", 2, "acme", false));
    assertThat(globex().streamInfo("order-1")).contains(new StreamInfo("order-1", 1, "globex", false));
    assertThat(store().streamInfo("order-1")).contains(new StreamInfo("order-1", 1, null, false));
    assertThat(acme().readStream("order-1")).extracting(e -> e.metadata().tenantId()).containsOnly("acme");
  }

  @Test
  void each_namespace_keeps_its_own_versions_and_expectations() {
    acme().append("order-1", ExpectedVersion.noStream(), notes("a1", "a2", "a3"));

    AppendResult globexFirst = globex().append("order-1", ExpectedVersion.noStream(), notes("g1"));
    AppendResult globexSecond = globex().append("order-1", ExpectedVersion.exactly(1), notes("g2"));
    acme().append("order-1", ExpectedVersion.exactly(3), notes("a4"));

    assertThat(globexFirst.firstVersion()).isEqualTo(1);
    assertThat(globexSecond.lastVersion()).isEqualTo(2);
    assertThat(versions(acme().readStream("order-1"))).containsExactly(1L, 2L, 3L, 4L);
    assertThat(versions(globex().readStream("order-1"))).containsExactly(1L, 2L);
  }

  @Test
  void event_ids_are_unique_per_tenant_and_a_collision_tells_nothing() {
    UUID requestId = UUID.randomUUID();
    acme().append(VICTIM_STREAM, ExpectedVersion.noStream(), List.of(note(SECRET).withEventId(requestId)));

    AppendResult globex = globex().append("invoice-7", ExpectedVersion.noStream(), List.of(note("mine").withEventId(requestId)));
    AppendResult retried = globex().append("invoice-7", ExpectedVersion.noStream(), List.of(note("mine").withEventId(requestId)));

    assertThat(globex.streamId()).isEqualTo("invoice-7");
    assertThat(retried).isEqualTo(globex.withReplayed(true));
    assertThat(texts(store(), globex().readStream("invoice-7"))).containsExactly("mine");
    assertThat(texts(store(), acme().readStream(VICTIM_STREAM))).containsExactly(SECRET);
    assertThat(log(store())).extracting(RecordedEvent::eventId).containsExactly(requestId, requestId);
  }

  @Test
  void a_retry_in_one_namespace_returns_the_first_result_and_writes_nothing() {
    List<EventData> events = notes("a", "b");
    AppendResult first = acme().append("order-1", ExpectedVersion.noStream(), events);

    AppendResult again = acme().append("order-1", ExpectedVersion.noStream(), events);

    assertThat(again).isEqualTo(first.withReplayed(true));
    assertThat(log(store())).hasSize(2);
  }

  // ---- no oracle: another tenant's stream looks like no stream ------------------------------

  @Test
  void reading_another_tenants_stream_looks_exactly_like_reading_a_missing_one() {
    victimWrites();

    assertThat(globex().readStream(VICTIM_STREAM)).isEqualTo(globex().readStream(NOWHERE)).isEmpty();
    assertThat(globex().readStream(VICTIM_STREAM, StreamRead.backwards().limit(1))).isEmpty();
    assertThat(globex().streamInfo(VICTIM_STREAM)).isEqualTo(globex().streamInfo(NOWHERE)).isEmpty();
  }

  @Test
  void a_failed_expectation_on_another_tenants_stream_fails_as_on_a_missing_one() {
    victimWrites();
    Snapshot before = snapshot(acme(), VICTIM_STREAM);

    for (ExpectedVersion expected : List.of(ExpectedVersion.exactly(2), ExpectedVersion.streamExists())) {
      Throwable onVictim = failure(() -> globex().append(VICTIM_STREAM, expected, notes("intrusion")));
      Throwable onNothing = failure(() -> globex().append(NOWHERE, expected, notes("intrusion")));
      assertSameFailure(onVictim, onNothing);
      assertThat(onVictim).isInstanceOf(ConcurrencyException.class);
      Throwable deleteVictim = failure(() -> globex().deleteStream(VICTIM_STREAM, expected));
      Throwable deleteNothing = failure(() -> globex().deleteStream(NOWHERE, expected));
      assertSameFailure(deleteVictim, deleteNothing);
    }
    assertUnchanged(before, acme());
  }

  @Test
  void appending_with_no_stream_to_another_tenants_id_creates_the_attackers_own_stream() {
    victimWrites();

    globex().append(VICTIM_STREAM, ExpectedVersion.noStream(), notes("globex-own"));

    assertThat(texts(store(), globex().readStream(VICTIM_STREAM))).containsExactly("globex-own");
    assertThat(texts(store(), acme().readStream(VICTIM_STREAM))).containsExactly(SECRET, SECRET + "-2");
  }

  @Test
  void a_tenant_cannot_squat_ids_of_other_tenants_with_tombstones() {
    globex().deleteStream("order-9", ExpectedVersion.any());
    globex().hardDeleteStream("order-10");

    acme().append("order-9", ExpectedVersion.noStream(), notes("a"));
    acme().append("order-10", ExpectedVersion.noStream(), notes("b"));
    store().append("order-9", ExpectedVersion.noStream(), notes("c"));

    assertThat(texts(store(), acme().readStream("order-9"))).containsExactly("a");
    assertThat(texts(store(), acme().readStream("order-10"))).containsExactly("b");
    assertThat(globex().streamInfo("order-9")).hasValueSatisfying(i -> assertThat(i.deleted()).isTrue());
    assertThatThrownBy(() -> globex().append("order-9", ExpectedVersion.any(), notes("x")))
        .isInstanceOf(StreamDeletedException.class);
  }

  @Test
  void deleting_another_tenants_stream_deletes_only_the_attackers_own_id() {
    victimWrites();

    globex().deleteStream(VICTIM_STREAM, ExpectedVersion.any());
    globex().hardDeleteStream(VICTIM_STREAM);

    assertThat(texts(store(), acme().readStream(VICTIM_STREAM))).containsExactly(SECRET, SECRET + "-2");
    assertThat(acme().streamInfo(VICTIM_STREAM)).contains(new StreamInfo(VICTIM_STREAM, 2, "acme", false));
    assertThat(log(acme())).hasSize(2);
  }

  @Test
  void a_tenants_deletes_stay_in_its_own_namespace() {
    acme().append("order-1", ExpectedVersion.noStream(), notes("acme"));
    globex().append("order-1", ExpectedVersion.noStream(), notes("globex"));
    store().append("order-1", ExpectedVersion.noStream(), notes("nobody"));

    acme().hardDeleteStream("order-1");
    globex().deleteStream("order-1", ExpectedVersion.exactly(1));

    assertThat(texts(store(), log(store()))).containsExactly("globex", "nobody");
    assertThat(texts(store(), store().readStream("order-1"))).containsExactly("nobody");
    assertThatThrownBy(() -> globex().readStream("order-1")).isInstanceOf(StreamDeletedException.class);
    assertThatThrownBy(() -> acme().readStream("order-1")).isInstanceOf(StreamDeletedException.class);
  }

  @Test
  void no_failure_a_tenant_provokes_carries_another_tenants_data() {
    victimWrites();
    UUID victimEventId = log(acme()).get(0).eventId();
    List<Throwable> failures = new java.util.ArrayList<>();
    failures.add(failure(() -> globex().append(VICTIM_STREAM, ExpectedVersion.exactly(5), notes("x"))));
    failures.add(failure(() -> globex().append(VICTIM_STREAM, ExpectedVersion.streamExists(), notes("x"))));
    failures.add(failure(() -> globex().deleteStream(VICTIM_STREAM, ExpectedVersion.exactly(2))));
    failures.add(failure(() -> globex().appendAll(List.of(
        new StreamAppend("mine", ExpectedVersion.any(), notes("x")),
        new StreamAppend(VICTIM_STREAM, ExpectedVersion.exactly(2), notes("x"))))));
    failures.add(failure(() -> globex().inTransaction(tx -> tx.append(VICTIM_STREAM, ExpectedVersion.exactly(2), notes("x")))));
    failures.add(failure(() -> log(globex(), LogQuery.all().tenant("acme"))));
    failures.add(failure(() -> globex().forTenant("acme")));
    failures.add(failure(() -> globex().inTransaction(tx -> tx.forTenant("acme"))));

    for (Throwable f : failures) {
      assertThat(f).isNotNull();
      for (Throwable t = f; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage()))
            .as("the message of %s", t.getClass().getSimpleName())
            .doesNotContain(SECRET)
            .doesNotContain(String.valueOf(victimEventId));
      }
    }
    assertThat(failures.subList(0, 5)).allSatisfy(f -> assertThat(f).isInstanceOf(ConcurrencyException.class));
  }

  // ---- positions and the log ----------------------------------------------------------------

  @Test
  void a_tenants_head_position_moves_only_with_its_own_appends() {
    assertThat(globex().headPosition()).isZero();
    victimWrites();
    assertThat(globex().headPosition()).isZero();

    AppendResult own = globex().append("order-1", ExpectedVersion.noStream(), notes("g"));
    acme().append("order-2", ExpectedVersion.noStream(), notes("a"));
    store().append("order-3", ExpectedVersion.noStream(), notes("n"));

    assertThat(globex().headPosition()).isEqualTo(own.lastPosition());
    assertThat(store().headPosition()).isGreaterThan(own.lastPosition());
    assertThat(acme().headPosition()).isEqualTo(log(acme()).get(2).position());
  }

  @Test
  void a_tenants_log_holds_only_its_own_events_in_log_order() {
    acme().append("cart-1", ExpectedVersion.any(), notes("acme-1"));
    globex().append("cart-2", ExpectedVersion.any(), notes("globex-1"));
    store().append("cart-3", ExpectedVersion.any(), notes("nobody-1"));
    acme().append("cart-1", ExpectedVersion.any(), notes("acme-2"));
    globex().append("cart-1", ExpectedVersion.any(), notes("globex-2"));

    List<RecordedEvent> acme = log(acme());

    assertThat(texts(store(), acme)).containsExactly("acme-1", "acme-2");
    assertThat(positions(acme)).isSorted();
    assertThat(texts(store(), log(acme(), LogQuery.all().tenant("acme")))).containsExactly("acme-1", "acme-2");
    assertThat(texts(store(), log(acme(), LogQuery.after(acme.get(0).position()))))
        .containsExactly("acme-2");
    assertThat(texts(store(), log(globex(), LogQuery.all().limit(1)))).containsExactly("globex-1");
    assertThat(log(store().forTenant("initech"))).isEmpty();
  }

  @Test
  void a_tenant_cannot_ask_the_log_for_another_tenant() {
    victimWrites();

    assertThatThrownBy(() -> log(globex(), LogQuery.all().tenant("acme")))
        .isInstanceOfSatisfying(TenantAccessException.class, e -> {
          assertThat(e.tenantId()).isEqualTo("globex");
          assertThat(e.requestedTenantId()).isEqualTo("acme");
        });
  }

  @Test
  void the_unconfined_log_holds_every_tenants_events_marked_with_their_tenant() {
    acme().append("order-1", ExpectedVersion.any(), notes("acme-1"));
    globex().append("order-1", ExpectedVersion.any(), notes("globex-1"));
    store().append("order-1", ExpectedVersion.any(), notes("nobody-1"));

    List<RecordedEvent> all = log(store());

    assertThat(texts(store(), all)).containsExactly("acme-1", "globex-1", "nobody-1");
    assertThat(all).extracting(e -> e.metadata().tenantId()).containsExactly("acme", "globex", null);
    assertThat(all).extracting(RecordedEvent::streamId).containsOnly("order-1");
    assertThat(texts(store(), log(store(), LogQuery.all().tenant("globex")))).containsExactly("globex-1");
  }

  // ---- metadata and units of work -----------------------------------------------------------

  @Test
  void a_tenant_view_stamps_its_tenant_and_keeps_the_rest_of_the_metadata() {
    Metadata metadata = Metadata.EMPTY.withCorrelationId("c-1").withActor("bob").with("k", "v");

    acme().append("cart-1", ExpectedVersion.any(), List.of(note("a").withMetadata(metadata)));

    assertThat(acme().readStream("cart-1").get(0).metadata()).isEqualTo(metadata.withTenantId("acme"));
  }

  @Test
  void rejects_metadata_that_names_another_tenant_and_writes_nothing() {
    acme().append("cart-1", ExpectedVersion.any(), notes("a"));
    Snapshot before = snapshot(store());
    EventData forged = note("forged").withMetadata(Metadata.EMPTY.withTenantId("globex"));

    assertThatThrownBy(() -> acme().append("cart-2", ExpectedVersion.any(), List.of(forged)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("globex")
        .hasMessageContaining("acme");
    assertThatThrownBy(() -> store().append("cart-2", ExpectedVersion.any(), List.of(forged)))
        .isInstanceOf(InvalidInputException.class);

    assertUnchanged(before, store());
  }

  @Test
  void one_unit_of_work_of_the_unconfined_store_writes_into_several_namespaces() {
    store().inTransaction(tx -> {
      tx.forTenant("acme").appendAll(List.of(
          new StreamAppend("cart-1", ExpectedVersion.noStream(), notes("a")),
          new StreamAppend("cart-2", ExpectedVersion.noStream(), notes("b"))));
      tx.forTenant("globex").append("cart-1", ExpectedVersion.noStream(), notes("c"));
      return tx.append("cart-1", ExpectedVersion.noStream(), notes("d"));
    });

    assertThat(texts(store(), acme().readStream("cart-1"))).containsExactly("a");
    assertThat(texts(store(), acme().readStream("cart-2"))).containsExactly("b");
    assertThat(texts(store(), globex().readStream("cart-1"))).containsExactly("c");
    assertThat(texts(store(), store().readStream("cart-1"))).containsExactly("d");
    assertThat(log(store())).extracting(e -> e.metadata().tenantId()).containsExactly("acme", "acme", "globex", null);
  }

  @Test
  void a_tenant_or_its_unit_of_work_cannot_widen_to_another_tenant() {
    List<RecordedEvent> before = log(store());

    assertThatThrownBy(() -> acme().forTenant("globex")).isInstanceOf(TenantAccessException.class);
    assertThatThrownBy(() -> acme().inTransaction(tx -> tx.forTenant("globex").append("x", ExpectedVersion.any(), notes("x"))))
        .isInstanceOf(TenantAccessException.class);
    acme().inTransaction(tx -> tx.forTenant("acme").append("cart-1", ExpectedVersion.noStream(), notes("b")));

    assertThat(log(store())).hasSize(before.size() + 1);
    assertThat(acme().forTenant("acme").tenantId()).isEqualTo("acme");
    assertThat(store().tenantId()).isNull();
  }

  @Test
  void a_failed_unit_of_work_of_a_tenant_leaves_every_namespace_unchanged() {
    acme().append("order-1", ExpectedVersion.noStream(), notes("a"));
    Snapshot before = snapshot(store());

    assertThatThrownBy(() -> acme().inTransaction(tx -> {
      tx.append("order-2", ExpectedVersion.noStream(), notes("b"));
      return tx.append("order-1", ExpectedVersion.noStream(), notes("c"));
    })).isInstanceOf(ConcurrencyException.class);

    assertUnchanged(before, store());
    assertThat(acme().streamInfo("order-2")).isEmpty();
  }

  @Test
  void closing_a_tenant_view_leaves_the_store_open() {
    EventStore acme = acme();
    acme.append("cart-1", ExpectedVersion.any(), notes("a"));

    acme.close();

    store().append("cart-2", ExpectedVersion.any(), notes("b"));
    assertThat(texts(store(), log(store()))).containsExactly("a", "b");
    assertThat(texts(store(), acme().readStream("cart-1"))).containsExactly("a");
  }

  private static Throwable failure(Runnable attack) {
    try {
      attack.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the attack was expected to fail but succeeded");
  }

  /** The same exception class, and the same message once each stream id is named alike. */
  private static void assertSameFailure(Throwable onVictim, Throwable onNothing) {
    assertThat(onVictim).hasSameClassAs(onNothing);
    assertThat(onVictim.getMessage().replace(VICTIM_STREAM, "<id>"))
        .isEqualTo(onNothing.getMessage().replace(NOWHERE, "<id>"));
  }
}
