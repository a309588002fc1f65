package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A password in a URL never reaches an exception message or a log line, whatever form it takes. */
class SecretsPostgresTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  private static final String SECRET = "S3CRET";

  @Test
  void no_failed_open_shows_the_password_in_its_messages_or_the_log() {
    PostgresDatabase db = postgres.database();
    String server = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
    String database = db.jdbcUrl().replaceFirst("^.*/", "").replaceFirst("\\?.*$", "");
    List<String> urls = List.of(
        "postgres://app:" + SECRET + "@db:5432/app",
        "postgresql://app:" + SECRET + "@" + server + "/" + database,
        "jdbc:postgresql://app:" + SECRET + "@" + server + "/" + database,
        "jdbc:postgresql://" + server + "/" + database + "?user=nobody&password=" + SECRET,
        "jdbc:postgresql://" + server + "/" + database + "?user=nobody&PASSWORD=" + SECRET,
        "jdbc:postgresql://localhost:1/" + database + "?user=app&password=" + SECRET + "&sslpassword=" + SECRET,
        "jdbc:postgresql://" + server + "/" + database + "?user=" + db.username() + "&sslmode=require&sslpassword=" + SECRET,
        "jdbc:nosuchdb://db/app;user=app;Password=" + SECRET);
    List<String> failures = new ArrayList<>();
    String log = capturingStandardError(() -> {
      for (String url : urls) {
        Throwable jdbc = catchThrowable(() -> JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT).close());
        Throwable any = catchThrowable(() -> EventStore.open(url, EventStoreConfig.DEFAULT).close());
        for (Throwable t : new Throwable[] {jdbc, any}) {
          assertThat(t).as(url).isInstanceOf(EventStoreException.class);
          for (Throwable c = t; c != null; c = c.getCause()) {
            failures.add(c.getClass().getName() + ": " + c.getMessage() + " " + c);
          }
        }
      }
    });
    assertThat(failures).isNotEmpty().noneMatch(m -> m.contains(SECRET));
    assertThat(log).doesNotContain(SECRET);
  }

  @Test
  void applications_mask_urls_the_same_way_for_their_own_logs() {
    assertThat(JdbcEventStore.maskCredentials("jdbc:postgresql://db:5432/app?user=app&password=" + SECRET + "&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/app?user=app&password=***&ssl=true");
    assertThat(JdbcEventStore.maskCredentials("jdbc:postgresql://app:" + SECRET + "@db/app")).isEqualTo("jdbc:postgresql://app:***@db/app");
    assertThat(JdbcEventStore.maskCredentials("jdbc:sqlite:/var/lib/app/events.db")).isEqualTo("jdbc:sqlite:/var/lib/app/events.db");
  }

  private static String capturingStandardError(Runnable work) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      work.run();
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    original.print(log);
    return log;
  }
}
