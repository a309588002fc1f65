package dev.fabula.spring.boot.test.autoconfigure;

/** {@link FabulaTest} on a fresh database of the testkit's embedded PostgreSQL. */
@FabulaTest(database = FabulaTestDatabase.POSTGRES, properties = {"fabula.projections.poll-interval=100ms",
    "fabula.scheduler.poll-interval=100ms", "spring.sql.init.mode=always",
    "spring.sql.init.schema-locations=classpath:slice-test-schema.sql"})
class FabulaTestPostgresTest extends FabulaTestContract {
  @Override
  String expectedUrlPrefix() {
    return "jdbc:postgresql:";
  }
}
