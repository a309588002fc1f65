package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.Capture;
import dev.fabula.migration.CaptureConfig;
import dev.fabula.migration.CaptureRunner;
import dev.fabula.migration.ChangeMapping;
import dev.fabula.migration.FailedRow;
import dev.fabula.migration.ImportConfig;
import dev.fabula.migration.ImportSource;
import dev.fabula.migration.ImportStatus;
import dev.fabula.migration.ImportSummary;
import dev.fabula.migration.Importer;
import dev.fabula.migration.MappedRow;
import dev.fabula.migration.Migrations;
import dev.fabula.migration.ParityCheck;
import dev.fabula.migration.ParityConfig;
import dev.fabula.migration.ParityReport;
import dev.fabula.migration.ReadSwitch;
import dev.fabula.migration.ReadTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/migration.md, run on a SQLite file that also holds the legacy table. */
class MigrationGuideTest {

  // snippet:importer
  static Importer readingsImporter(JdbcEventStore store, String table, ImportConfig config) {
    return Importer.open(store,
        ImportSource.query("readings-" + table, "SELECT id, meter, wh, note FROM " + table, "id"),
        row -> MappedRow.of("reading-" + row.get("id"),
            EventData.json("ReadingImported", 1, store.types().mapper().valueToTree(row))),
        config.withBatchSize(100));
  }
  // ImportSummary summary = readingsImporter(store, table, ImportConfig.DEFAULT).run();
  // end

  /** The mappings of the guide's readings example. */
  static final class Readings {
    // snippet:change-mapping
    static ChangeMapping changeMapping(JdbcEventStore store) {
      return change -> {
        String type = switch (change.operation()) {
          case INSERT -> "ReadingInserted";
          case UPDATE -> "ReadingUpdated";
          case DELETE -> "ReadingDeleted";
        };
        return MappedRow.of("reading-" + change.row().get("id"),
            EventData.json(type, 1, store.types().mapper().valueToTree(change.row())));
      };
    }
    // end
  }

  @TempDir Path dir;
  JdbcEventStore store;
  final String table = "electricity_readings";

