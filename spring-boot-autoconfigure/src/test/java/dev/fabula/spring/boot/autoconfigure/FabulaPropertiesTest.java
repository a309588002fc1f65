package dev.fabula.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.SchemaNotMigratedException;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.testkit.contract.PersonalDataFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * {@code fabula.*} properties reach the library's configuration records; a value the library
 * refuses fails start-up naming the property; an application's own bean of a type wins over the
 * auto-configured one. No worker or runner starts here ({@code enabled=false}), so each context is
 * quick.
 */
class FabulaPropertiesTest {
  @TempDir Path dir;

  ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FabulaAutoConfiguration.class, FabulaProjectionsAutoConfiguration.class,
            FabulaSchedulerAutoConfiguration.class))
        .withBean(DataSource.class, this::sqlite)
        .withPropertyValues("fabula.jdbc.migrate-on-open=true", "fabula.projections.enabled=false",
            "fabula.scheduler.enabled=false");
  }

  private DataSource sqlite() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.setBusyTimeout(10_000);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + dir.resolve("props.db"));
    return dataSource;
  }

  @Test
  void properties_reach_the_store_runner_and_queue_configuration() {
    runner().withPropertyValues(
            "fabula.jdbc.table-prefix=shop_",
            "fabula.jdbc.retry-window=5s",
            "fabula.store.max-payload-bytes=4096",
            "fabula.projections.poll-interval=250ms",
            "fabula.projections.max-backoff=7s",
            "fabula.scheduler.shutdown-timeout=12s",
            "fabula.scheduler.lease-duration=45s")
        .run(context -> {
          assertThat(context).hasNotFailed();
          JdbcEventStore store = context.getBean(JdbcEventStore.class);
          assertThat(store.jdbcConfig().tablePrefix()).isEqualTo("shop_");
          assertThat(store.jdbcConfig().migrateOnOpen()).isTrue();
          assertThat(store.jdbcConfig().timeouts().retryWindow()).isEqualTo(Duration.ofSeconds(5));
          assertThat(store.config().maxPayloadBytes()).isEqualTo(4096);
          RunnerConfig runner = context.getBean(RunnerConfig.class);
          assertThat(runner.pollInterval()).isEqualTo(Duration.ofMillis(250));
          assertThat(runner.maxBackoff()).isEqualTo(Duration.ofSeconds(7));
          assertThat(runner.initialBackoff()).isEqualTo(RunnerConfig.DEFAULT.initialBackoff());
          JobQueueConfig queue = context.getBean(JobQueueConfig.class);
          assertThat(queue.shutdownTimeout()).isEqualTo(Duration.ofSeconds(12));
          assertThat(queue.leaseDuration()).isEqualTo(Duration.ofSeconds(45));
        });
  }

  @Test
  void migrate_on_open_is_off_unless_configured() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FabulaAutoConfiguration.class))
        .withBean(DataSource.class, this::sqlite)
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(SchemaNotMigratedException.class);
        });
  }

  @Test
  void a_bad_table_prefix_fails_start_up_naming_the_property() {
    runner().withPropertyValues("fabula.jdbc.table-prefix=Shop-Tables").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(InvalidConfigurationPropertyValueException.class)
          .hasMessageContaining("fabula.jdbc.table-prefix")
          .hasMessageContaining("Shop-Tables");
    });
  }

  @Test
  void a_bad_duration_fails_start_up_naming_the_property() {
    runner().withPropertyValues("fabula.scheduler.poll-interval=-1s").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(InvalidConfigurationPropertyValueException.class)
          .hasMessageContaining("fabula.scheduler.poll-interval");
    });
  }

  @Test
  void zero_workers_fail_start_up_naming_the_property() {
    runner().withPropertyValues("fabula.scheduler.enabled=true", "fabula.scheduler.workers=0").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("fabula.scheduler.workers");
    });
  }

  @Test
  void the_applications_own_configuration_bean_wins() {
    runner().withBean(JdbcConfig.class, () -> JdbcConfig.DEFAULT.withTablePrefix("mine_").withMigrateOnOpen(true))
        .withPropertyValues("fabula.jdbc.table-prefix=ignored_")
        .run(context -> assertThat(context.getBean(JdbcEventStore.class).jdbcConfig().tablePrefix()).isEqualTo("mine_"));
  }

  @Test
  void an_applications_personal_data_policy_bean_encrypts_the_personal_fields_it_names() {
    runner().withBean(EventTypes.class, () -> PersonalDataFixtures.TYPES)
        .withBean(PersonalDataPolicy.class, () -> PersonalDataFixtures.POLICY)
        .run(context -> {
          assertThat(context.getBean(EventStoreConfig.class).personalData()).isSameAs(PersonalDataFixtures.POLICY);
          JdbcEventStore store = context.getBean(JdbcEventStore.class);
          store.append("customer-c1", ExpectedVersion.noStream(), List.of(EventData.of(
              new PersonalDataFixtures.CustomerRegistered("c1", "ada@example.com", null, 1))));
          String stored = store.jdbi().withHandle(h -> h.createQuery(
              "SELECT payload FROM " + store.jdbcConfig().tablePrefix() + "events").mapTo(String.class).one());
          assertThat(stored).doesNotContain("ada@example.com");
          assertThat(store.readStream("customer-c1").get(0).payload().get("email").asText()).isEqualTo("ada@example.com");
        });
  }

  @Test
  void without_a_personal_data_policy_bean_the_store_has_no_policy() {
    runner().run(context -> assertThat(context.getBean(EventStoreConfig.class).personalData()).isSameAs(PersonalDataPolicy.NONE));
  }

  @Test
  void a_bad_console_base_path_fails_start_up_naming_the_property() {
    runner().withConfiguration(AutoConfigurations.of(FabulaConsoleAutoConfiguration.class))
        .withPropertyValues("fabula.console.enabled=true", "fabula.console.base-path=console/").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .isInstanceOf(InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("fabula.console.base-path");
        });
  }

  @Test
  void the_console_is_off_unless_enabled() {
    runner().withConfiguration(AutoConfigurations.of(FabulaConsoleAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(dev.fabula.console.Console.class));
  }
}
