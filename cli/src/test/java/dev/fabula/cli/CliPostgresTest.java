package dev.fabula.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command line on PostgreSQL. */
class CliPostgresTest extends CliContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected String url() {
    return postgres.database().jdbcUrlWithCredentials();
  }

  @Test
  void migrate_with_row_level_security_applies_the_optional_policies() {
    String prefix = dev.fabula.testkit.contract.StoreContractSupport.uniqueTablePrefix();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = {"--url", url(), "--prefix", prefix, "migrate", "--row-level-security"};

    assertThat(Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)))
        .as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("snapshots v1", "row_level_security v2");
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withTablePrefix(prefix).withRowLevelSecurity(true);
    try (JdbcEventStore store = JdbcEventStore.open(url(), EventStoreConfig.DEFAULT, jdbc)) {
      long policies = store.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_policies WHERE policyname LIKE :p")
          .bind("p", prefix.replace("_", "\\_") + "%").mapTo(Long.class).one());
      assertThat(policies).as("events, streams, snapshots, keys, erasures, removals, archived events and streams").isEqualTo(8);
    }
  }
}
