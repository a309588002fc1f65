package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.jdbc.JdbcEventStore;
import org.junit.jupiter.api.Test;

/** The parity check on one backend. */
abstract class ParityContract extends MigrationContract {

  private static String copy(JdbcEventStore store, String table) {
    String view = table + "_copy";
    store.jdbi().useHandle(h -> {
      h.execute("CREATE TABLE " + view + " (id BIGINT PRIMARY KEY, meter VARCHAR(40) NOT NULL, wh NUMERIC(14, 2) NOT NULL, note VARCHAR(200))");
      h.execute("INSERT INTO " + view + " SELECT id, meter, wh, note FROM " + table);
    });
    return view;
  }

  @Test
  void passes_when_rows_and_sums_agree_even_with_other_number_types() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 500);
    String view = copy(store, table);

    // snippet: parity
    ParityReport report = ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT
            .withKeyColumns("id").withSumColumns("wh").withTolerance(0.001))
        .compare("SELECT id, meter, wh, note FROM " + table, "SELECT id, meter, wh, note FROM " + view);
    assertThat(report.passed()).as(report.describe()).isTrue();
    // end snippet
    assertThat(report.aggregates()).extracting(ParityReport.Aggregate::name).containsExactly("count", "sum(wh)");
  }

  @Test
  void reports_missing_extra_and_different_rows_with_examples() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 100);
    String view = copy(store, table);
    store.jdbi().useHandle(h -> {
      h.execute("DELETE FROM " + view + " WHERE id IN (3, 4)");
      h.execute("INSERT INTO " + view + " (id, meter, wh, note) VALUES (1000, 'x', 1, NULL)");
      h.execute("UPDATE " + view + " SET meter = 'changed' WHERE id = 50");
    });

    ParityReport report = ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT.withKeyColumns("id").withMaxExamples(1))
        .compare("SELECT * FROM " + table, "SELECT * FROM " + view);

    assertThat(report.passed()).isFalse();
    assertThat(report.missing()).isEqualTo(2);
    assertThat(report.missingExamples()).hasSize(1);
    assertThat(report.extra()).isEqualTo(1);
    assertThat(report.extraExamples()).containsExactly("1000");
    assertThat(report.different()).isEqualTo(1);
    assertThat(report.differentExamples()).singleElement().satisfies(d -> {
      assertThat(d.key()).isEqualTo("50");
      assertThat(d.columns()).containsOnlyKeys("meter");
    });
    assertThat(report.describe()).contains("PARITY FAILED", "missing in read model: 2");
  }

  @Test
  void compares_aggregates_within_the_tolerance() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 100); // sum(wh) = 50,500
    String view = copy(store, table);
    store.jdbi().useHandle(h -> h.execute("UPDATE " + view + " SET wh = wh + 40 WHERE id = 1")); // +0.079%

    ParityConfig aggregatesOnly = ParityConfig.DEFAULT.withSumColumns("wh");
    assertThat(ParityCheck.of(store.jdbi(), aggregatesOnly.withTolerance(0.001))
        .compare("SELECT wh FROM " + table, "SELECT wh FROM " + view).passed()).isTrue();
    ParityReport strict = ParityCheck.of(store.jdbi(), aggregatesOnly.withTolerance(0.0005))
        .compare("SELECT wh FROM " + table, "SELECT wh FROM " + view);
    assertThat(strict.passed()).isFalse();
    assertThat(strict.aggregates().get(1).withinTolerance()).isFalse();
  }

  @Test
  void a_query_that_writes_fails_with_a_clear_message_and_changes_nothing() {
    JdbcEventStore store = store();
    String table = readingsTable(store, 20);
    String view = copy(store, table);
    ParityCheck check = ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT.withKeyColumns("id"));

    for (String writing : java.util.List.of(
        "DELETE FROM " + table + " WHERE id <= 10 RETURNING id, meter, wh, note",
        "UPDATE " + table + " SET wh = 0 RETURNING id, meter, wh, note")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> check.compare(writing, "SELECT id, meter, wh, note FROM " + view))
          .as(writing)
          .isInstanceOf(MigrationException.class)
          .hasMessageContaining("tries to write")
          .hasMessageContaining("read-only");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> check.compare("SELECT id, meter, wh, note FROM " + view, writing))
          .isInstanceOf(MigrationException.class)
          .hasMessageContaining("read model query");
    }
    long rows = store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE wh <> 0").mapTo(Long.class).one());
    assertThat(rows).isEqualTo(20);
    // The connections went back to the pool writable: a later write on the same pool works.
    for (int i = 0; i < 12; i++) {
      store.jdbi().useHandle(h -> h.execute("UPDATE " + view + " SET note = 'n' WHERE id = 1"));
    }
    assertThat(check.compare("SELECT id, meter, wh, note FROM " + table, "SELECT id, meter, wh, note FROM " + table).passed())
        .isTrue();
  }
}
