package dev.fabula.spring.boot.test.autoconfigure;

/** {@link FabulaTest} on its default database, a fresh SQLite file. */
@FabulaTest(properties = {"fabula.projections.poll-interval=100ms", "fabula.scheduler.poll-interval=100ms",
    "spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:slice-test-schema.sql"})
class FabulaTestSqliteTest extends FabulaTestContract {
  @Override
  String expectedUrlPrefix() {
    return "jdbc:sqlite:";
  }
}
