package dev.fabula.docs;

import dev.fabula.jdbc.JdbcConfig;

/** How the guides' tests open stores outside the snippets: each test's database is its own file. */
final class TestTables {
  /** The default tables, migrated on open. */
  static final JdbcConfig MIGRATING = JdbcConfig.DEFAULT.withMigrateOnOpen(true);

  private TestTables() {}
}
