package dev.fabula.examples.energy;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jdbi.v3.core.Jdbi;

/**
 * The rows of one user in a legacy table, read page by page in {@code id} order with bound
 * parameters: the importer's source for one user's import. (The migration module's SQL source takes
 * no parameters, and an import writes into one tenant: so each user gets an import of their own.)
 */
final class KeysetRows implements Iterable<Map<String, Object>> {
  private static final int PAGE = 500;

  private final Jdbi jdbi;
  private final String select;
  private final String userId;

  /**
   * @param select a query with {@code :user}, {@code :after} and {@code :limit}, ordered by {@code id}
   */
  KeysetRows(Jdbi jdbi, String select, String userId) {
    this.jdbi = jdbi;
    this.select = select;
    this.userId = userId;
  }

  @Override
  public Iterator<Map<String, Object>> iterator() {
    return new Iterator<>() {
      private List<Map<String, Object>> page = List.of();
      private int next;
      private long after = Long.MIN_VALUE;
      private boolean exhausted;

      @Override
      public boolean hasNext() {
        if (next < page.size()) {
          return true;
        }
        if (exhausted) {
          return false;
        }
        page = jdbi.withHandle(h -> h.createQuery(select).bind("user", userId).bind("after", after).bind("limit", PAGE)
            .mapToMap().list());
        next = 0;
        exhausted = page.size() < PAGE;
        if (!page.isEmpty()) {
          after = ((Number) page.get(page.size() - 1).get("id")).longValue();
        }
        return !page.isEmpty();
      }

      @Override
      public Map<String, Object> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.get(next++);
      }
    };
  }
}
