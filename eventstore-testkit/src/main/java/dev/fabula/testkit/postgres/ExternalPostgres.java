package dev.fabula.testkit.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A server that is already running somewhere, named by a JDBC URL such as {@code
 * jdbc:postgresql://host:5432/postgres?user=u&password=p}.
 *
 * <p>Credentials are taken from the URL's {@code user} and {@code password} parameters, else from
 * the given fallbacks (environment variables), else the user defaults to {@code postgres}. They
 * are removed from the URL; other URL parameters are kept for every database. Immutable and
 * thread-safe; {@link #close()} does nothing since this class started nothing.
 */
final class ExternalPostgres implements PostgresBackend {

  private static final String PREFIX = "jdbc:postgresql://";

  private final String hosts;
  private final String maintenanceDatabase;
  private final String query;
  private final String username;
  private final @Nullable String password;

  private ExternalPostgres(
      String hosts, String maintenanceDatabase, String query, String username,
      @Nullable String password) {
    this.hosts = hosts;
    this.maintenanceDatabase = maintenanceDatabase;
    this.query = query;
    this.username = username;
    this.password = password;
  }

  /**
   * Parses a {@code jdbc:postgresql://hosts[/database][?params]} URL.
   *
   * @param url the JDBC URL
   * @param fallbackUser user when the URL has none, may be null or blank
   * @param fallbackPassword password when the URL has none, may be null or empty
   * @throws IllegalArgumentException if the URL is not a {@code jdbc:postgresql://} URL
   */
  static ExternalPostgres parse(
      String url, @Nullable String fallbackUser, @Nullable String fallbackPassword) {
    String trimmed = url.trim();
    if (!trimmed.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "Expected a jdbc:postgresql://host[:port][/database][?params] URL but got: "
              + redact(trimmed));
    }
    String rest = trimmed.substring(PREFIX.length());
    String params = "";
    int questionMark = rest.indexOf('?');
    if (questionMark >= 0) {
      params = rest.substring(questionMark + 1);
      rest = rest.substring(0, questionMark);
    }
    int slash = rest.indexOf('/');
    String hosts = slash >= 0 ? rest.substring(0, slash) : rest;
    String database = slash >= 0 ? rest.substring(slash + 1) : "";
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("No host in JDBC URL: " + redact(trimmed));
    }
    String user = null;
    String pass = null;
    List<String> kept = new ArrayList<>();
    for (String pair : params.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq >= 0 ? pair.substring(0, eq) : pair;
      String value = eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
      if (key.equals("user")) {
        user = value;
      } else if (key.equals("password")) {
        pass = value;
      } else {
        kept.add(pair);
      }
    }
    if (user == null || user.isBlank()) {
      user = fallbackUser == null || fallbackUser.isBlank() ? "postgres" : fallbackUser;
    }
    if (pass == null && fallbackPassword != null && !fallbackPassword.isEmpty()) {
      pass = fallbackPassword;
    }
    return new ExternalPostgres(
        hosts,
        database.isEmpty() ? "postgres" : URLDecoder.decode(database, StandardCharsets.UTF_8),
        String.join("&", kept),
        user,
        pass);
  }

  /** Removes the values of {@code password} parameters from a URL, for error messages. */
  static String redact(String url) {
    return dev.fabula.internal.Secrets.mask(url);
  }

  @Override
  public String jdbcUrl(String databaseName) {
    return PREFIX + hosts + "/" + databaseName + (query.isEmpty() ? "" : "?" + query);
  }

  @Override
  public String username() {
    return username;
  }

  @Override
  public @Nullable String password() {
    return password;
  }

  @Override
  public String maintenanceDatabase() {
    return maintenanceDatabase;
  }

  @Override
  public String description() {
    return "external server " + jdbcUrl(maintenanceDatabase) + " as user " + username;
  }

  @Override
  public void close() {
    // Not started by us, nothing to stop.
  }
}
