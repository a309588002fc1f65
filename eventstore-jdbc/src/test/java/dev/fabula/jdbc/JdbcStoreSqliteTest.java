package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC backend on SQLite. */
class JdbcStoreSqliteTest extends JdbcStoreContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore open(EventStoreConfig config) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("store.db"), config);
  }

  @Test
  void refuses_an_in_memory_url_with_advice() {
    assertThatThrownBy(() -> JdbcEventStore.open("jdbc:sqlite::memory:", EventStoreConfig.DEFAULT))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("EventStore.inMemory");
  }

  @Test
  void creates_the_folder_of_the_database_file() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("a/b/c.db"), EventStoreConfig.DEFAULT)) {
      store.append("a-1", ExpectedVersion.noStream(), List.of(EventData.json("x", 1, store.types().mapper().createObjectNode())));
    }
    assertThat(dir.resolve("a/b/c.db")).exists();
  }

  @Test
  void refuses_a_store_append_nested_inside_a_unit_of_work_instead_of_waiting_for_itself() {
    JdbcEventStore store = store(dev.fabula.testkit.contract.StoreContractSupport.uniqueTablePrefix());
    assertThatThrownBy(() -> store.inTransaction(tx -> store.append("a-1", ExpectedVersion.any(),
            List.of(EventData.json("x", 1, store.types().mapper().createObjectNode())))))
        .isInstanceOf(EventStoreException.class)
        .hasMessageContaining("append through the Transaction");
  }
}
