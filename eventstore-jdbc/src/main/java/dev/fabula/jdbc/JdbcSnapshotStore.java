package dev.fabula.jdbc;

import dev.fabula.spi.SnapshotStore;

/**
 * Snapshots in a table of their own ({@code <prefix>snapshots}) next to a JDBC event store's
 * tables, on SQLite or PostgreSQL.
 *
 * <pre>{@code
 * JdbcSnapshotStore snapshots = JdbcSnapshotStore.open(store);
 * AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values = AggregateRepository.of(
 *     store, new ConfigValueAggregate(),
 *     RepositoryConfig.DEFAULT.withSnapshots(snapshots, SnapshotPolicy.everyEvents(100)));
 * }</pre>
 *
 * <p>Creating it checks the table's version (component {@code snapshots} in {@code
 * <prefix>schema_version}), or creates or migrates it when the store migrates on open ({@link
 * JdbcConfig#migrateOnOpen()}). It uses the store's connections and lives as long as the store: it
 * needs no closing. Thread-safe.
 */
public interface JdbcSnapshotStore extends SnapshotStore {

  /**
   * The snapshot store of {@code store}, creating its table if needed and the store migrates on open.
   *
   * @throws SchemaNotMigratedException if the table is missing or behind and the store does not
   *     migrate on open
   * @throws dev.fabula.EventStoreException if the store's dialect has no snapshot statements, or the
   *     table cannot be created
   */
  static JdbcSnapshotStore open(JdbcEventStore store) {
    return dev.fabula.jdbc.internal.JdbcSnapshots.open(store);
  }
}
