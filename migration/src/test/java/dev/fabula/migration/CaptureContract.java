package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.EventData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Change capture and its runner on one backend. */
abstract class CaptureContract extends MigrationContract {

  /** Everything the database knows about {@code table}: columns, indexes, triggers. */
  protected abstract List<String> schemaOf(JdbcEventStore store, String table);

  /** The backend's column type for binary values ({@code BLOB}, {@code BYTEA}). */
  protected abstract String binaryType();

  @Test
  void removal_leaves_the_legacy_table_exactly_as_it_was() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 10);
    List<String> before = schemaOf(store, table);
    Capture capture = Capture.open(store);

    capture.install(table);
    capture.install(table); // twice: harmless
    assertThat(capture.installed(table)).isTrue();
    assertThat(schemaOf(store, table)).isNotEqualTo(before);
    capture.remove(table);

    assertThat(capture.installed(table)).isFalse();
    assertThat(schemaOf(store, table)).isEqualTo(before);
    store.jdbi().useHandle(h -> h.execute("UPDATE " + table + " SET wh = 0 WHERE id = 1"));
    assertThat(capture.pending(table)).isZero();
  }

  @Test
  void turns_inserts_updates_and_deletes_into_events_in_order_exactly_once() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 3);
    // snippet: capture
    Capture capture = Capture.open(store);
    capture.install(table);
    // ... the old code keeps writing ...
    CaptureRunner runner = CaptureRunner.open(store, table, Readings.changeMapping(store), CaptureConfig.DEFAULT);
    long applied = runner.drain();
    // end snippet
    assertThat(applied).isZero();

    store.jdbi().useHandle(h -> {
      h.execute("INSERT INTO " + table + " (id, meter, wh, note) VALUES (4, 'm4', 40, 'it''s new')");
      h.execute("UPDATE " + table + " SET wh = 41 WHERE id = 4");
      h.execute("UPDATE " + table + " SET note = NULL WHERE id = 1");
      h.execute("DELETE FROM " + table + " WHERE id = 2");
    });
    assertThat(capture.pending(table)).isEqualTo(4);

    assertThat(runner.drain()).isEqualTo(4);
    assertThat(runner.drain()).isZero();

    assertThat(capture.pending(table)).isZero();
    assertThat(store.readStream("reading-4")).extracting(RecordedEvent::type).containsExactly("ReadingInserted", "ReadingUpdated");
    assertThat(store.readStream("reading-4").get(1).payload().get("wh").asLong()).isEqualTo(41);
    assertThat(store.readStream("reading-4").get(0).payload().get("note").asText()).isEqualTo("it's new");
    assertThat(store.readStream("reading-1").get(0).payload().get("note").isNull()).isTrue();
    assertThat(store.readStream("reading-2")).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("ReadingDeleted");
      assertThat(e.payload().get("wh").asLong()).isEqualTo(20);
    });
  }

  @Test
  void a_failing_change_mapping_stops_the_runner_and_keeps_the_change() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 1);
    Capture.open(store).install(table);
    store.jdbi().useHandle(h -> h.execute("UPDATE " + table + " SET wh = 7 WHERE id = 1"));
    CaptureRunner runner = CaptureRunner.open(store, table, change -> {
      throw new IllegalStateException("no mapping for " + change.operation());
    }, CaptureConfig.DEFAULT);

    assertThatThrownBy(runner::drain).isInstanceOf(MigrationException.class).hasMessageContaining("no mapping for UPDATE");
    assertThat(Capture.open(store).pending(table)).isEqualTo(1);
  }

  @Test
  void holds_changes_until_the_backfill_has_finished_so_they_follow_the_imported_row() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 50);
    Capture.open(store).install(table);
    store.jdbi().useHandle(h -> h.execute("UPDATE " + table + " SET wh = 999 WHERE id = 5"));
    String importName = "hold-" + table;
    CaptureRunner runner = CaptureRunner.open(store, table, Readings.changeMapping(store),
        CaptureConfig.DEFAULT.withWaitForImport(importName));
    assertThat(runner.drain()).isZero();

    Importer.open(store, ImportSource.query(importName, "SELECT * FROM " + table, "id"), Readings.importMapping(store),
        ImportConfig.DEFAULT).run();
    assertThat(runner.drain()).isEqualTo(1);

    assertThat(store.readStream("reading-5")).extracting(RecordedEvent::type).containsExactly("ReadingImported", "ReadingUpdated");
    String view = Readings.buildReadModel(store, table);
    assertThat(ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT.withKeyColumns("id"))
        .compare("SELECT * FROM " + table, "SELECT * FROM " + view).passed()).isTrue();
  }

  @Test
  void the_legacy_apps_own_data_types_never_fail_its_writes_and_binary_values_arrive_as_hex_text() {
    JdbcEventStore store = store();
    String table = legacyTable(store, "files");
    store.jdbi().useHandle(h -> h.execute("CREATE TABLE " + table
        + " (id INTEGER PRIMARY KEY, content " + binaryType() + ", ratio REAL, size INTEGER, name TEXT)"));
    Capture.open(store).install(table);

    store.jdbi().useHandle(h -> {
      h.execute("INSERT INTO " + table + " (id, content, ratio, size, name) VALUES (?, ?, ?, ?, ?)",
          1, new byte[] {0, (byte) 0xff, 0x10}, 0.5, 3, null);
      h.execute("UPDATE " + table + " SET content = ?, name = ? WHERE id = 1", new byte[] {1}, "photo.png");
      h.execute("DELETE FROM " + table + " WHERE id = 1");
    });
    List<CapturedChange> changes = new ArrayList<>();
    CaptureRunner runner = CaptureRunner.open(store, table, change -> {
      changes.add(change);
      return MappedRow.of("file-1", EventData.json("File" + change.operation(), 1, store.types().mapper().createObjectNode()));
    }, CaptureConfig.DEFAULT);

    assertThat(runner.drain()).isEqualTo(3);
    assertThat(changes).extracting(CapturedChange::operation).containsExactly(
        CapturedChange.Operation.INSERT, CapturedChange.Operation.UPDATE, CapturedChange.Operation.DELETE);
    Map<String, Object> inserted = changes.get(0).after();
    assertThat(inserted).containsEntry("content", "\\x00ff10").containsEntry("name", null);
    assertThat(((Number) inserted.get("ratio")).doubleValue()).isEqualTo(0.5);
    assertThat(((Number) inserted.get("size")).longValue()).isEqualTo(3);
    assertThat(HexFormat.of().parseHex(((String) inserted.get("content")).substring(2))).containsExactly(0, 0xff, 0x10);
    assertThat(changes.get(1).before()).containsEntry("content", "\\x00ff10");
    assertThat(changes.get(1).after()).containsEntry("content", "\\x01").containsEntry("name", "photo.png");
    assertThat(changes.get(2).before()).containsEntry("content", "\\x01");
  }
}
