package dev.fabula.testkit.postgres;

import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Connection coordinates of one PostgreSQL database, usually created by
 * {@link PostgresServer#createDatabase()}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks the password.
 *
 * @param jdbcUrl JDBC URL of the database, without credentials
 * @param username user name to connect with
 * @param password password to connect with, or {@code null} when the server needs none
 * @param databaseName name of the database on the server
 */
public record PostgresDatabase(
    String jdbcUrl, String username, @Nullable String password, String databaseName) {

  /**
   * Checks that the URL, user name and database name are present.
   *
   * @param jdbcUrl JDBC URL of the database, without credentials
   * @param username user name to connect with
   * @param password password to connect with, or {@code null} when the server needs none
   * @param databaseName name of the database on the server
   * @throws NullPointerException if {@code jdbcUrl}, {@code username} or {@code databaseName} is
   *     null
   */
  public PostgresDatabase {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(databaseName, "databaseName");
  }

  /**
   * Returns a new non-pooling {@link DataSource} for this database: every {@code getConnection()}
   * opens a new physical connection. Wrap it in a pool when connections are opened often.
   *
   * <p>Each call returns a new instance; the instance may be shared between threads.
   *
   * @return a data source connecting as {@link #username()}
   */
  public DataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(jdbcUrl);
    dataSource.setUser(username);
    if (password != null) {
      dataSource.setPassword(password);
    }
    return dataSource;
  }

  /**
   * Returns a description with the password masked.
   *
   * @return the URL, user name and database name
   */
  @Override
  public String toString() {
    return "PostgresDatabase[jdbcUrl=" + jdbcUrl + ", username=" + username
        + ", password=" + (password == null ? "null" : "***") + ", databaseName=" + databaseName
        + "]";
  }

  /**
   * Returns the JDBC URL with the credentials as URL parameters, for APIs that take only a URL
   * (such as {@code EventStore.open(url)}).
   *
   * @return the URL with {@code user} and, if any, {@code password} parameters
   */
  public String jdbcUrlWithCredentials() {
    String url = jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "user="
        + java.net.URLEncoder.encode(username, java.nio.charset.StandardCharsets.UTF_8);
    return password == null
        ? url
        : url + "&password=" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
  }
}
