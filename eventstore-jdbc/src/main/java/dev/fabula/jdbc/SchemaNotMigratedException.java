package dev.fabula.jdbc;

import dev.fabula.EventStoreException;

/**
 * The database's schema is behind this library (or absent) and the store was opened without
 * {@link JdbcConfig#migrateOnOpen()}: nothing was changed. Migrate it as the schema's owner, once
 * per deploy, with {@link JdbcEventStore#migrate(String, JdbcConfig)} or {@code fabula migrate},
 * then open again; the message names both and the table prefix.
 */
public class SchemaNotMigratedException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  private final String component;
  private final int databaseVersion;
  private final int libraryVersion;

  /**
   * Creates the exception.
   *
   * @param component the component whose schema is behind ({@code eventstore}, {@code projections}…)
   * @param databaseVersion the version the database records for it (0: none of its tables)
   * @param libraryVersion the version this library needs
   * @param message what happened and how to migrate
   */
  public SchemaNotMigratedException(String component, int databaseVersion, int libraryVersion, String message) {
    super(message);
    this.component = component;
    this.databaseVersion = databaseVersion;
    this.libraryVersion = libraryVersion;
  }

  /** The component whose schema is behind, as recorded in {@code <prefix>schema_version}. */
  public String component() {
    return component;
  }

  /** The version the database records for the component; 0 when it has none of its tables. */
  public int databaseVersion() {
    return databaseVersion;
  }

  /** The version this library needs. */
  public int libraryVersion() {
    return libraryVersion;
  }
}
