package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.spi.ReadOnly;
import dev.fabula.testkit.contract.StoreContractSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Read-only work really cannot write, and leaves its connection writable afterwards. */
abstract class ReadOnlyContract {

  /** Opens a store of the backend under test. */
  protected abstract JdbcEventStore open(EventStoreConfig config, JdbcConfig jdbc);

  @Test
  void writes_in_read_only_work_are_refused_by_the_database_and_change_nothing() {
    try (JdbcEventStore store = open(EventStoreConfig.DEFAULT,
        TestStores.migrating(StoreContractSupport.uniqueTablePrefix()).withMaxPoolSize(1))) {
      Jdbi jdbi = store.jdbi();
      String table = store.jdbcConfig().tablePrefix() + "read_only_probe";
      jdbi.useHandle(h -> {
        h.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, note VARCHAR(20))");
        h.execute("INSERT INTO " + table + " (id, note) VALUES (1, 'kept')");
      });
      for (String write : new String[] {
          "INSERT INTO " + table + " (id, note) VALUES (2, 'new')",
          "UPDATE " + table + " SET note = 'changed'",
          "DELETE FROM " + table,
          "CREATE TABLE " + table + "_2 (id INTEGER)"}) {
        Throwable refused = catchThrowable(() -> ReadOnly.run(jdbi, h -> h.execute(write)));
        assertThat(refused).as(write).isNotNull();
        assertThat(ReadOnly.refusedWrite(refused)).as("%s: %s", write, refused).isTrue();
      }
      java.util.List<String> notes = ReadOnly.run(jdbi, h -> h.createQuery("SELECT note FROM " + table).mapTo(String.class).list());
      assertThat(notes).containsExactly("kept");
      // One pooled connection: the same one is writable again.
      jdbi.useHandle(h -> h.execute("UPDATE " + table + " SET note = 'later'"));
      String note = jdbi.withHandle(h -> h.createQuery("SELECT note FROM " + table).mapTo(String.class).one());
      assertThat(note).isEqualTo("later");
    }
  }
}
