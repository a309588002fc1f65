package dev.fabula.scheduler;

import dev.fabula.testkit.postgres.PostgresDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** JDBC URLs with credentials for the test kit's databases. */
final class PostgresUrls {
  private PostgresUrls() {}

  static String url(PostgresDatabase db) {
    String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + enc(db.username());
    return db.password() == null ? url : url + "&password=" + enc(db.password());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
