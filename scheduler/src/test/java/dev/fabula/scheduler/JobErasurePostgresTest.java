package dev.fabula.scheduler;

import dev.fabula.testkit.postgres.PostgresExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job erasure contract on PostgreSQL: one database per class, fresh tables (a prefix) per test. */
class JobErasurePostgresTest extends JobErasureContract {
  @RegisterExtension
  static PostgresExtension postgres = new PostgresExtension();
  private static final AtomicInteger TESTS = new AtomicInteger();

  private final String prefix = "t" + TESTS.incrementAndGet() + "_";

  @Override
  protected String url() {
    return PostgresUrls.url(postgres.database());
  }

  @Override
  protected String tablePrefix() {
    return prefix;
  }
}
