package dev.fabula.examples.energy;

import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.EventStoreConfig;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.EventTypes;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.ImportConfig;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import java.time.Duration;
import java.util.List;

/**
 * The energy ledger application: an event store on a JDBC URL, the {@link LedgerProjection}
 * running in the background, the legacy import and the parity check. Users act through {@link
 * #user}, which confines them to their own meters.
 *
 * <pre>{@code
 * EnergyLedger.migrate("jdbc:sqlite:energy.db", LedgerTables.DEFAULT); // once per release, as the schema's owner
 * try (EnergyLedger ledger = EnergyLedger.open("jdbc:sqlite:energy.db", LedgerTables.DEFAULT)) {
 *   ledger.importLegacy(ImportConfig.DEFAULT);
 *   UserLedger thandi = ledger.user("thandi");
 *   thandi.recordReading("04040404040", "r-0329", new BigDecimal("1212.4"), at);
 *   ledger.awaitReadModel();
 *   thandi.meters(); // running totals, only Thandi's
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close} stops the projection runner and closes the store.
 */
public final class EnergyLedger implements AutoCloseable {
  /** The event types of the ledger. */
  public static final EventTypes TYPES = EventTypes.builder().register(MeterEvent.class).build();

  /** The ledger's personal data: the reasons of voids and corrections, keyed by the user ({@link MeterEvent}). */
  public static final PersonalDataPolicy PERSONAL_DATA = PersonalDataPolicy.builder().register(MeterEvent.class).build();

  /** The store's configuration: the event types and the personal data policy. */
  public static final EventStoreConfig STORE_CONFIG = EventStoreConfig.DEFAULT.withEventTypes(TYPES)
      .withPersonalData(PERSONAL_DATA);

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final JdbcEventStore store;
  private final LedgerTables tables;
  private final LedgerReadModel readModel;
  private final Projections projections;
  private final Projection projection;
  private final ProjectionRunner runner;

  private EnergyLedger(JdbcEventStore store, LedgerTables tables) {
    this.store = store;
    this.tables = tables;
    this.readModel = new LedgerReadModel(tables);
    this.projections = Projections.open(store);
    this.projection = LedgerProjection.of(readModel, store.types());
    this.runner = projections.runner(RunnerConfig.DEFAULT, List.of(projection));
    runner.start();
  }

  /**
   * Creates or upgrades the ledger's tables: the event store's (with the projections' and the import's)
   * and the read model's. Run it once per release, before {@link #open}, as a role that may run DDL
   * (the schema owner on PostgreSQL); the ledger itself then needs only row privileges. Safe to run
   * again.
   */
  public static void migrate(String jdbcUrl, LedgerTables tables) {
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withTablePrefix(tables.storePrefix());
    JdbcEventStore.migrate(jdbcUrl, jdbc);
    try (JdbcEventStore store = JdbcEventStore.open(jdbcUrl, STORE_CONFIG, jdbc)) {
      new LedgerReadModel(tables).createTables(store.jdbi());
    }
  }

  /**
   * Opens the ledger on {@code jdbcUrl} (SQLite file or PostgreSQL) and starts its projection; runs no
   * DDL (the tables must exist: {@link #migrate}).
   */
  public static EnergyLedger open(String jdbcUrl, LedgerTables tables) {
    JdbcEventStore store = JdbcEventStore.open(jdbcUrl, STORE_CONFIG, JdbcConfig.DEFAULT.withTablePrefix(tables.storePrefix()));
    try {
      return new EnergyLedger(store, tables);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The ledger as {@code userId} sees it: only their meters, in the event store and the read model. */
  public UserLedger user(String userId) {
    return new UserLedger(userId, store.forTenant(userId), store.jdbi(), readModel);
  }

  /**
   * Erases a user on their request, in their tenant only: the reasons they gave for voids and
   * corrections read as {@code null} for good, in the events (their key is deleted) and in the read
   * model's notes; readings, purchases and totals stay. Idempotent.
   *
   * @param by who asked, kept in the erasure record (a role or a ticket)
   */
  public ErasureRecord eraseUser(String userId, String by) {
    return store.forTenant(userId).erase(Erasure.subject(userId).by(by));
  }

  /** Imports (or resumes, or re-verifies) the legacy tables; see {@link LegacyImport}. */
  public LegacyImport.Result importLegacy(ImportConfig config) {
    return LegacyImport.of(store, tables, config).run();
  }

  /** Waits until the read model shows every event appended so far (read your writes). */
  public void awaitReadModel() {
    projections.awaitPosition(projection.id(), store.headPosition(), WAIT);
  }

  /** Compares the legacy tables with the read model within {@link LedgerParity#TOLERANCE}. */
  public LedgerParity.Result parity() {
    awaitReadModel();
    return LedgerParity.check(store.jdbi(), tables, LedgerParity.TOLERANCE);
  }

  /** The unconfined store: for operators, imports and tests, never for users. */
  public JdbcEventStore store() {
    return store;
  }

  /** The table names. */
  public LedgerTables tables() {
    return tables;
  }

  /** The read model. */
  public LedgerReadModel readModel() {
    return readModel;
  }

  /** The projections of the store (status, rebuilds). */
  public Projections projections() {
    return projections;
  }

  /** The ledger projection. */
  public Projection projection() {
    return projection;
  }

  @Override
  public void close() {
    try {
      runner.close();
    } finally {
      store.close();
    }
  }
}
