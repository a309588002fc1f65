package dev.fabula.migration;

import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamInfo;
import dev.fabula.internal.Erasures;
import dev.fabula.internal.Validation;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.TenantDatabases;
import dev.fabula.jdbc.TenantPlacement;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.internal.MigrationTables;
import dev.fabula.migration.internal.TenantCopy;
import dev.fabula.migration.internal.TenantFences;
import dev.fabula.migration.internal.TenantKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a tenant from the database it lives in to another one of a {@link TenantDatabases} store,
 * while the application keeps writing, losing and duplicating nothing (PostgreSQL databases).
 *
 * <pre>{@code
 * TenantMoveReport report = TenantMove.open(store, TenantMoveConfig.DEFAULT).move("acme", "second");
 * }</pre>
 *
 * <p><b>How it works.</b> (1) The directory marks the move, and the target fences the tenant
 * ({@code in}): only the move writes it there. (2) Copy: the tenant's events, as stored, in the
 * source's position order, up to the source's read horizon, in batches (each event keeps its id,
 * stream and version). (3) Catch-up rounds copy what was written meanwhile, until a round copies
 * fewer than {@link TenantMoveConfig#fenceBelow} events. (4) The source fences the tenant ({@code
 * out}): the fence waits for the tenant's writes in flight, and later writes fail with {@code
 * TenantMovingException} (a {@code TenantDatabases} store waits and sends them to the new database
 * after the switch). (5) The last events are copied, the target's fence lifted, deleted streams
 * deleted in the target too. The tombstones of erased and hard-deleted streams stay behind: their
 * ids are keyed hashes under the source database's own secret, so the target cannot check them (an
 * erased stream's id can be used again in the target after the move). (6) Parity: per stream, deleted or not, event count, last version and
 * a hash of the events' ids, types and contents, on both databases ({@link ParityCheck}). (7) The
 * directory switches the tenant to the target. The source keeps its fence, and the tenant's events
 * (delete them when no longer wanted): no process with a stale placement can write there again.
 *
 * <p><b>Personal data.</b> Under the source's fence the tenant's data keys (from the source's key
 * table) and erasure records are copied too, and parity compares them; after the switch the
 * source's keys of the tenant are deleted. Keys in an external key store move only when both
 * databases' stores share it; otherwise the move refuses to start (see {@code TenantKeys}).
 *
 * <p>If anything fails before the switch, the move releases the source's fence and abandons the
 * directory's move (the target keeps its fence and the events copied so far): the tenant goes on
 * in its old database, and running the move again resumes the copy. Run one move of a tenant at
 * a time (the directory refuses a second move to another database). Thread-safe.
 */
public final class TenantMove {
  private static final Logger LOG = LoggerFactory.getLogger(TenantMove.class);

  private final TenantDatabases databases;
  private final TenantMoveConfig config;
  private final Listener listener;

  /** The steps of a move that a {@link Listener} hears of, each once it is committed. */
  public enum Phase {
    /** A batch of the first copy committed in the target. */
    COPYING,
    /** A batch of a catch-up round committed in the target. */
    CATCHING_UP,
    /** The source fenced the tenant's writes; the last copy comes next. */
    FENCED,
    /** The last copy committed and the target's fence is lifted; parity comes next. */
    COPIED,
    /** Parity passed; the directory's switch comes next. */
    PARITY_PASSED,
    /** The directory switched the tenant to the target. */
    SWITCHED
  }

