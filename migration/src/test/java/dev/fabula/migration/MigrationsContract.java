package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.jdbc.JdbcEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The toolkit's state read from any process ({@link Migrations}), on one backend. */
abstract class MigrationsContract extends MigrationContract {

  private static Importer failingEveryTenth(JdbcEventStore store, String table) {
    return Importer.open(store, ImportSource.query("tenths-" + table, "SELECT * FROM " + table, "id"), row -> {
      long id = ((Number) row.get("id")).longValue();
      if (id % 10 == 0) {
        throw new IllegalArgumentException("reading " + id + " has no unit");
      }
      return MappedRow.of("reading-" + id, EventData.json("ReadingImported", 1,
          store.types().mapper().createObjectNode().put("wh", ((Number) row.get("wh")).longValue())));
    }, ImportConfig.DEFAULT.withBatchSize(16));
  }

  @Test
  void lists_every_imports_progress_as_its_checkpoint_says() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 95);
    Migrations migrations = Migrations.open(store);
    assertThat(migrations.imports()).isEmpty();

    failingEveryTenth(store, table).run();

    assertThat(migrations.imports()).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("tenths-" + table);
      assertThat(s.pass()).isEqualTo(1);
      assertThat(s.rowsRead()).isEqualTo(95);
      assertThat(s.eventsWritten()).isEqualTo(86);
      assertThat(s.rowsFailed()).isEqualTo(9);
      assertThat(s.failedRowsListed()).isEqualTo(9);
      assertThat(s.finished()).isTrue();
      assertThat(s.updatedAt()).isAfterOrEqualTo(s.startedAt());
    });
  }

  @Test
  void pages_an_imports_failed_rows_in_key_order_with_a_keyset_cursor() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 95);
    failingEveryTenth(store, table).run();
    Migrations migrations = Migrations.open(store);

    List<FailedRow> all = new ArrayList<>();
    FailedRow after = null;
    List<FailedRow> page;
    do {
      page = migrations.failedRows("tenths-" + table, after, 4);
      assertThat(page.size()).isLessThanOrEqualTo(4);
      all.addAll(page);
      after = page.isEmpty() ? after : page.get(page.size() - 1);
    } while (page.size() == 4);

    // keys are text: "10" < "20" < … < "90"
    assertThat(all).extracting(FailedRow::key).containsExactly("10", "20", "30", "40", "50", "60", "70", "80", "90");
    assertThat(all).allSatisfy(f -> assertThat(f.kind()).isEqualTo(FailedRow.Kind.MAPPING_FAILED));
    assertThat(all.get(0).reason()).contains("reading 10 has no unit");
    assertThat(migrations.failedRows("no-such-import", null, 10)).isEmpty();
    assertThatThrownBy(() -> migrations.failedRows("tenths-" + table, null, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 1000");
  }

  @Test
  void counts_the_captured_changes_waiting_per_table_and_lists_the_read_switches() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 3);
    Migrations migrations = Migrations.open(store);
    Capture.open(store).install(table);
    assertThat(migrations.pendingChanges()).isEmpty();

    store.jdbi().useHandle(h -> h.execute("UPDATE " + table + " SET wh = wh + 1"));

    assertThat(migrations.pendingChanges()).isEqualTo(Map.of(table, 3L));
    assertThat(migrations.readSwitches()).isEmpty();
    ReadSwitch.open(store, "readings", Duration.ZERO).set(ReadTarget.READ_MODEL);
    assertThat(migrations.readSwitches()).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("readings");
      assertThat(s.target()).isEqualTo(ReadTarget.READ_MODEL);
    });
  }
}
