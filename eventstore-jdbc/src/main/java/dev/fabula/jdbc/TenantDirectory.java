package dev.fabula.jdbc;

import java.util.List;
import java.util.Optional;

/**
 * Which database each tenant lives in, for a store spread over several databases ({@link
 * TenantDatabases}). The default keeps the directory in a table of the home database ({@link
 * #inTable}); implement it to keep it elsewhere (a configuration service), keeping the guarantees
 * below: every method is atomic, and the three move methods are compare-and-set on the entry.
 *
 * <p>Implementations are thread-safe and safe to use from several processes at once.
 */
public interface TenantDirectory {

  /**
   * The directory in the table {@code <prefix>tenant_directory} of {@code home} (created by {@code
   * JdbcEventStore.migrate}, or on open with {@code migrateOnOpen}).
   */
  static TenantDirectory inTable(JdbcEventStore home) {
    return dev.fabula.jdbc.internal.TableDirectory.open(home);
  }

  /** The tenant's placement, or empty if the directory does not know the tenant. */
  Optional<TenantPlacement> find(String tenantId);

  /**
   * Places a tenant in {@code database} unless it is already placed; either way returns where it
   * lives now (the first placement wins when processes race).
   */
  TenantPlacement place(String tenantId, String database);

  /** Every placement, by tenant id. */
  List<TenantPlacement> all();

  /**
   * Marks the tenant as moving from {@code from} to {@code to}. Harmless to repeat for the same
   * move.
   *
   * @throws dev.fabula.EventStoreException if the tenant does not live in {@code from} or another
   *     move of it is under way
   */
  void beginMove(String tenantId, String from, String to);

  /**
   * Switches the tenant to {@code to}: the last step of a move.
   *
   * @throws dev.fabula.EventStoreException if the entry does not say that it moves from {@code
   *     from} to {@code to}
   */
  void switchMove(String tenantId, String from, String to);

  /** Abandons a move: the tenant stays in {@code from}. Does nothing if no such move is under way. */
  void abandonMove(String tenantId, String from, String to);
}
