package dev.fabula.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter on SQLite, configured as docs/spring-boot.md shows. */
class SpringStarterSqliteTest extends SpringStarterContract {

  @DynamicPropertySource
  static void sqlite(DynamicPropertyRegistry registry) {
    sqliteDataSource(registry, "starter");
  }

  /** {@code spring.datasource.*} for a fresh SQLite file with the connection options the store needs. */
  static void sqliteDataSource(DynamicPropertyRegistry registry, String name) {
    Path dir;
    try {
      dir = Files.createTempDirectory("fabula-spring-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + dir.resolve(name + ".db"));
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
    registry.add("spring.datasource.hikari.data-source-properties.journal_mode", () -> "WAL");
    registry.add("spring.datasource.hikari.data-source-properties.synchronous", () -> "FULL");
    registry.add("spring.datasource.hikari.data-source-properties.busy_timeout", () -> "10000");
    registry.add("spring.datasource.hikari.data-source-properties.transaction_mode", () -> "IMMEDIATE");
    registry.add("spring.datasource.hikari.data-source-properties.foreign_keys", () -> "true");
  }
}
