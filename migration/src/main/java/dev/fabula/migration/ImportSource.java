package dev.fabula.migration;

import dev.fabula.migration.internal.Identifiers;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where an import reads its rows: a SQL query on the store's database, read page by page in key
 * order, or any {@link Iterable} of rows in ascending key order. The name identifies the import
 * (its checkpoint) and goes into every event id, so keep it stable: renaming a source makes a
 * rerun import everything again.
 */
public final class ImportSource {
  private final String name;
  private final @Nullable String query;
  private final @Nullable String keyColumn;
  private final @Nullable Iterable<Map<String, Object>> rows;
  private final Function<Map<String, Object>, Object> key;

  private ImportSource(String name, @Nullable String query, @Nullable String keyColumn,
      @Nullable Iterable<Map<String, Object>> rows, Function<Map<String, Object>, Object> key) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("an import source needs a name of 1 to 200 characters, got '" + name + "'");
    }
    this.name = name;
    this.query = query;
    this.keyColumn = keyColumn;
    this.rows = rows;
    this.key = key;
  }

  /**
   * Rows of a SQL query on the store's database, such as {@code SELECT id, meter, wh FROM
   * electricity_readings}. The importer wraps it to read pages in key order ({@code SELECT * FROM
   * (query) src WHERE key > :after ORDER BY key LIMIT n}), so it resumes after a crash without
   * re-reading, and rows inserted meanwhile with higher keys are picked up. {@code keyColumn} must
   * be unique and never null (two rows sharing a key at a page boundary would lose the second):
   * {@link Importer#run} checks it before importing anything and refuses it otherwise.
   */
  public static ImportSource query(String name, String query, String keyColumn) {
    Objects.requireNonNull(query, "query");
    String column = Identifiers.column(keyColumn).toLowerCase(java.util.Locale.ROOT);
    return new ImportSource(name, query, column, null, row -> row.get(column));
  }

  /**
   * Rows of any iterable (a file reader, another database), which must come in ascending order
   * of {@code key}: numbers compare as numbers, other keys by their text. A resumed import reads
   * from the start again and skips keys up to its checkpoint.
   */
  public static ImportSource rows(String name, Iterable<Map<String, Object>> rows, Function<Map<String, Object>, Object> key) {
    return new ImportSource(name, null, null, Objects.requireNonNull(rows, "rows"), Objects.requireNonNull(key, "key"));
  }

  /** The import's name. */
  public String name() {
    return name;
  }

  /** The SQL query, for SQL sources. */
  public @Nullable String query() {
    return query;
  }

  /** The key column, for SQL sources. */
  public @Nullable String keyColumn() {
    return keyColumn;
  }

  /** The rows, for iterable sources. */
  public @Nullable Iterable<Map<String, Object>> rows() {
    return rows;
  }

  /**
   * The key of a row.
   *
   * @throws MigrationException if the row has none: the import reads in key order and needs one
   */
  public Object keyOf(Map<String, Object> row) {
    Object k = key.apply(row);
    if (k == null) {
      throw new MigrationException("a row of source '" + name + "' has no key"
          + (keyColumn == null ? "" : " (column '" + keyColumn + "' is null)") + "; every row needs a unique key");
    }
    return k;
  }

  @Override
  public String toString() {
    return "ImportSource[" + name + (query != null ? ", query on key " + keyColumn : ", rows") + "]";
  }
}
