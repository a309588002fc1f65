package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.ShopApp;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program of docs/getting-started.md, {@link ShopApp}, run twice on one database as a reader
 * would run it: each run must print exactly what the guide's expected-output block for that run
 * shows. {@link SnippetsTest} checks that the guide shows the program as it is.
 */
class GettingStartedTest {
  private static final Path GUIDE = Path.of(System.getProperty("user.dir"), "getting-started.md");

  @TempDir Path dir;

  @Test
  void the_program_prints_what_the_guide_shows_and_runs_again_on_the_same_sqlite_file() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("shop.db");

    assertThat(run(url)).isEqualTo(expectedOutput("first run"));
    assertThat(run(url)).isEqualTo(expectedOutput("second run"));
  }

  @Test
  @ExtendWith(PostgresExtension.class)
  void the_same_program_prints_the_same_on_postgresql(PostgresDatabase db) throws Exception {
    String url = db.jdbcUrlWithCredentials();

    assertThat(run(url)).isEqualTo(expectedOutput("first run"));
    assertThat(run(url)).isEqualTo(expectedOutput("second run"));
  }

  @Test
  void the_pom_in_the_guide_names_the_versions_this_build_makes() throws IOException {
    String guide = Files.readString(GUIDE);

    assertThat(guide)
        .containsPattern("<artifactId>fabula-bom</artifactId>\\s*<version>"
            + Pattern.quote(System.getProperty("fabula.version")) + "</version>")
        .containsPattern("<artifactId>slf4j-simple</artifactId>\\s*<version>"
            + Pattern.quote(System.getProperty("slf4j.version")) + "</version>");
  }

  /** What {@code ShopApp.main(url)} prints on standard output, workers' lines included. */
  private static String run(String url) throws InterruptedException {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ShopApp.main(new String[] {url});
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  /** The text block after {@code <!-- output: <run> -->} in the guide. */
  private static String expectedOutput(String run) throws IOException {
    Matcher m = Pattern.compile("<!-- output: " + Pattern.quote(run) + " -->\\s*```text\\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(GUIDE));
    assertThat(m.find()).as("<!-- output: %s --> block in %s", run, GUIDE).isTrue();
    return m.group(1);
  }
}
