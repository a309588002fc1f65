package dev.fabula.spring.boot.autoconfigure;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Fabula's checks in Actuator, on SQLite. */
class ActuatorHealthSqliteTest extends ActuatorHealthContract {
  @DynamicPropertySource
  static void sqlite(DynamicPropertyRegistry registry) {
    SpringStarterSqliteTest.sqliteDataSource(registry, "health");
  }
}
