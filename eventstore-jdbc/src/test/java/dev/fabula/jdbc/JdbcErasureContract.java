package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.Erasure;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamDeletedException;
import dev.fabula.Transaction;
import dev.fabula.spi.ErasureParticipant;
import dev.fabula.spi.ErasureScope;
import dev.fabula.testkit.contract.ErasureContract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The erasure contract plus what only a JDBC store has: snapshots in a table of their own. */
abstract class JdbcErasureContract extends ErasureContract {

  @Test
  void erasing_a_stream_or_a_subject_deletes_the_snapshots_in_its_tenant_only() {
    JdbcEventStore root = (JdbcEventStore) openFreshStore(c -> c.withEventTypes(TYPES).withPersonalData(POLICY));
    JdbcSnapshotStore snapshots = JdbcSnapshotStore.open(root);
    String id = UUID.randomUUID().toString().substring(0, 8);
    String email = "mail-" + id + "@example.com";
    for (String tenant : List.of("acme", "globex")) {
      EventStore t = root.forTenant(tenant);
      for (String stream : List.of("a-" + id, "b-" + id)) {
        t.append(stream, ExpectedVersion.noStream(), List.of(EventData.of(new Registered("c-" + id, email, "N", "n"))));
        snapshots.save(tenant, new dev.fabula.spi.Snapshot(stream, 1, 1, JsonNodeFactory.instance.objectNode().put("email", email), Instant.now()));
      }
    }

    assertThat(root.forTenant("acme").erase(Erasure.stream("a-" + id).by("ops")).counts()).containsEntry("snapshots", 1L);
    assertThat(root.forTenant("acme").erase(Erasure.subject("c-" + id).by("ops")).counts()).containsEntry("snapshots", 1L);

    assertThat(snapshots.load("acme", "a-" + id)).isEmpty();
    assertThat(snapshots.load("acme", "b-" + id)).isEmpty();
    assertThat(snapshots.load("globex", "a-" + id)).isPresent();
    assertThat(snapshots.load("globex", "b-" + id)).isPresent();
    assertThat(tableScan().find(email)).allSatisfy(h -> assertThat(h.tenantId()).isEqualTo("globex"));
  }

  @Test
  void a_failing_participant_rolls_the_whole_erasure_back_and_another_process_sees_the_tombstone() {
    JdbcEventStore root = (JdbcEventStore) openFreshStore(c -> c.withEventTypes(TYPES).withPersonalData(POLICY));
    String stream = "customer-" + UUID.randomUUID();
    root.append(stream, ExpectedVersion.noStream(), notes("x"));
    ErasureParticipant failing = new ErasureParticipant() {
      @Override
      public String name() {
        return "failing";
      }

      @Override
      public long erase(ErasureScope scope, Transaction tx) {
        throw new IllegalStateException("the search index is down");
      }
    };
    try (JdbcEventStore.Registration r = root.onErase(failing)) {
      assertThatThrownBy(() -> root.erase(Erasure.stream(stream).by("ops"))).hasMessageContaining("search index is down");
    }
    assertThat(root.readStream(stream)).hasSize(1);
    assertThat(root.erasures()).isEmpty();

    root.erase(Erasure.stream(stream).by("ops"));
    try (EventStore other = openStore(EventStoreConfig.DEFAULT.withEventTypes(TYPES), root.jdbcConfig().tablePrefix())) {
      assertThat(other.streamInfo(stream)).hasValueSatisfying(i -> assertThat(i.deleted()).isTrue());
      assertThatThrownBy(() -> other.append(stream, ExpectedVersion.any(), notes("y"))).isInstanceOf(StreamDeletedException.class);
      assertThat(other.erasures()).hasSize(1);
    }
  }
}
