package dev.fabula.migration.internal;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.ImportSource;
import dev.fabula.migration.MigrationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.HandleCallback;
import org.jspecify.annotations.Nullable;

/**
 * Reads an import's source page by page in ascending key order, after a given key: a SQL source
 * with {@code WHERE key > :after ORDER BY key LIMIT n}, an iterable by skipping what was done.
 *
 * <p>Reading after the last key done is only complete when every row has a key and no two rows
 * share one (two rows with the key at a page boundary would lose the second). So {@link
 * #checkKeys} refuses a SQL source with a null or repeated key before anything is imported, and
 * every page is checked again as it is read (strictly ascending, no null), which also catches an
 * iterable that breaks the rule. Not thread-safe: one per run.
 */
public final class SourceReader {
  private final JdbcEventStore store;
  private final ComponentDatabase sql;
  private final ImportSource source;
  private final int pageSize;
  private final @Nullable Iterator<Map<String, Object>> rows;

  /** A reader of {@code source} in pages of {@code pageSize}, starting a fresh iteration of an iterable. */
  public SourceReader(JdbcEventStore store, ComponentDatabase sql, ImportSource source, int pageSize) {
    this.store = store;
    this.sql = sql;
    this.source = source;
    this.pageSize = pageSize;
    this.rows = source.rows() == null ? null : source.rows().iterator();
  }

  /** How many rows the source has, or -1 when an iterable cannot tell. */
  public long count() {
    if (source.query() == null) {
      return source.rows() instanceof Collection<?> c ? c.size() : -1;
    }
    String count = sql.sql("import_count", Map.of("source_query", source.query()));
    return read(h -> h.createQuery(count).mapTo(Long.class).one());
  }

  /**
   * Refuses a SQL source whose key column has a null or a repeated value, before anything is
   * imported (an iterable is checked as it is read).
   *
   * @throws MigrationException naming the problem and a repeated key
   */
  public void checkKeys() {
    if (source.query() == null) {
      return;
    }
    String check = sql.sql("import_key_check", placeholders());
    Object[] found = read(h -> h.createQuery(check).map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getObject(2)}).one());
    long nulls = (Long) found[0];
    if (nulls > 0) {
      throw new MigrationException("source '" + source.name() + "' has " + nulls + " row(s) whose key column '"
          + source.keyColumn() + "' is null; the import reads in key order and needs a key on every row: "
          + "choose a column that is never null (or filter those rows out of the query)");
    }
    if (found[1] != null) {
      throw new MigrationException("source '" + source.name() + "' has more than one row with key "
          + Keys.text(found[1]) + " in column '" + source.keyColumn() + "'; the import reads in key order after the "
          + "last key done and would skip rows that share a key: choose a unique column (such as the table's "
          + "primary key or an audit log's own id)");
    }
  }

  /**
   * The next page: up to the page size of rows whose key is greater than {@code after} (null: from
   * the start), in ascending key order; empty at the end.
   *
   * @throws MigrationException if the source cannot be read, a row has no key, or keys are out of
   *     order or repeated
   */
  public List<Map<String, Object>> next(@Nullable Object after) {
    List<Map<String, Object>> page = rows == null ? query(after) : iterate(rows, after);
    Object previous = after;
    for (Map<String, Object> row : page) {
      Object key = source.keyOf(row);
      if (previous != null && Keys.compare(key, previous) <= 0) {
        throw new MigrationException("source '" + source.name() + "' gave key " + Keys.text(key) + " after "
            + Keys.text(previous) + "; rows must come in ascending key order, each key once");
      }
      previous = key;
    }
    return page;
  }

  private List<Map<String, Object>> query(@Nullable Object after) {
    String statement = sql.sql(after == null ? "import_page_first" : "import_page_after", placeholders());
    return read(h -> {
      var query = h.createQuery(statement).bind("limit", pageSize);
      if (after != null) {
        query.bindByType("after", after, after.getClass());
      }
      return query.mapToMap().list();
    });
  }

  private List<Map<String, Object>> iterate(Iterator<Map<String, Object>> rows, @Nullable Object after) {
    List<Map<String, Object>> page = new ArrayList<>();
    while (page.size() < pageSize && rows.hasNext()) {
      Map<String, Object> row = rows.next();
      if (after != null && Keys.compare(source.keyOf(row), after) <= 0) {
        continue; // done before the resume
      }
      page.add(row);
    }
    return page;
  }

  private Map<String, String> placeholders() {
    return Map.of("source_query", Objects.requireNonNull(source.query()),
        "key_column", Objects.requireNonNull(source.keyColumn()));
  }

  private <T> T read(HandleCallback<T, RuntimeException> work) {
    try {
      return store.jdbi().withHandle(work);
    } catch (MigrationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MigrationException("cannot read source '" + source.name() + "' (" + e.getMessage()
          + "); check the query and that its key column '" + source.keyColumn() + "' is in its select list", e);
    }
  }
}
