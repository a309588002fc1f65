package dev.fabula.testkit.postgres;

import org.jspecify.annotations.Nullable;

/**
 * One running (or externally provided) PostgreSQL server behind a {@link PostgresServer}.
 *
 * <p>Implementations are immutable after start; {@link #close()} may be called once, from the
 * shutdown hook.
 */
interface PostgresBackend extends AutoCloseable {

  /** Returns the JDBC URL, without credentials, of the named database on this server. */
  String jdbcUrl(String databaseName);

  /** Returns the user name with the right to create and drop databases. */
  String username();

  /** Returns the password of {@link #username()}, or {@code null} when none is needed. */
  @Nullable String password();

  /** Returns the database to connect to for administrative statements. */
  String maintenanceDatabase();

  /** Returns a short human-readable description for logging, without secrets. */
  String description();

  /** Stops the server (if this backend started it) and releases its files; never throws. */
  @Override
  void close();
}
