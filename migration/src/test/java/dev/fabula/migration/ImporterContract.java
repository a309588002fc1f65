package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The importer on one backend. */
abstract class ImporterContract extends MigrationContract {

  // snippet: importer
  static Importer readingsImporter(JdbcEventStore store, String table, ImportConfig config) {
    return Importer.open(store,
        ImportSource.query("readings-" + table, "SELECT id, meter, wh, note FROM " + table, "id"),
        row -> MappedRow.of("reading-" + row.get("id"),
            EventData.json("ReadingImported", 1, store.types().mapper().valueToTree(row))),
        config.withBatchSize(100));
  }
  // end snippet

  private static List<RecordedEvent> all(JdbcEventStore store) {
    try (var log = store.readAll(LogQuery.all())) {
      return log.toList();
    }
  }

  @Test
  void imports_every_row_once_and_a_rerun_writes_nothing() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 1_050);

    ImportSummary first = readingsImporter(store, table, ImportConfig.DEFAULT).run();

    assertThat(first.rowsRead()).isEqualTo(1_050);
    assertThat(first.eventsWritten()).isEqualTo(1_050);
    assertThat(first.rowsSkipped()).isZero();
    assertThat(first.failedRows()).isEmpty();
    assertThat(all(store)).hasSize(1_050);
    assertThat(store.readStream("reading-17")).singleElement()
        .satisfies(e -> assertThat(e.payload().get("wh").asLong()).isEqualTo(170));

    ImportSummary rerun = readingsImporter(store, table, ImportConfig.DEFAULT).run();

    assertThat(rerun.pass()).isEqualTo(2);
    assertThat(rerun.rowsRead()).isEqualTo(1_050);
    assertThat(rerun.eventsWritten()).isZero();
    assertThat(rerun.rowsSkipped()).isEqualTo(1_050);
    assertThat(rerun.checksum()).isEqualTo(first.checksum());
    assertThat(all(store)).hasSize(1_050);
  }

  @Test
  void lists_rows_that_fail_to_map_with_the_reason_and_imports_the_rest() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 300);
    Importer importer = Importer.open(store, ImportSource.query("bad-" + table, "SELECT * FROM " + table, "id"),
        row -> {
          if (((Number) row.get("id")).longValue() % 100 == 0) {
            throw new IllegalArgumentException("meter reading " + row.get("id") + " has no unit");
          }
          return MappedRow.of("reading-" + row.get("id"), EventData.json("ReadingImported", 1,
              store.types().mapper().createObjectNode().put("wh", ((Number) row.get("wh")).longValue())));
        }, ImportConfig.DEFAULT.withBatchSize(64));

    ImportSummary summary = importer.run();

    assertThat(summary.rowsRead()).isEqualTo(300);
    assertThat(summary.eventsWritten()).isEqualTo(297);
    assertThat(summary.mappingFailures()).extracting(FailedRow::key).containsExactly("100", "200", "300");
    assertThat(summary.mappingFailures().get(0).reason()).contains("meter reading 100 has no unit");
  }

  @Test
  void reports_a_row_changed_since_it_was_imported_instead_of_duplicating_it() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 200);
    readingsImporter(store, table, ImportConfig.DEFAULT).run();
    store.jdbi().useHandle(h -> h.execute("UPDATE " + table + " SET wh = 1 WHERE id = 42"));

    ImportSummary rerun = readingsImporter(store, table, ImportConfig.DEFAULT).run();

    assertThat(rerun.eventsWritten()).isZero();
    assertThat(rerun.rowsSkipped()).isEqualTo(199);
    assertThat(rerun.changedRows()).singleElement().satisfies(f -> {
      assertThat(f.key()).isEqualTo("42");
      assertThat(f.kind()).isEqualTo(FailedRow.Kind.CHANGED_SINCE_IMPORTED);
    });
    assertThat(store.readStream("reading-42")).hasSize(1);
    assertThat(all(store)).hasSize(200);
  }

  @Test
  void resumes_after_a_crash_from_the_last_checkpoint_without_doubling() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 1_000);
    AtomicInteger mapped = new AtomicInteger();
    Importer crashing = Importer.open(store, ImportSource.query("crash-" + table, "SELECT * FROM " + table, "id"),
        row -> {
          if (mapped.incrementAndGet() == 450) {
            throw new OutOfMemoryError("simulated crash in the middle of a batch");
          }
          return MappedRow.of("reading-" + row.get("id"), EventData.json("ReadingImported", 1,
              store.types().mapper().createObjectNode().put("id", ((Number) row.get("id")).longValue())));
        }, ImportConfig.DEFAULT.withBatchSize(100));
    assertThatThrownBy(crashing::run).isInstanceOf(OutOfMemoryError.class);
    assertThat(all(store)).hasSize(400);
    assertThat(crashing.summary().rowsRead()).isEqualTo(400);

    ImportSummary summary = crashing.run();

    assertThat(summary.rowsRead()).isEqualTo(1_000);
    assertThat(summary.eventsWritten()).isEqualTo(1_000);
    assertThat(all(store)).hasSize(1_000).extracting(RecordedEvent::streamId).doesNotHaveDuplicates();
  }

  @Test
  void imports_from_any_iterable_in_key_order_into_a_tenant() {
    JdbcEventStore store = store();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 1; i <= 250; i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("code", String.format("k%04d", i));
      row.put("value", i);
      rows.add(row);
    }
    List<ImportProgress> progress = new ArrayList<>();
    Importer importer = Importer.open(store, ImportSource.rows("config-" + legacyTable(store, "x"), rows, r -> r.get("code")),
        row -> MappedRow.of("config-" + row.get("code"), EventData.json("ValueSet", 1,
            store.types().mapper().createObjectNode().put("value", (Integer) row.get("value")))),
        ImportConfig.DEFAULT.withBatchSize(100).withTenant("acme").withOnProgress(progress::add));

    ImportSummary summary = importer.run();

    assertThat(summary.eventsWritten()).isEqualTo(250);
    assertThat(progress).extracting(ImportProgress::rowsDone).containsExactly(100L, 200L, 250L);
    assertThat(progress).allSatisfy(p -> assertThat(p.rowsTotal()).isEqualTo(250));
    assertThat(store.forTenant("acme").readStream("config-k0007")).hasSize(1);
    assertThat(store.forTenant("acme").streamInfo("config-k0007")).get().extracting(i -> i.tenantId()).isEqualTo("acme");
    assertThat(store.streamInfo("config-k0007")).as("not in the unconfined store's namespace").isEmpty();
  }

  @Test
  void imports_every_customers_rows_into_their_own_tenant_in_one_pass() {
    JdbcEventStore store = store();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 1; i <= 300; i++) {
      rows.add(Map.of("id", i, "user", "user-" + (i % 3), "meter", "meter-" + (i % 3), "wh", i * 10));
    }
    rows.add(Map.of("id", 301, "user", "user-1", "meter", "meter-0", "wh", 1)); // user-1's own meter-0
    RowMapping mapping = row -> MappedRow.of((String) row.get("meter"), EventData.json("ReadingRecorded", 1,
            store.types().mapper().createObjectNode().put("wh", (Integer) row.get("wh"))))
        .withTenant((String) row.get("user"));
    ImportSource source = ImportSource.rows("readings-" + legacyTable(store, "x"), rows, r -> r.get("id"));

    ImportSummary summary = Importer.open(store, source, mapping, ImportConfig.DEFAULT.withBatchSize(64)).run();

    assertThat(summary.eventsWritten()).isEqualTo(301);
    assertThat(summary.failedRows()).isEmpty();
    for (int u = 0; u < 3; u++) {
      assertThat(store.forTenant("user-" + u).streamInfo("meter-" + u).orElseThrow().tenantId()).isEqualTo("user-" + u);
      assertThat(store.forTenant("user-" + u).readStream("meter-" + u)).hasSize(100);
    }
    assertThat(store.forTenant("user-1").readStream("meter-0")).as("each tenant's namespace is its own").hasSize(1);
    ImportSummary rerun = Importer.open(store, source, mapping, ImportConfig.DEFAULT.withBatchSize(64)).run();
    assertThat(rerun.eventsWritten()).isZero();
    assertThat(rerun.rowsSkipped()).isEqualTo(301);
    assertThat(all(store)).hasSize(301);

    ImportSummary confined = Importer.open(store, ImportSource.rows("other-" + legacyTable(store, "x"), rows.subList(0, 3), r -> r.get("id")),
        mapping, ImportConfig.DEFAULT.withTenant("user-1")).run();
    assertThat(confined.failedRows()).extracting(FailedRow::key).containsExactly("2", "3");
  }

  @Test
  void refuses_an_iterable_out_of_key_order() {
    JdbcEventStore store = store();
    List<Map<String, Object>> rows = List.of(Map.of("id", 2), Map.of("id", 1));
    Importer importer = Importer.open(store, ImportSource.rows("unordered-" + legacyTable(store, "x"), rows, r -> r.get("id")),
        row -> MappedRow.of("x-" + row.get("id"), EventData.json("X", 1, store.types().mapper().createObjectNode())),
        ImportConfig.DEFAULT);
    assertThatThrownBy(importer::run).isInstanceOf(MigrationException.class).hasMessageContaining("ascending key order");
  }

  @Test
  void a_row_the_store_rejects_fails_only_itself_and_a_rerun_fails_it_again_without_doubling() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 300);
    RowMapping mapping = row -> {
      long id = ((Number) row.get("id")).longValue();
      var payload = store.types().mapper().createObjectNode().put("id", id);
      String stream = "reading-" + id;
      if (id == 10) {
        payload.put("photo", "x".repeat(1_100_000)); // over the 1 MiB payload limit
      } else if (id == 70) {
        stream = "s".repeat(300); // over the 256-character stream id limit
      } else if (id == 150) {
        payload.put("note", "nul\u0000inside"); // a NUL character no database stores in text
      }
      return MappedRow.of(stream, EventData.json("ReadingImported", 1, payload));
    };
    ImportSource source = ImportSource.query("rejects-" + table, "SELECT id FROM " + table, "id");

    ImportSummary summary = Importer.open(store, source, mapping, ImportConfig.DEFAULT.withBatchSize(64)).run();

    assertThat(summary.rowsRead()).isEqualTo(300);
    assertThat(summary.eventsWritten()).isEqualTo(297);
    assertThat(summary.rejectedRows()).extracting(FailedRow::key).containsExactlyInAnyOrder("10", "70", "150");
    assertThat(summary.failedRows()).isEqualTo(summary.rejectedRows());
    assertThat(summary.rejectedRows()).allSatisfy(f -> assertThat(f.reason()).startsWith("InvalidInputException: "));
    assertThat(summary.rejectedRows()).filteredOn(f -> f.key().equals("10")).singleElement()
        .satisfies(f -> assertThat(f.reason()).contains("payload", "limit"));
    assertThat(summary.rejectedRows()).filteredOn(f -> f.key().equals("70")).singleElement()
        .satisfies(f -> assertThat(f.reason()).contains("stream id", "256"));
    assertThat(summary.rejectedRows()).filteredOn(f -> f.key().equals("150")).singleElement()
        .satisfies(f -> assertThat(f.reason()).contains("NUL"));
    assertThat(all(store)).hasSize(297).extracting(RecordedEvent::streamId)
        .doesNotContain("reading-10", "reading-150").doesNotHaveDuplicates();

    ImportSummary rerun = Importer.open(store, source, mapping, ImportConfig.DEFAULT.withBatchSize(64)).run();

    assertThat(rerun.pass()).isEqualTo(2);
    assertThat(rerun.eventsWritten()).isZero();
    assertThat(rerun.rowsSkipped()).isEqualTo(297);
    assertThat(rerun.rejectedRows()).extracting(FailedRow::key).containsExactlyInAnyOrder("10", "70", "150");
    assertThat(all(store)).hasSize(297);
  }

  @Test
  void refuses_a_key_column_with_repeated_values_before_importing_anything() {
    JdbcEventStore store = store();
    String audit = legacyTable(store, "audit");
    store.jdbi().useHandle(h -> {
      h.execute("CREATE TABLE " + audit + " (id BIGINT PRIMARY KEY, account VARCHAR(20) NOT NULL, amount BIGINT NOT NULL)");
      for (int i = 1; i <= 10; i++) {
        h.execute("INSERT INTO " + audit + " (id, account, amount) VALUES (?, ?, ?)", i, "acc-" + (i <= 5 ? 1 : i), i);
      }
    });
    RowMapping mapping = row -> MappedRow.of("audit-" + row.get("id"),
        EventData.json("AuditEntry", 1, store.types().mapper().createObjectNode().put("amount", ((Number) row.get("amount")).longValue())));
    Importer byAccount = Importer.open(store,
        ImportSource.query("audit-" + audit, "SELECT id, account, amount FROM " + audit, "account"), mapping,
        ImportConfig.DEFAULT.withBatchSize(3));

    assertThatThrownBy(byAccount::run).isInstanceOf(MigrationException.class)
        .hasMessageContaining("more than one row with key acc-1")
        .hasMessageContaining("column 'account'")
        .hasMessageContaining("unique column");
    assertThat(all(store)).isEmpty();

    ImportSummary byId = Importer.open(store,
        ImportSource.query("audit-by-id-" + audit, "SELECT id, account, amount FROM " + audit, "id"), mapping,
        ImportConfig.DEFAULT.withBatchSize(3)).run();
    assertThat(byId.eventsWritten()).isEqualTo(10);
  }

  @Test
  void refuses_a_key_column_with_nulls_before_importing_anything() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 20);
    Importer byNote = Importer.open(store,
        ImportSource.query("notes-" + table, "SELECT id, note FROM " + table, "note"),
        row -> MappedRow.of("note-" + row.get("id"), EventData.json("Noted", 1, store.types().mapper().createObjectNode())),
        ImportConfig.DEFAULT);

    assertThatThrownBy(byNote::run).isInstanceOf(MigrationException.class)
        .hasMessageContaining("6 row(s) whose key column 'note' is null");
    assertThat(all(store)).isEmpty();
  }
}
