package dev.fabula.examples.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A database the benchmarks run against, with the raw-JDBC connection settings matching what the
 * library configures for users.
 *
 * @param prefix the result name prefix ({@code pg} or {@code sqlite})
 * @param url the JDBC URL, with credentials for PostgreSQL
 * @param settings a description of the durability settings, printed with the results
 */
record Backend(String prefix, String url, String settings) {

  boolean isPostgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  /** A raw connection configured as the library configures its pool. */
  Connection connect() throws SQLException {
    Properties p = new Properties();
    if (isPostgres()) {
      p.setProperty("reWriteBatchedInserts", "true");
    } else {
      p.setProperty("journal_mode", "WAL");
      p.setProperty("synchronous", "FULL");
      p.setProperty("busy_timeout", "10000");
      p.setProperty("transaction_mode", "IMMEDIATE");
    }
    return DriverManager.getConnection(url, p);
  }
}
