package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.internal.MigrationTables;
import dev.fabula.testkit.TableScan;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Erasure seen by the migration toolkit's tables: captured changes of legacy rows holding the
 * erased id (as a string or as a number) and import failures keyed by it or quoting it are deleted
 * by an erasure through the unconfined store; rows of other ids stay; a tenant's erasure leaves
 * these tenant-less tables alone.
 */
abstract class MigrationErasureContract extends MigrationContract {

  @Test
  void the_unconfined_stores_erasure_deletes_captured_changes_and_import_failures_of_the_id() {
    JdbcEventStore store = store();
    String id = UUID.randomUUID().toString().substring(0, 8);
    String key = "cust-" + id;
    String table = legacyTable(store, "customers");
    store.jdbi().useHandle(h -> h.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, ref VARCHAR(40) NOT NULL, email VARCHAR(80))"));
    Capture capture = Capture.open(store);
    capture.install(table);
    store.jdbi().useHandle(h -> {
      h.execute("INSERT INTO " + table + " (id, ref, email) VALUES (1, ?, ?)", key, "mail-" + id + "@example.com");
      h.execute("UPDATE " + table + " SET email = ? WHERE id = 1", "new-" + id + "@example.com");
      h.execute("INSERT INTO " + table + " (id, ref, email) VALUES (2, ?, ?)", key + "1", "other-" + id + "@example.com");
    });
    ComponentDatabase db = ComponentDatabase.open(store, MigrationTables.COMPONENT);
    db.write("recording failures", h -> {
      for (String[] f : new String[][] {{key, "bad email mail-" + id}, {"row-9", "row 9 points at " + key}, {"row-10", "unrelated " + id}}) {
        h.createUpdate(db.sql("import_failure_insert")).bind("name", "customers").bind("row_key", f[0]).bind("kind", "MAPPING")
            .bind("reason", f[1]).execute();
      }
      return null;
    });
    store.append(key, ExpectedVersion.noStream(), List.of(dev.fabula.EventData.json("legacy-customer", 1,
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("ref", key))));
    TableScan scan = TableScan.of(url());
    assertThat(scan.find("mail-" + id)).isNotEmpty();

    ErasureRecord byTenant = store.forTenant("acme").erase(Erasure.stream(key).by("ops:test"));
    assertThat(byTenant.counts()).containsEntry("migration", 0L);
    assertThat(scan.find("mail-" + id)).isNotEmpty();

    ErasureRecord record = store.erase(Erasure.stream(key).by("ops:test"));

    assertThat(record.counts()).containsEntry("events", 1L).containsEntry("migration", 4L);
    // The legacy table itself is the application's, not the library's: left out of the scan.
    assertThat(scan.find("mail-" + id, "new-" + id, key + "\"", "points at " + key)).filteredOn(h -> !h.table().contains(table)).isEmpty();
    assertThat(scan.find("other-" + id, "unrelated " + id)).filteredOn(h -> !h.table().contains(table)).hasSize(2);
  }
}
