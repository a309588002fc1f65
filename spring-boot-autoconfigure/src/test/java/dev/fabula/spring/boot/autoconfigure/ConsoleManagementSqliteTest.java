package dev.fabula.spring.boot.autoconfigure;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The console on the management port, on SQLite. */
class ConsoleManagementSqliteTest extends ConsoleManagementContract {
  @DynamicPropertySource
  static void sqlite(DynamicPropertyRegistry registry) {
    SpringStarterSqliteTest.sqliteDataSource(registry, "console");
  }
}
