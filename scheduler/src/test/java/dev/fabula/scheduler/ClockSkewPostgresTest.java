package dev.fabula.scheduler;

import dev.fabula.testkit.postgres.PostgresExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two pools with skewed clocks on one PostgreSQL database. */
class ClockSkewPostgresTest extends ClockSkewContract {
  @RegisterExtension
  static PostgresExtension postgres = new PostgresExtension();
  private static final AtomicInteger TESTS = new AtomicInteger();

  private final String prefix = "skew" + TESTS.incrementAndGet() + "_";

  @Override
  protected String url() {
    return PostgresUrls.url(postgres.database());
  }

  @Override
  protected String tablePrefix() {
    return prefix;
  }
}
