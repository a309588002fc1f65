package dev.fabula.projections;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The differences between two read models, for parity checks while migrating (version 1 against
 * version 2 of a projection, or an old system against a new one): rows missing from the actual
 * model, extra rows in it, and rows whose columns differ.
 *
 * <pre>{@code
 * ReadModelDiff diff = ReadModelDiff.compare(store.jdbi(),
 *     "SELECT id, customer, total FROM order_list_v1",
 *     "SELECT id, customer, total FROM order_list_v2", "id");
 * if (!diff.matches()) log.warn(diff.summary());
 * }</pre>
 *
 * <p>Both results are loaded into memory; compare large models slice by slice (a {@code WHERE} on
 * the key). Column names compare in lower case; numbers by value ({@code 2}, {@code 2.0} and
 * {@code 2L} are equal), booleans as 1 and 0 (SQLite has no boolean type), everything else with
 * {@code equals}.
 *
 * @param keyColumn the column that identifies a row in both models
 * @param missing rows of the expected model with no row of the same key in the actual one
 * @param extra rows of the actual model with no row of the same key in the expected one
 * @param different pairs of rows with the same key and some different column
 */
public record ReadModelDiff(
    String keyColumn, List<Map<String, @Nullable Object>> missing, List<Map<String, @Nullable Object>> extra,
    List<Difference> different) {

  /**
   * Two rows with the same key that differ.
   *
   * @param key the key
   * @param columns the names of the columns that differ
   * @param expected the expected row
   * @param actual the actual row
   */
  public record Difference(
      Object key, Set<String> columns, Map<String, @Nullable Object> expected, Map<String, @Nullable Object> actual) {}

  /** Copies the lists. */
  public ReadModelDiff {
    missing = List.copyOf(missing);
    extra = List.copyOf(extra);
    different = List.copyOf(different);
  }

  /**
   * Runs both queries on {@code jdbi} and compares their rows by {@code keyColumn}.
   *
   * @throws ProjectionException if a query has no column {@code keyColumn} or returns a key twice
   */
  public static ReadModelDiff compare(Jdbi jdbi, String expectedQuery, String actualQuery, String keyColumn) {
    String key = keyColumn.toLowerCase(java.util.Locale.ROOT);
    Map<Object, Map<String, @Nullable Object>> expected = load(jdbi, expectedQuery, key);
    Map<Object, Map<String, @Nullable Object>> actual = load(jdbi, actualQuery, key);
    List<Map<String, @Nullable Object>> missing = new ArrayList<>();
    List<Difference> different = new ArrayList<>();
    for (Map.Entry<Object, Map<String, @Nullable Object>> e : expected.entrySet()) {
      Map<String, @Nullable Object> other = actual.get(e.getKey());
      if (other == null) {
        missing.add(e.getValue());
        continue;
      }
      Set<String> columns = new LinkedHashSet<>(e.getValue().keySet());
      columns.addAll(other.keySet());
      Set<String> differing = new LinkedHashSet<>();
      for (String column : columns) {
        if (!e.getValue().containsKey(column) || !other.containsKey(column)
            || !Objects.equals(normalise(e.getValue().get(column)), normalise(other.get(column)))) {
          differing.add(column);
        }
      }
      if (!differing.isEmpty()) {
        different.add(new Difference(e.getKey(), Collections.unmodifiableSet(differing), e.getValue(), other));
      }
    }
    List<Map<String, @Nullable Object>> extra = new ArrayList<>();
    for (Map.Entry<Object, Map<String, @Nullable Object>> e : actual.entrySet()) {
      if (!expected.containsKey(e.getKey())) {
        extra.add(e.getValue());
      }
    }
    return new ReadModelDiff(keyColumn, missing, extra, different);
  }

  /** Whether the two models hold the same rows. */
  public boolean matches() {
    return missing.isEmpty() && extra.isEmpty() && different.isEmpty();
  }

  /** One line for a log: the counts and the first difference of each kind. */
  public String summary() {
    if (matches()) {
      return "read models match";
    }
    StringBuilder s = new StringBuilder()
        .append(missing.size()).append(" missing, ")
        .append(extra.size()).append(" extra, ")
        .append(different.size()).append(" different (key ").append(keyColumn).append(")");
    if (!missing.isEmpty()) {
      s.append("; first missing: ").append(missing.get(0));
    }
    if (!extra.isEmpty()) {
      s.append("; first extra: ").append(extra.get(0));
    }
    if (!different.isEmpty()) {
      Difference d = different.get(0);
      s.append("; first different: key ").append(d.key()).append(" columns ").append(d.columns())
          .append(": expected ").append(d.expected()).append(", actual ").append(d.actual());
    }
    return s.toString();
  }

  private static Map<Object, Map<String, @Nullable Object>> load(Jdbi jdbi, String query, String key) {
    Map<Object, Map<String, @Nullable Object>> rows = new TreeMap<>(ReadModelDiff::compareKeys);
    jdbi.useHandle(h -> h.createQuery(query).mapToMap().forEach(row -> {
      Map<String, @Nullable Object> copy = new LinkedHashMap<>();
      row.forEach((column, value) -> copy.put(column.toLowerCase(java.util.Locale.ROOT), value));
      if (!copy.containsKey(key)) {
        throw new ProjectionException("query has no column '" + key + "' to key rows by (columns: "
            + copy.keySet() + "): " + query);
      }
      Object k = normalise(copy.get(key));
      if (k == null) {
        throw new ProjectionException("a row has a null key '" + key + "': " + copy + " (query " + query + ")");
      }
      if (rows.put(k, Collections.unmodifiableMap(copy)) != null) {
        throw new ProjectionException("key '" + key + "' = " + k + " occurs twice in: " + query
            + "; compare on a unique column");
      }
    }));
    return rows;
  }

  private static int compareKeys(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y);
    }
    if (a instanceof BigDecimal) {
      return -1;
    }
    if (b instanceof BigDecimal) {
      return 1;
    }
    return a.toString().compareTo(b.toString());
  }

  /** Numbers by value, byte arrays by content, the rest as they are. */
  private static @Nullable Object normalise(@Nullable Object value) {
    if (value instanceof BigDecimal d) {
      return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }
    if ((value instanceof Double d && !Double.isFinite(d)) || (value instanceof Float f && !Float.isFinite(f))) {
      return value.toString();
    }
    if (value instanceof Number n) {
      return normalise(new BigDecimal(n.toString()));
    }
    if (value instanceof byte[] bytes) {
      return Arrays.toString(bytes);
    }
    if (value instanceof Boolean b) {
      return b ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    return value;
  }
}
