package dev.fabula.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Events;

class PostgresExtensionTest {

  @RegisterExtension
  static PostgresExtension pg = new PostgresExtension();

  static PostgresDatabase fromBeforeAll;

  private final PostgresDatabase fromConstructor;

  PostgresExtensionTest(PostgresDatabase database) {
    this.fromConstructor = database;
  }

  @BeforeAll
  static void remember(PostgresDatabase database) {
    fromBeforeAll = database;
  }

  @Test
  void the_field_parameters_and_lifecycle_methods_see_the_same_database(PostgresDatabase database)
      throws SQLException {
    assertThat(pg.database()).isEqualTo(database).isEqualTo(fromBeforeAll)
        .isEqualTo(fromConstructor);
    assertThat(database.databaseName()).startsWith(PostgresServer.DATABASE_PREFIX);
    assertThat(PostgresServerTest.query(database, "select current_database()"))
        .isEqualTo(database.databaseName());
  }

  @Test
  void two_test_classes_get_different_databases() throws SQLException {
    Seen.reset();

    run(FirstClass.class, SecondClass.class).assertStatistics(stats -> stats.started(2).succeeded(2));
    Set<String> first = Seen.by(FirstClass.class);
    Set<String> second = Seen.by(SecondClass.class);
    assertThat(first).hasSize(1);
    assertThat(second).hasSize(1);
    assertThat(first).doesNotContainAnyElementsOf(second);
    assertThat(first).doesNotContain(pg.database().databaseName());
  }

  @Test
  void a_class_database_is_dropped_after_the_class() throws SQLException {
    Seen.reset();

    run(FirstClass.class).assertStatistics(stats -> stats.succeeded(1));

    String name = Seen.by(FirstClass.class).iterator().next();
    boolean kept = Boolean.getBoolean(PostgresServer.KEEP_DATABASES_PROPERTY);
    assertThat(PostgresServerTest.exists(PostgresServer.shared(), name)).isEqualTo(kept);
  }

  @Test
  void nested_classes_share_the_database_of_their_enclosing_class() {
    Seen.reset();

    run(Outer.class).assertStatistics(stats -> stats.started(2).succeeded(2));

    assertThat(Seen.by(Outer.class)).hasSize(1).isEqualTo(Seen.by(Outer.Inner.class));
  }

  /** Runs the classes, fails with the causes of any failure, and returns the test events. */
  private static Events run(Class<?>... classes) {
    EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
        .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toArray(DiscoverySelector[]::new))
        .execute();
    List<Throwable> failures = results.allEvents().failed().stream()
        .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable())
        .flatMap(Optional::stream)
        .collect(Collectors.toList());
    assertThat(failures).isEmpty();
    return results.testEvents();
  }

  /** Database names seen by the fixture classes below, per class. */
  static final class Seen {
    private static final Map<Class<?>, Set<String>> NAMES = new ConcurrentHashMap<>();

    static void reset() {
      NAMES.clear();
    }

    static void add(Class<?> testClass, PostgresDatabase database) {
      NAMES.computeIfAbsent(testClass, c -> ConcurrentHashMap.newKeySet())
          .add(database.databaseName());
    }

    static Set<String> by(Class<?> testClass) {
      return NAMES.getOrDefault(testClass, Set.of());
    }
  }

  // Fixtures run through EngineTestKit only: Surefire skips nested classes by default.

  @ExtendWith(PostgresExtension.class)
  static class FirstClass {
    @BeforeAll
    static void beforeAll(PostgresDatabase database) {
      Seen.add(FirstClass.class, database);
    }

    @Test
    void uses_the_database(PostgresDatabase database) throws SQLException {
      Seen.add(FirstClass.class, database);
      assertThat(PostgresServerTest.query(database, "select current_database()"))
          .isEqualTo(database.databaseName());
    }
  }

  static class SecondClass {
    @RegisterExtension
    final PostgresExtension pg = new PostgresExtension();

    final List<PostgresDatabase> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void beforeEach(PostgresDatabase database) {
      seen.add(database);
    }

    @Test
    void uses_the_database(PostgresDatabase database) {
      Seen.add(SecondClass.class, database);
      Seen.add(SecondClass.class, pg.database());
      seen.forEach(d -> Seen.add(SecondClass.class, d));
    }
  }

  @ExtendWith(PostgresExtension.class)
  static class Outer {
    @Test
    void outer_test(PostgresDatabase database) {
      Seen.add(Outer.class, database);
    }

    @Nested
    class Inner {
      @Test
      void inner_test(PostgresDatabase database) {
        Seen.add(Inner.class, database);
      }
    }
  }
}
