package dev.fabula.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fabula-projections, fabula-scheduler and fabula-migration are optional: a console over a store
 * alone opens and serves its pages on a class path without them.
 */
class StoreOnlyClassPathTest {
  @TempDir Path dir;

  private static boolean optionalModule(String entry) {
    String e = entry.replace(File.separatorChar, '/');
    return e.contains("/projections/target/") || e.contains("/scheduler/target/") || e.contains("/migration/target/")
        || e.contains("fabula-projections") || e.contains("fabula-scheduler") || e.contains("fabula-migration");
  }

  @Test
  @SuppressWarnings("unchecked")
  void a_console_over_a_store_alone_needs_neither_projections_nor_the_scheduler() throws Exception {
    URL[] urls = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !optionalModule(entry))
        .map(entry -> {
          try {
            return new File(entry).toURI().toURL();
          } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
          }
        })
        .toArray(URL[]::new);
    try (URLClassLoader storeOnly = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> storeOnly.loadClass("dev.fabula.projections.Projections"))
          .isInstanceOf(ClassNotFoundException.class);
      assertThatThrownBy(() -> storeOnly.loadClass("dev.fabula.scheduler.JobQueue"))
          .isInstanceOf(ClassNotFoundException.class);
      assertThatThrownBy(() -> storeOnly.loadClass("dev.fabula.migration.Migrations"))
          .isInstanceOf(ClassNotFoundException.class);
      Function<String, String> console = (Function<String, String>) storeOnly
          .loadClass(StoreOnlyConsole.class.getName()).getConstructor().newInstance();

      String answer = console.apply("jdbc:sqlite:" + dir.resolve("store-only.db"));

      assertThat(answer).startsWith("200 404 ").contains("order-1").doesNotContain("/console/jobs\"");
    }
  }
}
