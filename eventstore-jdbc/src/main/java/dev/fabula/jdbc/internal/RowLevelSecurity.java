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
 * {@link JdbcConfig#rowLevelSecurity()} applies it when it migrates on open, else checks that it is
 * applied: a store that sets tenants for policies that are missing would only seem protected.
 *
 * <p><b>Order.</b> The policies cover tables of other components (snapshots, personal data keys,
 * erasure records, retention's removals and cold storage), so this component is always migrated
 * after them: when migrating, {@link #ensure} opens each of them first (creating its tables), then
 * this one. Whichever was migrated first, and a database at an older version of this component,
 * ends with every tenant-keyed table under a policy. A later component table keyed by tenant gets
 * a new version of this component and a place in {@link #COVERED}.
 */
final class RowLevelSecurity {
  static final Component COMPONENT = new Component(
      "row_level_security", RowLevelSecurity.class, "dev/fabula/jdbc/row_level_security", List.of("V1__row_level_security.sql", "V2__personal_data_erasure_retention.sql"));

  /** The components whose tables the policies cover, migrated before this one. */
  private static final List<Component> COVERED =
      List.of(JdbcSnapshots.COMPONENT, JdbcKeys.COMPONENT, JdbcErasure.COMPONENT, JdbcRetention.COMPONENT);

  private RowLevelSecurity() {}

  /** Applies or checks the policies of a store opened with row-level security on; nothing otherwise. */
  static void ensure(StoreRoot store) {
    JdbcConfig jdbc = store.jdbcConfig();
    if (!jdbc.rowLevelSecurity()) {
      return;
    }
    if (jdbc.migrateOnOpen()) {
      for (Component covered : COVERED) {
        ComponentDatabase.open(store, covered);
      }
    }
    try {
      ComponentDatabase.open(store, COMPONENT);
    } catch (SchemaNotMigratedException e) {
      String schema = jdbc.schema();
      String missing = e.databaseVersion() == 0
          ? "has no row-level-security policies for its tables, so nothing would enforce them"
          : "has the row-level-security policies of an older release (version " + e.databaseVersion() + " of "
              + e.libraryVersion() + "), which leave tables keyed by tenant (data keys, erasure records, retention's "
              + "removals and archive) open to every tenant";
      throw new SchemaNotMigratedException(e.component(), e.databaseVersion(), e.libraryVersion(),
          "the store was opened with row-level security on (JdbcConfig.withRowLevelSecurity(true)) but the database "
              + missing + "; nothing was changed. "
              + "Apply them as the schema's owner: JdbcEventStore.migrate(url, jdbcConfig.withRowLevelSecurity(true)), "
              + "or java -jar fabula-cli-<version>-all.jar --url <jdbc-url> --prefix " + jdbc.tablePrefix()
              + (schema != null ? " --schema " + schema : "") + " migrate --row-level-security "
              + "(see docs/postgresql.md, \"Row-level security\")");
    }
  }
}