  @BeforeEach
  void open() {
    store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING);
    sql("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, meter VARCHAR(40) NOT NULL, wh BIGINT NOT NULL, note VARCHAR(200))");
    for (int i = 1; i <= 250; i++) {
      sql("INSERT INTO " + table + " (id, meter, wh, note) VALUES (" + i + ", 'm" + (i % 7) + "', " + i * 10 + ", "
          + (i % 3 == 0 ? "NULL" : "'n" + i + "'") + ")");
    }
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void backfills_every_row_once_and_a_rerun_writes_nothing() {
    ImportSummary summary = readingsImporter(store, table, ImportConfig.DEFAULT).run();

    assertThat(summary.rowsRead()).isEqualTo(250);
    assertThat(summary.eventsWritten()).isEqualTo(250);
    assertThat(summary.failedRows()).isEmpty();
    assertThat(store.readStream("reading-17")).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("ReadingImported");
      assertThat(e.payload().get("wh").asLong()).isEqualTo(170);
    });

    ImportSummary rerun = readingsImporter(store, table, ImportConfig.DEFAULT).run();

    assertThat(rerun.pass()).isEqualTo(2);
    assertThat(rerun.eventsWritten()).isZero();
    assertThat(rerun.rowsSkipped()).isEqualTo(250);
    assertThat(rerun.checksum()).isEqualTo(summary.checksum());
    assertThat(store.headPosition()).isEqualTo(250);
  }

  @Test
  void captures_inserts_updates_and_deletes_and_applies_them_exactly_once() {
    // snippet:capture
    Capture capture = Capture.open(store);
    capture.install(table);
    // ... the old code keeps writing ...
    CaptureRunner runner = CaptureRunner.open(store, table, Readings.changeMapping(store), CaptureConfig.DEFAULT);
    long applied = runner.drain();
    // end
    assertThat(applied).isZero();

    sql("INSERT INTO " + table + " (id, meter, wh, note) VALUES (251, 'm1', 2510, NULL)");
    sql("UPDATE " + table + " SET wh = 2511 WHERE id = 251");
    sql("DELETE FROM " + table + " WHERE id = 2");
    assertThat(capture.pending(table)).isEqualTo(3);

    assertThat(runner.drain()).isEqualTo(3);
    assertThat(runner.drain()).isZero();
    assertThat(store.readStream("reading-251")).extracting(RecordedEvent::type)
        .containsExactly("ReadingInserted", "ReadingUpdated");
    assertThat(store.readStream("reading-251").get(1).payload().get("wh").asLong()).isEqualTo(2511);
    assertThat(store.readStream("reading-2")).singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo("ReadingDeleted"));

    capture.remove(table);
    assertThat(capture.installed(table)).isFalse();
    sql("UPDATE " + table + " SET wh = 0 WHERE id = 1");
    assertThat(capture.pending(table)).isZero();
  }

  @Test
  void captured_changes_wait_for_the_backfill_and_follow_its_events() {
    Capture.open(store).install(table); // capture first
    sql("UPDATE " + table + " SET wh = 99 WHERE id = 1");
    CaptureRunner runner = CaptureRunner.open(store, table, Readings.changeMapping(store),
        CaptureConfig.DEFAULT.withWaitForImport("readings-" + table));

    assertThat(runner.drain()).as("held until the import has finished once").isZero();
    readingsImporter(store, table, ImportConfig.DEFAULT).run();
    assertThat(runner.drain()).isEqualTo(1);

    assertThat(store.readStream("reading-1")).extracting(RecordedEvent::type)
        .containsExactly("ReadingImported", "ReadingUpdated");
    assertThat(store.readStream("reading-1").get(1).payload().get("wh").asLong()).isEqualTo(99);
  }

  @Test
  void parity_passes_on_equal_tables_and_names_what_differs() {
    String view = table + "_view";
    sql("CREATE TABLE " + view + " (id BIGINT PRIMARY KEY, meter VARCHAR(40) NOT NULL, wh NUMERIC(14, 2) NOT NULL, note VARCHAR(200))");
    sql("INSERT INTO " + view + " SELECT id, meter, wh, note FROM " + table);
    // snippet:parity
    ParityReport report = ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT
            .withKeyColumns("id").withSumColumns("wh").withTolerance(0.001))
        .compare("SELECT id, meter, wh, note FROM " + table, "SELECT id, meter, wh, note FROM " + view);
    assertThat(report.passed()).as(report.describe()).isTrue();
    // end
    assertThat(report.legacyRows()).isEqualTo(250);

    sql("UPDATE " + view + " SET meter = 'changed' WHERE id = 50");
    sql("DELETE FROM " + view + " WHERE id = 51");
    ParityReport differs = ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT.withKeyColumns("id").withSumColumns("wh"))
        .compare("SELECT id, meter, wh, note FROM " + table, "SELECT id, meter, wh, note FROM " + view);
    assertThat(differs.passed()).isFalse();
    assertThat(differs.missing()).isEqualTo(1);
    assertThat(differs.different()).isEqualTo(1);
  }

  @Test
  void the_toolkits_state_reads_from_any_process() {
    readingsImporter(store, table, ImportConfig.DEFAULT).run();
    Capture.open(store).install(table);
    sql("UPDATE " + table + " SET wh = wh + 1 WHERE id = 7");
    List<String> lines = new java.util.ArrayList<>();
    // snippet:status
    Migrations migrations = Migrations.open(store);
    for (ImportStatus s : migrations.imports()) {
      lines.add(s.name() + ": " + s.rowsRead() + " rows read, " + s.failedRowsListed() + " failed"
          + (s.finished() ? ", finished" : ""));
    }
    List<FailedRow> page = migrations.failedRows("readings-" + table, null, 50); // next page: pass its last row
    Map<String, Long> waiting = migrations.pendingChanges();  // captured changes per legacy table
    // end
    assertThat(lines).containsExactly("readings-" + table + ": 250 rows read, 0 failed, finished");
    assertThat(page).isEmpty();
    assertThat(waiting).containsEntry(table, 1L);
  }

  @Test
  void the_read_switch_routes_reads_and_flips_back() {
    // snippet:read-switch
    ReadSwitch readings = ReadSwitch.open(store, "readings", Duration.ofMillis(200));
    String answer = readings.read(() -> "from the legacy table", () -> "from the read model");
    // end
    assertThat(answer).as("an unset switch means LEGACY").isEqualTo("from the legacy table");
    ReadSwitch otherProcess = ReadSwitch.open(store, "readings", Duration.ZERO); // no cache: sees each flip at once

    readings.set(ReadTarget.READ_MODEL);
    assertThat(readings.read(() -> "legacy", () -> "read model")).isEqualTo("read model");
    assertThat(otherProcess.target()).isEqualTo(ReadTarget.READ_MODEL);

    otherProcess.set(ReadTarget.LEGACY); // the way back
    assertThat(ReadSwitch.open(store, "readings", Duration.ofMillis(200)).target()).isEqualTo(ReadTarget.LEGACY);
  }

  private void sql(String statement) {
    store.jdbi().useHandle(h -> h.execute(statement));
  }
}
