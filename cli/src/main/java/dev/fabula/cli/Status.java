package dev.fabula.cli;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.internal.MigrationTables;
import dev.fabula.projections.ProjectionStatus;
import dev.fabula.projections.Projections;
import java.io.PrintStream;
import java.util.List;

/** The {@code status} command: reads what exists, and says so when a component's tables do not. */
final class Status {
  private Status() {}

  static int print(JdbcEventStore store, PrintStream out) {
    ComponentDatabase sql = MigrationTables.open(store);
    long head = store.headPosition();
    // The lag of ProjectionStatus: the events each projection's filter takes after its checkpoint
    // (not head - checkpoint, which makes a caught-up filtered projection look behind).
    List<String> projections = store.jdbi().withHandle(h -> exists(h, sql, "projection_checkpoints"))
        ? Projections.open(store).statuses().stream().map(Status::line).toList()
        : null;
    // A report only reads: the database keeps it from writing.
    sql.readOnly("reading the status", h -> {
      out.println("dialect: " + sql.dialectName());
      out.println("streams: " + h.createQuery(sql.sql("streams_count")).mapTo(Long.class).one());
      out.println("head position: " + head);
      if (projections != null) {
        out.println("projections:");
        projections.forEach(out::println);
      } else {
        out.println("projections: none (no projection tables)");
      }
      if (exists(h, sql, "jobs")) {
        out.println("jobs:");
        h.createQuery(sql.sql("jobs_by_state")).map((rs, ctx) -> "  " + rs.getString(1) + ": " + rs.getLong(2))
            .forEach(out::println);
      } else {
        out.println("jobs: none (no scheduler tables)");
      }
      out.println("imports:");
      h.createQuery(sql.sql("imports_list")).map((rs, ctx) -> "  " + rs.getString(1) + " pass " + rs.getInt(2) + ": "
          + rs.getLong(3) + " rows read, " + rs.getLong(4) + " events written, " + rs.getLong(5) + " skipped, "
          + rs.getLong(6) + " failed, " + rs.getLong(7) + " changed" + (rs.getInt(8) == 1 ? ", finished" : ", running or stopped"))
          .forEach(out::println);
      out.println("capture backlog:");
      h.createQuery(sql.sql("capture_backlog")).map((rs, ctx) -> "  " + rs.getString(1) + ": " + rs.getLong(2))
          .forEach(out::println);
      return null;
    });
    return Main.OK;
  }

  private static String line(ProjectionStatus s) {
    return "  " + s.id().name() + " v" + s.id().version() + " at " + s.checkpoint() + " (lag " + s.lagEvents()
        + (s.lagEvents() >= ProjectionStatus.LAG_COUNT_CAP ? "+" : "") + ") " + s.state()
        + (s.parkedEvents() > 0 ? ", " + s.parkedEvents() + " parked" : "");
  }

  private static boolean exists(org.jdbi.v3.core.Handle h, ComponentDatabase sql, String table) {
    return h.createQuery(sql.sql("table_exists")).bind("table_name", (sql.tablePrefix() + table)).mapTo(Long.class).one() > 0;
  }
}
