package dev.fabula.console;

import dev.fabula.console.internal.ConsoleBuilder;
import dev.fabula.jdbc.JdbcEventStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * The admin console: server-rendered pages over an event store's log and, when given, its
 * projections, job queue and migration toolkit, with actions (retry a parked event, promote a
 * projection version, retry or cancel a job, the kill switch…) that are authenticated, permission-checked, CSRF-protected and audited.
 *
 * <pre>{@code
 * Console console = Console.builder(store)
 *     .projections(projections)                      // optional: needs fabula-projections
 *     .jobs(queue)                                    // optional: needs fabula-scheduler
 *     .migration(Migrations.open(store))              // optional: needs fabula-migration
 *     .authenticator(ConsoleAuthenticator.token(secret, ConsoleUser.operator("ops")))
 *     .open();
 * try (ConsoleServer server = ConsoleServer.start(console, 8081)) {  // or console.handle(request)
 *   ...
 * }
 * }</pre>
 *
 * <p>The console runs nothing in the background and holds no connection of its own: it is off
 * unless your server hands it requests or you start a {@link ConsoleServer}. Its audit table
 * ({@code <prefix>console_audit}) is migrated like the other modules' tables. Thread-safe.
 */
public interface Console {

  /** Starts building a console over {@code store} (the unconfined store: tenants come from the config). */
  static Builder builder(JdbcEventStore store) {
    return new ConsoleBuilder(store);
  }

  /** The configuration. */
  ConsoleConfig config();

  /**
   * Answers one request whose path lies under {@link ConsoleConfig#basePath()} (404 otherwise).
   * Never throws for a bad request: errors become error pages, logged when they are the server's.
   */
  ConsoleResponse handle(ConsoleRequest request);

  /** The audit table, newest first: entries with an id below {@code beforeId} (0: the newest), at most {@code limit}. */
  List<AuditEntry> audit(long beforeId, int limit);

  /** Builds a {@link Console}; not thread-safe, use it once. */
  interface Builder {
    /** Shows the projections' pages (state, lag, parked events) and their actions. */
    Builder projections(dev.fabula.projections.Projections projections);

    /** Shows the job and schedule pages and their actions (and the kill switch). */
    Builder jobs(dev.fabula.scheduler.JobQueue queue);

    /**
     * Shows the migration page: each import's progress and failed rows, the captured changes
     * waiting, the read switches, and the parity checks given to {@link #parityCheck}. Needs
     * fabula-migration on the class path.
     */
    Builder migration(dev.fabula.migration.Migrations migrations);

    /**
     * Offers a parity check on the migration page, run when a user with {@link
     * ConsoleAction#RUN_PARITY_CHECK} asks (on the request's thread); the page shows the last
     * report, kept in memory. For example {@code () -> ParityCheck.of(store.jdbi(),
     * config).compare(legacyQuery, readModelQuery)}.
     *
     * @param name its name on the page, 1 to 200 characters, once per console
     * @throws ConsoleException if the name is blank, too long or given twice
     */
    Builder parityCheck(String name, java.util.function.Supplier<dev.fabula.migration.ParityReport> check);

    /** Who may use the console; required: there is no console without authentication. */
    Builder authenticator(ConsoleAuthenticator authenticator);

    /** The configuration; {@link ConsoleConfig#DEFAULT} unless set. */
    Builder config(ConsoleConfig config);

    /**
     * Also hands every audited action to {@code listener} (after it is written to the audit
     * table), for the application's own audit. Called on the request's thread; an exception it
     * throws is logged and does not undo the action.
     */
    Builder onAction(Consumer<AuditEntry> listener);

    /**
     * Opens the console: checks (or migrates, when the store migrates on open) its audit table.
     *
     * @throws ConsoleException if no authenticator was given, or parity checks without {@link
     *     #migration}
     * @throws dev.fabula.jdbc.SchemaNotMigratedException if the audit table is missing and the
     *     store does not migrate on open
     */
    Console open();
  }
}
