package dev.fabula.examples.configservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void defaults_to_sqlite_under_target_on_port_8080() {
    Settings settings = Main.parse(new String[0]);
    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:sqlite:target/config-service.db");
    assertThat(settings.port()).isEqualTo(8080);
  }

  @Test
  void reads_the_port_and_the_first_non_option_argument_as_the_jdbc_url() {
    Settings settings = Main.parse(new String[] {"--port", "9090", "jdbc:postgresql://db/app?user=a", "--bench"});
    assertThat(settings.port()).isEqualTo(9090);
    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db/app?user=a");
  }

  @Test
  void refuses_bad_arguments_and_says_what_to_use() {
    assertThatThrownBy(() -> Main.parse(new String[] {"--port"})).hasMessage("--port needs a number, such as --port 8080");
    assertThatThrownBy(() -> Main.parse(new String[] {"--port", "x"}))
        .hasMessage("--port needs a number, such as --port 8080, not 'x'");
    assertThatThrownBy(() -> Main.parse(new String[] {"--verbose"}))
        .hasMessage("unknown option --verbose; use [--port N] [--bench] [jdbc-url]");
    assertThatThrownBy(() -> Main.parse(new String[] {"jdbc:sqlite:a.db", "jdbc:sqlite:b.db"}))
        .hasMessage("unexpected argument 'jdbc:sqlite:b.db'; use [--port N] [--bench] [jdbc-url]");
    assertThatThrownBy(() -> Main.parse(new String[] {"config.db"}))
        .hasMessage("the JDBC URL must start with 'jdbc:' but was 'config.db'");
  }
}
