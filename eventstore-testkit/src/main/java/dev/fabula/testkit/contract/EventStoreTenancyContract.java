package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.TenantAccessException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The multi-tenancy contract of an {@link EventStore}: a view from {@link EventStore#forTenant}
 * stamps its tenant on what it writes, sees only its own events and cannot touch other tenants'
 * streams. Run it with a subclass that implements {@link #openStore}, as for {@link
 * EventStoreAppendContract}.
 */
public abstract class EventStoreTenancyContract extends StoreContractSupport {

  @Test
  void tenant_store_stamps_its_tenant_on_streams_and_events() {
    EventStore acme = store().forTenant("acme");

    acme.append("cart-1", ExpectedVersion.noStream(), notes("a", "b"));

    assertThat(acme.streamInfo("cart-1")).contains(new StreamInfo("cart-1", 2, "acme", false));
    assertThat(store().streamInfo("cart-1")).contains(new StreamInfo("cart-1", 2, "acme", false));
    assertThat(acme.readStream("cart-1"))
        .extracting(e -> e.metadata().tenantId())
        .containsExactly("acme", "acme");
    assertThat(log(store()))
        .extracting(e -> e.metadata().tenantId())
        .containsExactly("acme", "acme");
  }

  @Test
  void tenant_store_keeps_the_rest_of_the_metadata() {
    Metadata metadata = Metadata.EMPTY.withCorrelationId("c-1").withActor("bob").with("k", "v");

    store()
        .forTenant("acme")
        .append("cart-1", ExpectedVersion.any(), List.of(note("a").withMetadata(metadata)));

    assertThat(store().readStream("cart-1").get(0).metadata())
        .isEqualTo(metadata.withTenantId("acme"));
  }

  @Test
  void tenant_cannot_read_another_tenants_stream() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), notes("secret"));
    EventStore globex = store().forTenant("globex");

    assertTenantDenied(() -> globex.readStream("cart-1"), "cart-1", "globex");
    assertTenantDenied(
        () -> globex.readStream("cart-1", StreamRead.backwards().limit(1)), "cart-1", "globex");
  }

  @Test
  void tenant_cannot_append_to_another_tenants_stream() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), notes("a"));
    EventStore globex = store().forTenant("globex");
    Snapshot before = snapshot(store(), "cart-1");

    assertTenantDenied(
        () -> globex.append("cart-1", ExpectedVersion.any(), notes("intrusion")),
        "cart-1",
        "globex");
    assertTenantDenied(
        () -> globex.append("cart-1", ExpectedVersion.exactly(1), notes("intrusion")),
        "cart-1",
        "globex");
    assertTenantDenied(
        () ->
            globex.appendAll(
                List.of(
                    new StreamAppend("cart-2", ExpectedVersion.any(), notes("own")),
                    new StreamAppend("cart-1", ExpectedVersion.any(), notes("intrusion")))),
        "cart-1",
        "globex");
    assertTenantDenied(
        () ->
            globex.inTransaction(
                tx -> tx.append("cart-1", ExpectedVersion.any(), notes("intrusion"))),
        "cart-1",
        "globex");

    assertUnchanged(before, store());
    assertThat(store().streamInfo("cart-2")).isEmpty();
  }

  @Test
  void tenant_cannot_see_the_stream_info_of_another_tenants_stream() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), notes("a"));

    assertTenantDenied(() -> store().forTenant("globex").streamInfo("cart-1"), "cart-1", "globex");
  }

  @Test
  void tenant_cannot_delete_another_tenants_stream() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), notes("a"));
    EventStore globex = store().forTenant("globex");
    Snapshot before = snapshot(store(), "cart-1");

    assertTenantDenied(
        () -> globex.deleteStream("cart-1", ExpectedVersion.any()), "cart-1", "globex");
    assertTenantDenied(() -> globex.hardDeleteStream("cart-1"), "cart-1", "globex");

    assertUnchanged(before, store());
    assertThat(store().forTenant("acme").readStream("cart-1")).hasSize(1);
  }

  @Test
  void tenant_cannot_touch_a_stream_that_belongs_to_no_tenant() {
    store().append("cart-1", ExpectedVersion.any(), notes("shared"));
    EventStore acme = store().forTenant("acme");
    Snapshot before = snapshot(store(), "cart-1");

    assertTenantDenied(() -> acme.readStream("cart-1"), "cart-1", "acme");
    assertTenantDenied(() -> acme.streamInfo("cart-1"), "cart-1", "acme");
    assertTenantDenied(
        () -> acme.append("cart-1", ExpectedVersion.any(), notes("intrusion")), "cart-1", "acme");
    assertTenantDenied(() -> acme.deleteStream("cart-1", ExpectedVersion.any()), "cart-1", "acme");

    assertUnchanged(before, store());
  }

  @Test
  void tenant_log_read_returns_only_its_own_events() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), notes("acme-1"));
    store().forTenant("globex").append("cart-2", ExpectedVersion.any(), notes("globex-1"));
    store().append("cart-3", ExpectedVersion.any(), notes("nobody-1"));
    store().forTenant("acme").append("cart-4", ExpectedVersion.any(), notes("acme-2"));

    List<RecordedEvent> acme = log(store().forTenant("acme"));

    assertThat(texts(store(), acme)).containsExactly("acme-1", "acme-2");
    assertThat(texts(store(), log(store().forTenant("acme"), LogQuery.all().tenant("acme"))))
        .containsExactly("acme-1", "acme-2");
    assertThat(log(store().forTenant("initech"))).isEmpty();
    assertThat(texts(store(), log(store().forTenant("globex"), LogQuery.all().limit(5))))
        .containsExactly("globex-1");
  }

  @Test
  void tenant_log_read_cannot_ask_for_another_tenant() {
    store().forTenant("globex").append("cart-1", ExpectedVersion.any(), notes("globex-1"));

    assertThatThrownBy(() -> log(store().forTenant("acme"), LogQuery.all().tenant("globex")))
        .isInstanceOf(TenantAccessException.class);
  }

  @Test
  void unconfined_store_sees_every_tenant() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), notes("acme-1"));
    store().forTenant("globex").append("cart-2", ExpectedVersion.any(), notes("globex-1"));
    store().append("cart-3", ExpectedVersion.any(), notes("nobody-1"));

    assertThat(texts(store(), log(store()))).containsExactly("acme-1", "globex-1", "nobody-1");
    assertThat(texts(store(), store().readStream("cart-1"))).containsExactly("acme-1");
    assertThat(store().streamInfo("cart-2").map(StreamInfo::tenantId)).contains("globex");
    assertThat(store().streamInfo("cart-3").map(StreamInfo::tenantId)).isEmpty();
  }

  @Test
  void unconfined_store_appending_to_a_tenants_stream_stamps_the_owner() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), notes("a"));

    store().append("cart-1", ExpectedVersion.exactly(1), notes("b"));

    assertThat(store().forTenant("acme").readStream("cart-1"))
        .extracting(e -> e.metadata().tenantId())
        .containsExactly("acme", "acme");
    assertThat(texts(store(), log(store().forTenant("acme")))).containsExactly("a", "b");
  }

  @Test
  void tenants_may_delete_their_own_streams() {
    EventStore acme = store().forTenant("acme");
    acme.append("cart-1", ExpectedVersion.any(), notes("a"));
    acme.append("cart-2", ExpectedVersion.any(), notes("b"));

    acme.deleteStream("cart-1", ExpectedVersion.exactly(1));
    acme.hardDeleteStream("cart-2");

    assertThat(acme.streamInfo("cart-1")).contains(new StreamInfo("cart-1", 1, "acme", true));
    assertThat(acme.streamInfo("cart-2")).hasValueSatisfying(i -> assertThat(i.deleted()).isTrue());
    assertThat(texts(store(), log(acme))).containsExactly("a");
  }

  @Test
  void rejects_metadata_that_names_another_tenant() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), notes("a"));
    Snapshot before = snapshot(store(), "cart-1", "cart-2");
    EventData forged = note("forged").withMetadata(Metadata.EMPTY.withTenantId("globex"));

    assertThatThrownBy(
            () ->
                store().forTenant("acme").append("cart-2", ExpectedVersion.any(), List.of(forged)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("globex")
        .hasMessageContaining("acme");
    assertThatThrownBy(
            () ->
                store().forTenant("acme").append("cart-1", ExpectedVersion.any(), List.of(forged)))
        .isInstanceOf(InvalidInputException.class);

    assertUnchanged(before, store());
  }

  @Test
  void accepts_metadata_that_names_the_stores_own_tenant() {
    EventData event = note("a").withMetadata(Metadata.EMPTY.withTenantId("acme"));

    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), List.of(event));

    assertThat(store().readStream("cart-1").get(0).metadata().tenantId()).isEqualTo("acme");
  }

  @Test
  void tenant_unit_of_work_stamps_its_tenant() {
    store()
        .forTenant("acme")
        .inTransaction(
            tx ->
                tx.appendAll(
                    List.of(
                        new StreamAppend("cart-1", ExpectedVersion.noStream(), notes("a")),
                        new StreamAppend("cart-2", ExpectedVersion.noStream(), notes("b")))));

    assertThat(store().streamInfo("cart-1").map(StreamInfo::tenantId)).contains("acme");
    assertThat(store().streamInfo("cart-2").map(StreamInfo::tenantId)).contains("acme");
    assertThat(log(store())).extracting(e -> e.metadata().tenantId()).containsOnly("acme");
  }

  @Test
  void one_unit_of_work_of_the_unconfined_store_writes_for_several_tenants() {
    store().inTransaction(tx -> {
      tx.forTenant("acme").appendAll(List.of(
          new StreamAppend("cart-1", ExpectedVersion.noStream(), notes("a")),
          new StreamAppend("cart-2", ExpectedVersion.noStream(), notes("b"))));
      tx.forTenant("globex").append("cart-3", ExpectedVersion.noStream(), notes("c"));
      return tx.append("cart-4", ExpectedVersion.noStream(), notes("d"));
    });

    assertThat(store().streamInfo("cart-1").map(StreamInfo::tenantId)).contains("acme");
    assertThat(store().streamInfo("cart-2").map(StreamInfo::tenantId)).contains("acme");
    assertThat(store().streamInfo("cart-3").map(StreamInfo::tenantId)).contains("globex");
    assertThat(store().streamInfo("cart-4").map(StreamInfo::tenantId)).isEmpty();
    assertThat(log(store().forTenant("acme"))).hasSize(2);
  }

  @Test
  void a_tenants_unit_of_work_cannot_widen_to_another_tenant() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.noStream(), notes("a"));
    List<RecordedEvent> before = log(store());

    assertTenantDenied(
        () -> store().inTransaction(tx -> tx.forTenant("globex").append("cart-1", ExpectedVersion.any(), notes("x"))),
        "cart-1",
        "globex");
    assertThatThrownBy(() -> store().forTenant("acme").inTransaction(tx -> tx.forTenant("globex")))
        .isInstanceOf(TenantAccessException.class);
    store().forTenant("acme").inTransaction(tx -> tx.forTenant("acme").append("cart-1", ExpectedVersion.exactly(1), notes("b")));

    assertThat(log(store())).hasSize(before.size() + 1);
  }

  @Test
  void tenant_views_of_one_store_share_its_data() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), notes("a"));

    assertThat(texts(store(), store().forTenant("acme").readStream("cart-1"))).containsExactly("a");
    assertThat(store().forTenant("acme").headPosition()).isEqualTo(store().headPosition());
  }

  @Test
  void closing_a_tenant_view_leaves_the_store_open() {
    EventStore acme = store().forTenant("acme");
    acme.append("cart-1", ExpectedVersion.any(), notes("a"));

    acme.close();

    store().append("cart-2", ExpectedVersion.any(), notes("b"));
    assertThat(texts(store(), log(store()))).containsExactly("a", "b");
    assertThat(texts(store(), store().forTenant("acme").readStream("cart-1"))).containsExactly("a");
  }

  private static void assertTenantDenied(ThrowingCallable call, String streamId, String tenantId) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            TenantAccessException.class,
            e -> {
              assertThat(e.streamId()).isEqualTo(streamId);
              assertThat(e.tenantId()).isEqualTo(tenantId);
            });
  }
}
