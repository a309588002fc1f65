package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.SchemaNotMigratedException;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentDatabase;
import java.util.List;

/**
 * The optional row-level-security migration (component {@code row_level_security}): policies that
 * let a role that does not own the tables see and write only the rows of the tenant its
 * transaction set (see {@code row_level_security/postgresql/migrations/}). A store opened with
 * {@link JdbcConfig#rowLevelSecurity()} applies it when it migrates on open (after the snapshot
 * table, which the policies cover), else checks that it is applied: a store that sets tenants for
 * policies that are missing would only seem protected.
 */
final class RowLevelSecurity {
  static final Component COMPONENT = new Component(
      "row_level_security", RowLevelSecurity.class, "dev/fabula/jdbc/row_level_security", List.of("V1__row_level_security.sql"));

  private RowLevelSecurity() {}

  /** Applies or checks the policies of a store opened with row-level security on; nothing otherwise. */
  static void ensure(StoreRoot store) {
    JdbcConfig jdbc = store.jdbcConfig();
    if (!jdbc.rowLevelSecurity()) {
      return;
    }
    if (jdbc.migrateOnOpen()) {
      JdbcSnapshots.open(store);
    }
    try {
      ComponentDatabase.open(store, COMPONENT);
    } catch (SchemaNotMigratedException e) {
      String schema = jdbc.schema();
      throw new SchemaNotMigratedException(e.component(), e.databaseVersion(), e.libraryVersion(),
          "the store was opened with row-level security on (JdbcConfig.withRowLevelSecurity(true)) but the database "
              + "has no row-level-security policies for its tables, so nothing would enforce them; nothing was changed. "
              + "Apply them once as the schema's owner: JdbcEventStore.migrate(url, jdbcConfig.withRowLevelSecurity(true)), "
              + "or java -jar fabula-cli-<version>-all.jar --url <jdbc-url> --prefix " + jdbc.tablePrefix()
              + (schema != null ? " --schema " + schema : "") + " migrate --row-level-security "
              + "(see docs/postgresql.md, \"Row-level security\")");
    }
  }
}
