package dev.fabula.jdbc;

import dev.fabula.EventStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Direct SQL on a store's tables for the retention contract: the versions a table holds. Plain JDBC, not the store. */
final class RetentionScans {
  private final String url;
  private final Map<EventStore, String> prefixes = new IdentityHashMap<>();

  RetentionScans(String url) {
    this.url = url;
  }

  synchronized EventStore track(EventStore store, String prefix) {
    prefixes.put(store, prefix);
    return store;
  }

  synchronized List<Long> versions(EventStore store, String table, String tenantKey, String streamId) {
    String prefix = prefixes.get(store);
    List<Long> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement s = c.prepareStatement("SELECT stream_version FROM " + prefix + table
            + " WHERE tenant_id = ? AND stream_id = ? ORDER BY stream_version")) {
      s.setString(1, tenantKey);
      s.setString(2, streamId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new AssertionError("cannot scan " + prefix + table + ": " + e.getMessage(), e);
    }
    return out;
  }
}
