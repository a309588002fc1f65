package dev.fabula.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.Erasure;
import dev.fabula.EventStoreConfig;
import dev.fabula.console.AuditEntry;
import dev.fabula.console.ConsoleAction;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Erasing a stream blanks the console audit entries that name it, in its tenant only. */
class ConsoleErasureSqliteTest {
  @TempDir Path dir;

  @Test
  void erasing_a_stream_blanks_the_audit_targets_that_name_it_and_only_those() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("c.db"), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true))) {
      AuditLog audit = new AuditLog(store);
      audit.record("ops", ConsoleAction.RETRY_PARKED, "projection p-1 stream acme/customer-ada@example.com", null, "ok");
      audit.record("ops", ConsoleAction.RETRY_PARKED, "projection p-1 stream globex/customer-ada@example.com", null, "ok");
      audit.record("ops", ConsoleAction.RETRY_PARKED, "projection p-1 stream acme/customer-ada@example.com2", null, "ok");

      assertThat(store.forTenant("acme").erase(Erasure.stream("customer-ada@example.com").by("ops")).counts())
          .containsEntry("console", 1L);

      assertThat(audit.page(0, 10, null)).extracting(AuditEntry::target).containsExactlyInAnyOrder(
          "projection p-1 stream globex/customer-ada@example.com", "projection p-1 stream acme/customer-ada@example.com2",
          ConsoleErasure.REDACTED);
    }
  }
}
