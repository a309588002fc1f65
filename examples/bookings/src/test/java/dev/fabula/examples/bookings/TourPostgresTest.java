package dev.fabula.examples.bookings;

import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tour on an empty PostgreSQL database, as {@code Main} runs it with a URL argument. */
class TourPostgresTest {
  @RegisterExtension static PostgresExtension pg = new PostgresExtension();

  @Test
  void tells_the_story_on_postgres() {
    TourTest.assertStory(TourTest.run(pg.database().jdbcUrlWithCredentials()));
  }
}
