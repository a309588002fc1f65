package dev.fabula.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.testkit.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Waiting for notifications without the driver's peek after each one: on the driver this build
 * uses, the internals it needs are there (an upgrade that moves them fails here, not silently in
 * every listener's latency); a notification ends the wait, nothing pending lets it time out, and
 * the stream's own state is put back after every call.
 */
class PgNotificationWaitTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Test
  void the_drivers_internals_it_needs_are_there() {
    assertThat(PgNotificationWait.available())
        .as("PgNotificationWait reaches QueryExecutorBase.pgStream and PGStream.nextStreamAvailableCheckTime of this "
            + "driver version; if the driver moved them, listeners wake a millisecond late: adapt PgNotificationWait")
        .isTrue();
  }

  @Test
  void a_notification_ends_the_wait_and_the_stream_keeps_its_own_state() throws Exception {
    String url = postgres.database().jdbcUrlWithCredentials();
    try (Connection listener = DriverManager.getConnection(url); Connection sender = DriverManager.getConnection(url)) {
      try (Statement s = listener.createStatement()) {
        s.execute("LISTEN wait_test");
      }
      long own = PgNotificationWait.nextPeek(listener);
      assertThat(PgNotificationWait.await(listener, 50)).as("nothing sent yet").isFalse();
      try (Statement s = sender.createStatement()) {
        s.execute("SELECT pg_notify('wait_test', '1'), pg_notify('wait_test', '2'), pg_notify('wait_test', '3')");
      }
      assertThat(PgNotificationWait.await(listener, 30_000)).isTrue();
      assertThat(PgNotificationWait.nextPeek(listener)).isEqualTo(own);
      while (PgNotificationWait.await(listener, 50)) {
        // the rest of the three, if they came in more than one read; then the wait times out
      }
      try (Statement s = sender.createStatement()) {
        s.execute("SELECT pg_notify('wait_test', '4')");
      }
      assertThat(PgNotificationWait.await(listener, 30_000)).as("a later one wakes the next wait").isTrue();
      assertThat(PgNotificationWait.nextPeek(listener)).isEqualTo(own);
      try (Statement s = listener.createStatement()) {
        s.execute("SELECT 1"); // the connection still works as a plain connection afterwards
      }
    }
  }
}
