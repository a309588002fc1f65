package dev.fabula.jdbc;

import dev.fabula.EventStore;
import java.util.Map;

/**
 * An event store whose tenants are spread over several databases: a {@link TenantDirectory} says
 * which database holds each tenant, and {@link #forTenant} gives a view that sends every call of
 * the tenant to that database's store. A tenant can be moved between databases while it is written
 * ({@code TenantMove} in {@code fabula-migration}); see {@code docs/tenant-databases.md}.
 *
 * <pre>{@code
 * TenantDatabases store = TenantDatabases.open(Map.of("main", main, "second", second), "main");
 * store.place("globex", "second");                 // new tenants go to the home database otherwise
 * store.forTenant("globex").append("order-1", ExpectedVersion.noStream(), events);
 * }</pre>
 *
 * <p><b>What is routed.</b> Everything a tenant's view does goes to the tenant's database. The
 * unconfined store is the home database's for the streams of no tenant; it has no single global
 * log ({@link #readAll} without a tenant and {@link #headPosition} refuse): positions are each
 * database's own, so read one database's log through {@link #database}, where projections and job
 * queues run too (one per database). A unit of work of the unconfined store runs in the home
 * database and may widen only to tenants that live there.
 *
 * <p><b>Moves.</b> While a tenant is being moved, its old database fences its writes for a moment:
 * plain appends and deletes wait for the switch (up to {@link TenantRoutingConfig#fenceWait}) and
 * go to the new database; a unit of work fails with {@link dev.fabula.TenantMovingException}, to be
 * retried. Placements are cached for {@link TenantRoutingConfig#placementCacheTime}.
 *
 * <p>The store owns the databases' stores: {@link #close} closes them. Thread-safe.
 */
public interface TenantDatabases extends EventStore {

  /**
   * Routes over {@code databases} (name to store), with the directory in the table of the {@code
   * home} database and the default routing.
   */
  static TenantDatabases open(Map<String, JdbcEventStore> databases, String home) {
    if (databases == null || home == null || databases.get(home) == null) {
      throw new dev.fabula.InvalidInputException("home '" + home + "' must name one of the databases "
          + (databases == null ? "(none given)" : databases.keySet()));
    }
    return open(databases, home, TenantDirectory.inTable(databases.get(home)), TenantRoutingConfig.DEFAULT);
  }

  /** Routes over {@code databases} (name to store) by {@code directory}. */
  static TenantDatabases open(
      Map<String, JdbcEventStore> databases, String home, TenantDirectory directory, TenantRoutingConfig routing) {
    return dev.fabula.jdbc.internal.TenantRouter.open(databases, home, directory, routing);
  }

  /** The databases by name, in the order given. */
  Map<String, JdbcEventStore> databases();

  /**
   * One database's store, for its log, its projections and its job queue.
   *
   * @throws dev.fabula.InvalidInputException if there is no database of that name
   */
  JdbcEventStore database(String name);

  /** The name of the home database: the directory's and the unconfined store's. */
  String home();

  /**
   * The name of the database that holds {@code tenantId} now, placing a new tenant in the home
   * database.
   */
  String databaseOf(String tenantId);

  /**
   * Places a new tenant in {@code database}; a tenant already placed stays where it is (move it
   * with {@code TenantMove}).
   *
   * @return the database it lives in now
   */
  String place(String tenantId, String database);

  /** The directory this store routes by. */
  TenantDirectory directory();

  /** Forgets the cached placement of {@code tenantId}, so the next call reads the directory. */
  void refresh(String tenantId);
}
