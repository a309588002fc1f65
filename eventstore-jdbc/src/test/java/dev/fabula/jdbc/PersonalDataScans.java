package dev.fabula.jdbc;

import dev.fabula.EventStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Direct SQL on a store's tables for the personal data contract: what the tables hold, and the
 * tampering an attacker with write access could do. Plain JDBC, not the store.
 */
final class PersonalDataScans {
  private final String url;
  private final boolean postgres;
  private final Map<EventStore, String> prefixes = new IdentityHashMap<>();

  PersonalDataScans(String url) {
    this.url = url;
    this.postgres = url.startsWith("jdbc:postgresql");
  }

  synchronized EventStore track(EventStore store, String prefix) {
    prefixes.put(store, prefix);
    return store;
  }

  private synchronized String prefix(EventStore store) {
    String p = prefixes.get(store);
    if (p == null) {
      throw new IllegalArgumentException("not a root store this test opened: " + store);
    }
    return p;
  }

  List<String> storedText(EventStore store) {
    String p = prefix(store);
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT " + (postgres ? "payload::text" : "payload") + ", metadata FROM " + p + "events ORDER BY position")) {
        while (rs.next()) {
          out.add(rs.getString(1));
          out.add(rs.getString(2));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT tenant_id, subject_id, version, key_id, key_bytes FROM " + p + "personal_data_keys")) {
        while (rs.next()) {
          out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3) + " " + rs.getString(4) + " "
              + HexFormat.of().formatHex(rs.getBytes(5)));
        }
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  int keyVersions(EventStore store, @Nullable String tenant, String subject) {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + prefix(store) + "personal_data_keys WHERE tenant_id = ? AND subject_id = ?")) {
      s.setString(1, tenant == null ? "" : tenant);
      s.setString(2, subject);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Overwrites one stored payload with another, past the append-only trigger, as an attacker would. */
  void copyStoredPayload(EventStore store, long from, long to) {
    String p = prefix(store);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      String copy = "UPDATE " + p + "events SET payload = (SELECT payload FROM " + p + "events WHERE position = " + from
          + ") WHERE position = " + to;
      if (postgres) {
        s.execute("ALTER TABLE " + p + "events DISABLE TRIGGER " + p + "events_no_update_or_delete");
        s.execute(copy);
        s.execute("ALTER TABLE " + p + "events ENABLE TRIGGER " + p + "events_no_update_or_delete");
      } else {
        s.execute("DROP TRIGGER IF EXISTS " + p + "events_no_update");
        s.execute(copy);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
