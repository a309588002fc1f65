package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter on the testkit's embedded PostgreSQL, a fresh database. */
class SpringStarterPostgresTest extends SpringStarterContract {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    PostgresDatabase db = PostgresServer.shared().createDatabase();
    registry.add("spring.datasource.url", db::jdbcUrl);
    registry.add("spring.datasource.username", db::username);
    registry.add("spring.datasource.password", () -> db.password() == null ? "" : db.password());
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "6");
  }
}
