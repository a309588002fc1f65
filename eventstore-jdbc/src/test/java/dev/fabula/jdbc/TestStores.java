package dev.fabula.jdbc;

/**
 * How this module's tests open stores: every test database is the test's own, so the stores
 * migrate on open (the one place that says so). Tests of the explicit migration step and of the
 * version check open with {@link JdbcConfig#DEFAULT} instead.
 */
final class TestStores {
  /** The default tables, migrated on open. */
  static final JdbcConfig MIGRATING = JdbcConfig.DEFAULT.withMigrateOnOpen(true);

  private TestStores() {}

  /** The tables of {@code prefix}, migrated on open. */
  static JdbcConfig migrating(String prefix) {
    return MIGRATING.withTablePrefix(prefix);
  }
}
