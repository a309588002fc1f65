package dev.fabula.migration.internal;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Migrations;
import dev.fabula.jdbc.spi.Statements;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The toolkit's SQL for one store: the statements of its dialect folder, and its schema, applied
 * once per store (idempotent: {@link Migrations} records the version).
 */
public final class MigrationSql {
  private static final String COMPONENT = "migration";
  private final JdbcEventStore store;
  private final Statements statements;

  private MigrationSql(JdbcEventStore store) {
    this.store = store;
    this.statements = new Statements(MigrationSql.class.getClassLoader(), folder(store), store.statements().placeholders());
  }

  /** The toolkit's statements for {@code store}, after creating or upgrading its tables. */
  public static MigrationSql forStore(JdbcEventStore store) {
    MigrationSql sql = new MigrationSql(store);
    Migrations.apply(store.jdbi(), store.dialect(), sql.statements, COMPONENT, List.of("V1__migration.sql"));
    return sql;
  }

  /** The statement {@code name} of the store's dialect. */
  public String get(String name) {
    return statements.get(name);
  }

  /** {@code name} with extra placeholders (validated identifiers) substituted, not cached. */
  public String get(String name, Map<String, String> extra) {
    Map<String, String> all = new HashMap<>(store.statements().placeholders());
    all.putAll(extra);
    return new Statements(MigrationSql.class.getClassLoader(), folder(store), all).get(name);
  }

  /** Whether the store runs on PostgreSQL. */
  public boolean postgres() {
    return "postgresql".equals(store.dialect().name());
  }

  /** The store. */
  public JdbcEventStore store() {
    return store;
  }

  /** A table name with the store's prefix (unqualified), as catalogs list it. */
  public String prefixed(String table) {
    return store.statements().placeholders().get("prefix") + table;
  }

  private static String folder(JdbcEventStore store) {
    return "dev/fabula/migration/" + store.dialect().name();
  }
}
