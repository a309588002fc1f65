package dev.fabula.spring.boot.autoconfigure;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The console on the management port, on the testkit's embedded PostgreSQL. */
class ConsoleManagementPostgresTest extends ConsoleManagementContract {
  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    SpringStarterPostgresTest.postgres(registry);
  }
}
