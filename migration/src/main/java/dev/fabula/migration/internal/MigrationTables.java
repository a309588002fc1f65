package dev.fabula.migration.internal;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentDatabase;
import java.util.List;

/** The toolkit's tables beside the store's: its component of the store's database. */
public final class MigrationTables {
  /** The component: checkpoints of imports and capture, failed rows, read switches. */
  public static final Component COMPONENT =
      new Component("migration", MigrationTables.class, "dev/fabula/migration", List.of("V1__migration.sql", "V2__capture_security_definer.sql", "V3__tenant_fences.sql"));

  private MigrationTables() {}

  /** The toolkit's database layer on {@code store}, after creating or upgrading its tables. */
  public static ComponentDatabase open(JdbcEventStore store) {
    return ComponentDatabase.open(store, COMPONENT);
  }
}
