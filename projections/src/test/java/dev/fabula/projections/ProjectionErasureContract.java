package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.TableScan;
import dev.fabula.testkit.contract.ErasureContract;
import dev.fabula.testkit.contract.ErasureContract.Registered;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * Erasure seen by the projections' tables: after a tenant erases a stream or a subject, its dead
 * letters and the error a projection stopped with are gone, and a read model with an {@link
 * ErasureHook} has lost its rows; no table of the database holds the erased data but the other
 * tenant's rows, which are unchanged.
 */
abstract class ProjectionErasureContract extends ContractSupport {

  private JdbcEventStore personal() {
    JdbcEventStore s = openAnotherStore(EventStoreConfig.DEFAULT.withEventTypes(ErasureContract.TYPES).withPersonalData(ErasureContract.POLICY));
    projections = Projections.open(s);
    return s;
  }

  private Projection readModel(JdbcEventStore s, String table) {
    s.inTransaction(tx -> tx.unwrap(Handle.class).execute(
        "CREATE TABLE " + table + " (tenant_id TEXT NOT NULL, stream_id TEXT NOT NULL, customer_id TEXT, email TEXT)"));
    return Projection.transactional(table, TransactionalHandler.eachEvent((h, e) -> {
      Registered r = s.types().decode(e, Registered.class);
      h.execute("INSERT INTO " + table + " (tenant_id, stream_id, customer_id, email) VALUES (?, ?, ?, ?)",
          e.metadata().tenantId() == null ? "" : e.metadata().tenantId(), e.streamId(), r.customerId(), r.email());
    })).withErasure((scope, h) -> h.createUpdate("DELETE FROM " + table + " WHERE tenant_id = :t AND "
            + (scope.kind() == Erasure.Kind.STREAM ? "stream_id" : "customer_id") + " = :id")
        .bind("t", scope.tenantKey()).bind("id", scope.target()).execute());
  }

  /** Fails every event of {@code tenant} quoting its payload (decrypted: the personal data). */
  private static Projection failing(String name, String tenant, FailurePolicy policy) {
    return Projection.transactional(name, TransactionalHandler.eachEvent((h, e) -> {
      if (tenant.equals(e.metadata().tenantId()) || policy == FailurePolicy.PARK) {
        throw new IllegalStateException("cannot take " + e.streamId() + ": " + e.payload());
      }
    })).withFailurePolicy(policy);
  }

  private SegmentStatus failedSegment(Projection p) {
    return projections.status(p.id()).segments().stream()
        .filter(seg -> seg.state() == ProjectionState.FAILED).findFirst().orElse(null);
  }

  private void erasesEverything(Erasure.Kind kind) {
    JdbcEventStore s = personal();
    String id = UUID.randomUUID().toString().substring(0, 8);
    String stream = "customer-" + id + "@example.com";
    String subject = "c-" + id;
    String email = "mail-" + id + "@example.com";
    Projection model = readModel(s, "er_model_" + prefix);
    Projection parker = failing("er-parker", "acme", FailurePolicy.PARK);
    Projection stopper = failing("er-stopper", "acme", FailurePolicy.STOP);
    // segmented: the error is kept in the failed segment's row
    Projection segmented = failing("er-segmented", "acme", FailurePolicy.STOP).withSegments(2);
    for (String tenant : List.of("acme", "globex")) {
      s.forTenant(tenant).append(stream, ExpectedVersion.noStream(), List.of(EventData.of(new Registered(subject, email, "Name " + id, "n"))));
    }
    run(FAST, model, parker, stopper, segmented);
    eventually("a dead letter per tenant, a stopped projection, two rows", () ->
        projections.parked(parker.id()).size() == 2
            && projections.status(stopper.id()).state() == ProjectionState.FAILED
            && failedSegment(segmented) != null
            && projections.status(model.id()).checkpoint() >= s.headPosition());
    assertThat(projections.status(stopper.id()).lastError()).contains(email);
    assertThat(failedSegment(segmented).lastError()).contains(email);
    TableScan scan = TableScan.of(url());
    assertThat(scan.find(email)).extracting(TableScan.Hit::table).anyMatch(t -> t.contains("dead_letters"))
        .anyMatch(t -> t.contains("checkpoints")).anyMatch(t -> t.contains("er_model"));
    List<TableScan.Hit> globexBefore = scan.find(stream, email).stream().filter(h -> "globex".equals(h.tenantId())).toList();

    ErasureRecord record = s.forTenant("acme").erase(new Erasure(kind, kind == Erasure.Kind.STREAM ? stream : subject, "ops:test"));

    assertThat(record.counts()).containsEntry("read_models", 1L).containsKey("projections");
    assertThat(record.counts().get("projections")).isGreaterThanOrEqualTo(2L);
    assertThat(projections.status(stopper.id()).lastError()).doesNotContain(email).contains("erased");
    assertThat(failedSegment(segmented).lastError()).doesNotContain(email).contains("erased");
    assertThat(projections.parked(parker.id())).extracting(ParkedEvent::streamId).containsExactly(stream);
    if (kind == Erasure.Kind.STREAM) {
      List<TableScan.Hit> after = scan.find(stream, email);
      assertThat(after).allSatisfy(h -> assertThat(h.tenantId()).as(h.toString()).isEqualTo("globex"));
      assertThat(after).containsExactlyInAnyOrderElementsOf(globexBefore);
    } else {
      // The subject's events stay (their fields sealed under a deleted key), and so does their stream's id.
      assertThat(scan.find(email)).allSatisfy(h -> assertThat(h.tenantId()).as(h.toString()).isEqualTo("globex"));
      assertThat(scan.find(email).stream().map(TableScan.Hit::row).distinct())
          .containsExactlyInAnyOrderElementsOf(globexBefore.stream().map(TableScan.Hit::row).filter(r -> r.contains(email)).distinct().toList());
    }
  }

  @Test
  void erasing_a_stream_erases_its_dead_letters_errors_and_read_model_rows_in_its_tenant_only() {
    erasesEverything(Erasure.Kind.STREAM);
  }

  @Test
  void erasing_a_subject_erases_its_dead_letters_errors_and_read_model_rows_in_its_tenant_only() {
    erasesEverything(Erasure.Kind.SUBJECT);
  }
}
