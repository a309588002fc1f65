package dev.fabula.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExternalPostgresTest {

  @Test
  void credentials_in_the_url_are_moved_out_of_it() {
    ExternalPostgres server = ExternalPostgres.parse(
        "jdbc:postgresql://db.example:5433/admin?user=alice&password=p%26ss&sslmode=disable",
        "ignored", "ignored");

    assertThat(server.username()).isEqualTo("alice");
    assertThat(server.password()).isEqualTo("p&ss");
    assertThat(server.maintenanceDatabase()).isEqualTo("admin");
    assertThat(server.jdbcUrl("fabula_test_7"))
        .isEqualTo("jdbc:postgresql://db.example:5433/fabula_test_7?sslmode=disable");
  }

  @Test
  void environment_credentials_are_used_when_the_url_has_none() {
    ExternalPostgres server =
        ExternalPostgres.parse("jdbc:postgresql://localhost/", "bob", "secret");

    assertThat(server.username()).isEqualTo("bob");
    assertThat(server.password()).isEqualTo("secret");
    assertThat(server.maintenanceDatabase()).isEqualTo("postgres");
    assertThat(server.jdbcUrl("x")).isEqualTo("jdbc:postgresql://localhost/x");
  }

  @Test
  void the_user_defaults_to_postgres_without_password() {
    ExternalPostgres server = ExternalPostgres.parse("jdbc:postgresql://h1:1,h2:2", null, null);

    assertThat(server.username()).isEqualTo("postgres");
    assertThat(server.password()).isNull();
    assertThat(server.jdbcUrl("x")).isEqualTo("jdbc:postgresql://h1:1,h2:2/x");
  }

  @Test
  void a_url_of_another_database_is_rejected_without_showing_the_password() {
    assertThatThrownBy(() -> ExternalPostgres.parse("jdbc:mysql://h/db?password=top", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("top");
  }
}
