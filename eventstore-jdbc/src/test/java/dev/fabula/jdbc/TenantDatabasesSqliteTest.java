package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.TenantAccessException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tenants spread over two SQLite databases: the directory and the routing of tenant views. */
class TenantDatabasesSqliteTest {
  @TempDir Path dir;
  private TenantDatabases store;

  @BeforeEach
  void open() {
    Map<String, JdbcEventStore> databases = new LinkedHashMap<>();
    databases.put("main", JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("main.db"), EventStoreConfig.DEFAULT, TestStores.MIGRATING));
    databases.put("second", JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("second.db"), EventStoreConfig.DEFAULT, TestStores.MIGRATING));
    store = TenantDatabases.open(databases, "main", TenantDirectory.inTable(databases.get("main")),
        TenantRoutingConfig.DEFAULT.withPlacementCacheTime(Duration.ofHours(1)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static EventData note(String text) {
    return EventData.json("Noted", 1, JsonNodeFactory.instance.objectNode().put("text", text));
  }

  @Test
  void a_tenant_view_writes_and_reads_in_the_database_the_directory_places_it_in() {
    assertThat(store.place("globex", "second")).isEqualTo("second");

    store.forTenant("globex").append("order-1", ExpectedVersion.noStream(), List.of(note("g1")));
    store.forTenant("acme").append("order-1", ExpectedVersion.noStream(), List.of(note("a1")));

    assertThat(store.database("second").forTenant("globex").readStream("order-1")).hasSize(1);
    assertThat(store.database("main").forTenant("globex").readStream("order-1")).isEmpty();
    assertThat(store.database("main").forTenant("acme").readStream("order-1")).hasSize(1);
    assertThat(store.database("second").forTenant("acme").readStream("order-1")).isEmpty();
    assertThat(store.forTenant("globex").readStream("order-1")).extracting(e -> e.payload().get("text").asText())
        .containsExactly("g1");
    assertThat(store.directory().all()).extracting(TenantPlacement::tenantId, TenantPlacement::database)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("acme", "main"), org.assertj.core.groups.Tuple.tuple("globex", "second"));
    assertThat(store.databaseOf("acme")).as("a new tenant is placed in the home database").isEqualTo("main");
    assertThat(store.place("globex", "main")).as("placing a placed tenant leaves it where it is").isEqualTo("second");
  }

  @Test
  void a_tenant_log_read_goes_to_its_database_and_the_unconfined_store_has_no_single_log() {
    store.place("globex", "second");
    store.forTenant("globex").append("order-1", ExpectedVersion.noStream(), List.of(note("g1"), note("g2")));

    try (var log = store.readAll(LogQuery.all().tenant("globex"))) {
      assertThat(log.map(RecordedEvent::streamVersion).toList()).containsExactly(1L, 2L);
    }
    assertThat(store.forTenant("globex").headPosition()).isEqualTo(store.database("second").forTenant("globex").headPosition());
    assertThatThrownBy(() -> store.readAll(LogQuery.all())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("database(name).readAll");
    assertThatThrownBy(store::headPosition).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> store.forTenant("globex").forTenant("acme")).isInstanceOf(TenantAccessException.class);
  }

  @Test
  void a_unit_of_work_of_the_unconfined_store_runs_in_the_home_database_and_widens_only_to_its_tenants() {
    store.place("globex", "second");
    store.inTransaction(tx -> tx.forTenant("acme").append("order-1", ExpectedVersion.noStream(), List.of(note("a1"))));
    assertThat(store.forTenant("acme").readStream("order-1")).hasSize(1);

    assertThatThrownBy(() -> store.inTransaction(
            tx -> tx.forTenant("globex").append("order-1", ExpectedVersion.noStream(), List.of(note("g1")))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("lives in database 'second'");
    assertThat(store.forTenant("globex").readStream("order-1")).isEmpty();
  }

  @Test
  void opening_refuses_a_home_that_is_not_one_of_the_databases() {
    assertThatThrownBy(() -> TenantDatabases.open(store.databases(), "elsewhere")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'elsewhere'").hasMessageContaining("[main, second]");
  }

  @Test
  void a_switched_move_sends_the_tenant_to_its_new_database_once_its_placement_is_read_again() {
    store.forTenant("acme").append("order-1", ExpectedVersion.noStream(), List.of(note("a1")));
    TenantDirectory directory = store.directory();

    assertThatThrownBy(() -> directory.beginMove("acme", "second", "main")).isInstanceOf(EventStoreException.class)
        .hasMessageContaining("move it from where it lives");
    directory.beginMove("acme", "main", "second");
    directory.beginMove("acme", "main", "second");
    assertThat(directory.find("acme")).contains(new TenantPlacement("acme", "main", "second"));
    assertThatThrownBy(() -> directory.switchMove("acme", "main", "third")).isInstanceOf(EventStoreException.class);
    directory.switchMove("acme", "main", "second");

    assertThat(store.databaseOf("acme")).as("cached").isEqualTo("main");
    store.refresh("acme");
    assertThat(store.databaseOf("acme")).isEqualTo("second");
    assertThat(store.forTenant("acme").readStream("order-1")).as("nothing was copied").isEmpty();
  }
}
