package dev.fabula.migration;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.internal.MigrationTables;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The migration toolkit's state in one store, read from any process: every import's progress, its
 * failed rows page by page, the captured changes still to apply and the read switches. For
 * dashboards and the admin console; it never writes (its reads run on connections the database
 * keeps from writing).
 *
 * <pre>{@code
 * Migrations migrations = Migrations.open(store);
 * for (ImportStatus s : migrations.imports()) {
 *   log.info("{}: {} rows, {} failed", s.name(), s.rowsRead(), s.failedRowsListed());
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class Migrations {
  private final ComponentDatabase sql;

  private Migrations(JdbcEventStore store) {
    this.sql = MigrationTables.open(Objects.requireNonNull(store, "store"));
  }

  /**
   * The toolkit's state in {@code store}; checks that its tables are migrated, or migrates them
   * when the store was opened with {@code JdbcConfig.withMigrateOnOpen(true)}.
   */
  public static Migrations open(JdbcEventStore store) {
    return new Migrations(store);
  }

  /** Every import that has started, by name, with the progress of its current (or last) pass. */
  public List<ImportStatus> imports() {
    return sql.readOnly("reading the imports", h -> h.createQuery(sql.sql("imports_list"))
        .map((rs, ctx) -> new ImportStatus(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6), rs.getLong(7), rs.getInt(8) == 1, Instant.parse(rs.getString(9)), Instant.parse(rs.getString(10))))
        .list());
  }

  /**
   * One page of an import's failed rows (of its current or last pass) in key order: those after
   * {@code after} (the last row of the previous page; null for the first page), at most {@code
   * limit}. Keyset-paged, so a page costs the same on the millionth row as on the first.
   *
   * @throws IllegalArgumentException if {@code limit} is not between 1 and 1000
   */
  public List<FailedRow> failedRows(String importName, @Nullable FailedRow after, int limit) {
    Objects.requireNonNull(importName, "importName");
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000 but was " + limit);
    }
    return sql.readOnly("reading the failed rows of import '" + importName + "'", h ->
        h.createQuery(sql.sql("import_failures_page"))
            .bind("name", importName)
            .bind("after_key", after == null ? "" : after.key())
            .bind("after_kind", after == null ? "" : after.kind().name())
            .bind("limit", limit)
            .map((rs, ctx) -> new FailedRow(rs.getString(1), FailedRow.Kind.valueOf(rs.getString(2)), rs.getString(3)))
            .list());
  }

  /** How many captured changes wait to be applied, per legacy table (only tables with some waiting). */
  public Map<String, Long> pendingChanges() {
    return sql.readOnly("counting the captured changes", h -> {
      Map<String, Long> pending = new LinkedHashMap<>();
      h.createQuery(sql.sql("capture_backlog")).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
          .forEach(e -> pending.put(e.getKey(), e.getValue()));
      return pending;
    });
  }

  /** Every read switch that was ever set, by name (one never set sends reads to {@link ReadTarget#LEGACY}). */
  public List<SwitchState> readSwitches() {
    return sql.readOnly("reading the read switches", h -> h.createQuery(sql.sql("switches_list"))
        .map((rs, ctx) -> new SwitchState(rs.getString(1), ReadTarget.valueOf(rs.getString(2)), Instant.parse(rs.getString(3))))
        .list());
  }

  /**
   * A read switch as the database holds it.
   *
   * @param name its name
   * @param target where it sends reads
   * @param updatedAt when it was last set
   */
  public record SwitchState(String name, ReadTarget target, Instant updatedAt) {}
}
