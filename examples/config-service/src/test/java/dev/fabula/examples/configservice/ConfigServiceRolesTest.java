package dev.fabula.examples.configservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.fabula.testkit.postgres.ApplicationRoles;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The service under least privilege: the owner migrates, the application role sets, gets and reads history. */
class ConfigServiceRolesTest {
  @RegisterExtension static PostgresExtension pg = new PostgresExtension();

  @Test
  void runs_as_the_application_role_after_the_owner_migrates() {
    try (ApplicationRoles roles = ApplicationRoles.create(pg.database())) {
      Settings settings = Settings.DEFAULT.withPort(0);
      ConfigService.migrate(settings.withJdbcUrl(roles.ownerUrl()));
      roles.revokeEventChanges(settings.tablePrefix());

      try (ConfigService service = ConfigService.open(settings.withJdbcUrl(roles.appUrl()))) {
        service.set("db-url", TextNode.valueOf("jdbc:postgresql://db1/app"), Precondition.NONE, "alice");
        service.set("db-url", TextNode.valueOf("jdbc:postgresql://db2/app"), Precondition.atVersion(1), "bob");

        assertThat(service.get("db-url")).get().extracting(e -> e.value().asText()).isEqualTo("jdbc:postgresql://db2/app");
        assertThat(service.history("db-url")).extracting(ConfigService.Change::change).containsExactly("created", "updated");
        service.audit().awaitPosition(service.store().headPosition(), Duration.ofSeconds(20));
        assertThat(service.audit().entries()).extracting(AuditTrail.Entry::actor).containsExactly("alice", "bob");
      }
      roles.assertEventsCannotChange(settings.tablePrefix());
    }
  }
}
