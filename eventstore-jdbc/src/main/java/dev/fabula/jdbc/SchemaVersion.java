package dev.fabula.jdbc;

/**
 * One component's schema in the store's database against what this library needs, as {@link
 * JdbcEventStore#schemaVersions()} reports it: the health check of the {@code fabula-health} module
 * and the operator's "is this database migrated for this release" question.
 *
 * @param component the component ({@code eventstore}, {@code projections}, {@code scheduler}, …)
 * @param installed the newest version recorded in {@code <prefix>schema_version}, 0 for none
 * @param required the version this library needs
 */
public record SchemaVersion(String component, int installed, int required) {

  /** Whether the database has exactly the version this library needs. */
  public boolean current() {
    return installed == required;
  }

  /** Whether the database misses migrations this library needs (run {@code JdbcEventStore.migrate}). */
  public boolean behind() {
    return installed < required;
  }
}
