package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The JDBC settings: defaults, withers, and validation that quotes the bad value. */
class JdbcConfigTest {

  @Test
  void defaults_are_the_fabula_prefix_the_connections_schema_ten_connections_a_30_s_wait_and_no_migration_on_open_or_row_level_security() {
    assertThat(JdbcConfig.DEFAULT).isEqualTo(new JdbcConfig("fabula_", null, 10, Duration.ofSeconds(30), false, false));
  }

  @Test
  void withers_change_one_setting_and_leave_the_original_alone() {
    JdbcConfig changed = JdbcConfig.DEFAULT.withTablePrefix("billing_").withSchema("events").withMaxPoolSize(3)
        .withConnectionTimeout(Duration.ofSeconds(2)).withMigrateOnOpen(true).withRowLevelSecurity(true);
    assertThat(changed).isEqualTo(new JdbcConfig("billing_", "events", 3, Duration.ofSeconds(2), true, true));
    assertThat(changed.withRowLevelSecurity(false).rowLevelSecurity()).isFalse();
    assertThat(changed.withMigrateOnOpen(false).migrateOnOpen()).isFalse();
    assertThat(changed.withSchema(null).schema()).isNull();
    assertThat(JdbcConfig.DEFAULT.tablePrefix()).isEqualTo(JdbcConfig.DEFAULT_TABLE_PREFIX);
  }

  @Test
  void rejects_a_bad_table_prefix_and_quotes_it() {
    assertThatThrownBy(() -> JdbcConfig.DEFAULT.withTablePrefix("Billing-"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("table prefix 'Billing-' is invalid");
    assertThatThrownBy(() -> JdbcConfig.DEFAULT.withTablePrefix("a234567890123456789012"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'a234567890123456789012'");
  }

  @Test
  void rejects_a_bad_schema_and_quotes_it() {
    assertThatThrownBy(() -> JdbcConfig.DEFAULT.withSchema("public; drop"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("schema 'public; drop' is invalid");
  }

  @Test
  void rejects_a_pool_of_no_connections() {
    assertThatThrownBy(() -> JdbcConfig.DEFAULT.withMaxPoolSize(0))
        .isInstanceOf(InvalidInputException.class).hasMessage("maxPoolSize must be 1 or more but was 0");
  }

  @Test
  void rejects_a_connection_timeout_below_the_pools_minimum_instead_of_correcting_it() {
    assertThatThrownBy(() -> JdbcConfig.DEFAULT.withConnectionTimeout(Duration.ofMillis(100)))
        .isInstanceOf(InvalidInputException.class).hasMessage("connectionTimeout must be 250 ms or more but was PT0.1S");
    assertThatThrownBy(() -> JdbcConfig.DEFAULT.withConnectionTimeout(null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("was null");
  }

  @Test
  void timeouts_default_to_a_minute_per_statement_ten_seconds_per_lock_and_a_thirty_second_retry_window() {
    JdbcConfig.Timeouts t = JdbcConfig.DEFAULT.timeouts();
    assertThat(t).isEqualTo(JdbcConfig.Timeouts.DEFAULT);
    assertThat(t.statementTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(t.lockTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(t.socketTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(t.tcpKeepAlive()).isTrue();
    assertThat(t.retryWindow()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void timeout_withers_change_one_value() {
    JdbcConfig changed = JdbcConfig.DEFAULT.withStatementTimeout(Duration.ofSeconds(5)).withLockTimeout(Duration.ZERO)
        .withSocketTimeout(Duration.ofSeconds(6)).withTcpKeepAlive(false).withRetryWindow(Duration.ofMinutes(2));
    assertThat(changed.timeouts()).isEqualTo(new JdbcConfig.Timeouts(
        Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(6), false, Duration.ofMinutes(2)));
    assertThat(changed.withTablePrefix("x_").timeouts()).isEqualTo(changed.timeouts());
  }

  @Test
  void rejects_timeouts_that_cannot_work_and_quotes_them() {
    assertThatThrownBy(() -> JdbcConfig.DEFAULT.withRetryWindow(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidInputException.class).hasMessage("retryWindow must be zero or more but was PT-1S");
    assertThatThrownBy(() -> JdbcConfig.DEFAULT.withSocketTimeout(Duration.ofSeconds(30)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("socketTimeout (PT30S) must be longer than statementTimeout (PT1M)");
    assertThatThrownBy(() -> JdbcConfig.DEFAULT.withSocketTimeout(Duration.ofMillis(90_500)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> JdbcConfig.DEFAULT.withStatementTimeout(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("statementTimeout (no limit)");
  }

  @Test
  void a_read_replica_is_a_postgresql_url_or_a_data_source_with_its_own_settings_and_no_row_level_security() {
    ReadReplica replica = ReadReplica.of("jdbc:postgresql://standby/app?user=app&password=secret")
        .withMaxPoolSize(3).withReplayTimeout(Duration.ofSeconds(2)).withMaxStaleness(Duration.ofMillis(50)).withStreamReads(true);
    JdbcConfig config = JdbcConfig.DEFAULT.withReadReplica(replica);
    assertThat(config.readReplica()).isEqualTo(replica);
    assertThat(config.withMaxPoolSize(4).readReplica()).as("kept by the other withers").isEqualTo(replica);
    assertThat(JdbcConfig.DEFAULT.readReplica()).isNull();
    assertThat(replica.toString()).doesNotContain("secret").contains("maxPoolSize=3");
    assertThatThrownBy(() -> ReadReplica.of("jdbc:sqlite:app.db"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a PostgreSQL JDBC URL");
    assertThatThrownBy(() -> replica.withReplayTimeout(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("replayTimeout must be positive but was PT0S");
    assertThatThrownBy(() -> replica.withMaxStaleness(Duration.ofMillis(-1)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("maxStaleness");
    assertThatThrownBy(() -> config.withRowLevelSecurity(true))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("row-level security");
  }

  @Test
  void a_read_replica_needs_postgresql() {
    String file = System.getProperty("java.io.tmpdir") + "/fabula-replica-" + System.nanoTime() + ".db";
    JdbcConfig config = TestStores.MIGRATING.withReadReplica(ReadReplica.of("jdbc:postgresql://localhost:1/none"));
    assertThatThrownBy(() -> JdbcEventStore.open("jdbc:sqlite:" + file, dev.fabula.EventStoreConfig.DEFAULT, config))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("read replicas need PostgreSQL");
    new java.io.File(file).delete();
  }
}