  /**
   * Hears of a move's progress, in the mover's thread, after each {@link Phase} is committed (for
   * progress logs, metrics, and tests that stop a mover at a given step). A listener that throws
   * stops the move as any error does: before the switch the move is abandoned.
   */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called after {@code phase}; {@code eventsCopied} counts the events this run copied so far.
     */
    void reached(String tenantId, Phase phase, long eventsCopied);
  }

  private TenantMove(TenantDatabases databases, TenantMoveConfig config, Listener listener) {
    this.databases = databases;
    this.config = config;
    this.listener = listener;
  }

  /** This mover, telling {@code value} of each step of its moves (see {@link Listener}). */
  public TenantMove withListener(Listener value) {
    return new TenantMove(databases, config, Objects.requireNonNull(value, "listener"));
  }

  /**
   * The mover of {@code databases}' tenants; checks that the toolkit's tables (with the fence
   * table) are migrated in every database.
   */
  public static TenantMove open(TenantDatabases databases, TenantMoveConfig config) {
    Objects.requireNonNull(databases, "databases");
    Objects.requireNonNull(config, "config");
    for (JdbcEventStore store : databases.databases().values()) {
      MigrationTables.open(store);
    }
    return new TenantMove(databases, config, (tenant, phase, copied) -> {});
  }

  /**
   * Moves {@code tenantId} to {@code targetDatabase} (see the class comment); resumes a move that
   * stopped half-way.
   *
   * @throws MigrationException if the move cannot start, or stopped before the switch (the tenant
   *     then still lives, unfenced, in its old database)
   */
  public TenantMoveReport move(String tenantId, String targetDatabase) {
    String tenant = Validation.tenantId(tenantId);
    JdbcEventStore target = databases.database(targetDatabase);
    databases.refresh(tenant);
    String from = databases.databaseOf(tenant);
    if (from.equals(targetDatabase)) {
      dropKeysLeftBehind(tenant, targetDatabase);
      throw new MigrationException("tenant '" + tenant + "' already lives in database '" + targetDatabase
          + "' (if a move's process stopped after its switch, the move is done: move the tenant's jobs with TenantJobs.move)");
    }
    JdbcEventStore source = databases.database(from);
    ComponentDatabase sourceDb = checked(source, from);
    ComponentDatabase targetDb = checked(target, targetDatabase);
    TenantKeys keys = new TenantKeys(tenant, from, source, sourceDb, targetDatabase, target, targetDb);
    keys.check();
    databases.directory().beginMove(tenant, from, targetDatabase);
    LOG.info("Moving tenant {} from database {} to {}", tenant, from, targetDatabase);
    long fencedAt = 0;
    JdbcEventStore writer = null;
    try {
      TenantFences.fence(targetDb, tenant, TenantFences.IN, from, config.fenceTimeout());
      writer = keys.openWriter();
      TenantCopy copy = new TenantCopy(tenant, sourceDb, writer, targetDb, config.batchSize());
      copy.resume();
      long copied = copy.copyUpTo(source.headPosition(), n -> listener.reached(tenant, Phase.COPYING, n));
      int rounds = 0;
      for (long round = copied; round >= config.fenceBelow() && rounds < config.maxCatchUpRounds(); rounds++) {
        long before = copied;
        round = copy.copyUpTo(source.headPosition(), n -> listener.reached(tenant, Phase.CATCHING_UP, before + n));
        copied += round;
      }
      TenantFences.fence(sourceDb, tenant, TenantFences.OUT, targetDatabase, config.fenceTimeout());
      fencedAt = System.nanoTime();
      listener.reached(tenant, Phase.FENCED, copied);
      // Fenced: every write of the tenant in the source has ended, so all its events are committed
      // and its newest one bounds the last copy.
      long fenced = copy.copyUpTo(copy.sourceLastPosition(), n -> {});
      keys.copy();
      TenantFences.lift(targetDb, tenant, TenantFences.IN);
      listener.reached(tenant, Phase.COPIED, copied + fenced);
      ParityReport parity = parity(source, sourceDb, target, targetDb, tenant);
      if (!parity.passed()) {
        throw new MigrationException("the copy of tenant '" + tenant + "' in database '" + targetDatabase
            + "' differs from its events in '" + from + "', so the move did not switch:\n" + parity.describe());
      }
      ParityReport keyParity = keys.parity();
      if (!keyParity.passed()) {
        throw new MigrationException("the data keys or erasure records of tenant '" + tenant + "' in database '"
            + targetDatabase + "' differ from those in '" + from + "', so the move did not switch:\n" + keyParity.describe());
      }
      listener.reached(tenant, Phase.PARITY_PASSED, copied + fenced);
      databases.directory().switchMove(tenant, from, targetDatabase);
      databases.refresh(tenant);
      keys.dropFromSource();
      listener.reached(tenant, Phase.SWITCHED, copied + fenced);
      Duration fence = Duration.ofNanos(System.nanoTime() - fencedAt);
      LOG.info("Moved tenant {} from database {} to {}: {} events copied ({} while fenced, {} ms), {} catch-up rounds",
          tenant, from, targetDatabase, copied + fenced, fenced, fence.toMillis(), rounds);
      return new TenantMoveReport(tenant, from, targetDatabase, copied + fenced, rounds, fenced, fence, parity, keyParity);
    } catch (RuntimeException e) {
      LOG.error("Moving tenant {} from database {} to {} stopped before the switch; the tenant stays in {}",
          tenant, from, targetDatabase, from, e);
      try {
        abandon(tenant, from, targetDatabase, sourceDb, targetDb);
      } catch (RuntimeException cleanup) {
        LOG.error("Abandoning the move of tenant {} failed too; run TenantMove.abandon (or the move) again", tenant, cleanup);
        e.addSuppressed(cleanup);
      }
      throw e instanceof MigrationException m ? m : new MigrationException("moving tenant '" + tenant + "' from '" + from
          + "' to '" + targetDatabase + "' stopped before the switch (" + e.getMessage() + "); the tenant stays, "
          + "unfenced, in '" + from + "': fix the cause and run the move again, which resumes the copy", e);
    } finally {
      if (writer != null) {
        keys.closeWriter(writer);
      }
    }
  }

  /**
   * Abandons a move of {@code tenantId} to {@code targetDatabase} that stopped (a crashed process):
   * lifts the source's fence and clears the directory's move, unless the move had switched. The
   * target keeps its fence and what was copied.
   */
  public void abandon(String tenantId, String targetDatabase) {
    String tenant = Validation.tenantId(tenantId);
    Optional<TenantPlacement> placed = databases.directory().find(tenant);
    if (placed.isEmpty() || placed.get().database().equals(targetDatabase)) {
      return;
    }
    String from = placed.get().database();
    abandon(tenant, from, targetDatabase, checked(databases.database(from), from),
        checked(databases.database(targetDatabase), targetDatabase));
  }

  private void abandon(String tenant, String from, String to, ComponentDatabase sourceDb, ComponentDatabase targetDb) {
    // A switch that committed while its caller saw an error must not be undone: the fence then
    // guards the source for good.
    if (databases.directory().find(tenant).map(p -> p.database().equals(to)).orElse(false)) {
      return;
    }
    TenantFences.fence(targetDb, tenant, TenantFences.IN, from, config.fenceTimeout());
    TenantKeys.drop(databases.database(to), targetDb, tenant); // copied again by the next move
    TenantFences.lift(sourceDb, tenant, TenantFences.OUT);
    databases.directory().abandonMove(tenant, from, to);
    databases.refresh(tenant);
  }

  /**
   * A move that switched and stopped before deleting the tenant's data keys from the database it
   * left leaves them there; a rerun deletes them (that database fences the tenant out, naming
   * {@code target}).
   */
  private void dropKeysLeftBehind(String tenant, String target) {
    for (Map.Entry<String, JdbcEventStore> db : databases.databases().entrySet()) {
      ComponentDatabase tables = MigrationTables.open(db.getValue());
      if (db.getKey().equals(target) || !tables.has("tenant_fence_read")) {
        continue;
      }
      Optional<Map<String, Object>> fence = tables.read("reading a tenant's fence", h -> h.createQuery(tables.sql("tenant_fence_read"))
          .bind("tenant_id", tenant).mapToMap().findOne());
      if (fence.isPresent() && TenantFences.OUT.equals(fence.get().get("kind")) && target.equals(fence.get().get("database"))) {
        TenantKeys.drop(db.getValue(), tables, tenant);
      }
    }
  }

  private static ComponentDatabase checked(JdbcEventStore store, String name) {
    ComponentDatabase db = MigrationTables.open(store);
    if (!db.has("tenant_fence_lock")) {
      throw new MigrationException("database '" + name + "' is " + db.dialectName()
          + ": tenants move between PostgreSQL databases only");
    }
    return db;
  }

  private static List<Map<String, Object>> streams(ComponentDatabase db, String tenant) {
    return db.read("listing a tenant's streams", h -> h.createQuery(db.sql("tenant_parity")).bind("tenant_id", tenant)
        .bind("tombstone_prefix", Erasures.TOMBSTONE_PREFIX).mapToMap().list());
  }

  /** Compares the tenant's streams in both databases, after making the target's deleted streams match. */
  private static ParityReport parity(
      JdbcEventStore source, ComponentDatabase sourceDb, JdbcEventStore target, ComponentDatabase targetDb, String tenant) {
    List<Map<String, Object>> streams = streams(sourceDb, tenant);
    List<Map<String, Object>> deleted = streams.stream().filter(row -> Boolean.TRUE.equals(row.get("deleted"))).toList();
    EventStore copy = target.forTenant(tenant);
    // A stream the target holds and the source does not was copied before it was erased or
    // hard-deleted in the source (by an abandoned move, or a move back): it goes in the target too.
    java.util.Set<Object> inSource = streams.stream().map(row -> row.get("stream_id")).collect(java.util.stream.Collectors.toSet());
    for (Map<String, Object> row : streams(targetDb, tenant)) {
      if (!inSource.contains(row.get("stream_id"))) {
        copy.hardDeleteStream((String) row.get("stream_id"));
      }
    }
    for (Map<String, Object> row : deleted) {
      String stream = (String) row.get("stream_id");
      boolean done = copy.streamInfo(stream).map(StreamInfo::deleted).orElse(false);
      if (!done && ((Number) row.get("events")).longValue() == 0) {
        copy.hardDeleteStream(stream);
      } else if (!done) {
        copy.deleteStream(stream, ExpectedVersion.any());
      }
    }
    return ParityCheck.between(source.jdbi(), target.jdbi(), ParityConfig.DEFAULT
            .withKeyColumns("stream_id").withSumColumns("events").withTolerance(0))
        .compare(sourceDb.sql("tenant_parity"), targetDb.sql("tenant_parity"),
            Map.of("tenant_id", tenant, "tombstone_prefix", Erasures.TOMBSTONE_PREFIX));
  }
}
