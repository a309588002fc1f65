package dev.fabula.spring.boot.autoconfigure;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Fabula's checks in Actuator, on the testkit's embedded PostgreSQL. */
class ActuatorHealthPostgresTest extends ActuatorHealthContract {
  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    SpringStarterPostgresTest.postgres(registry);
  }
}
