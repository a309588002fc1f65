package dev.fabula.spring.boot.test.autoconfigure;

/** The database of a {@link FabulaTest} ({@code fabula.test.database}). */
public enum FabulaTestDatabase {
  /** A fresh SQLite file in a temporary directory, with the connection options the store needs. */
  SQLITE,
  /** A fresh database of the testkit's embedded PostgreSQL server (shared by the test JVM); needs {@code fabula-testkit}. */
  POSTGRES,
  /** The application's own data source ({@code spring.datasource.*}): nothing is replaced. */
  APPLICATION
}
