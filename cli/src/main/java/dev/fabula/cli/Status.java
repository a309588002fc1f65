package dev.fabula.cli;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.internal.MigrationSql;
import java.io.PrintStream;

/** The {@code status} command: reads what exists, and says so when a component's tables do not. */
final class Status {
  private Status() {}

  static int print(JdbcEventStore store, PrintStream out) {
    MigrationSql sql = MigrationSql.forStore(store);
    long head = store.headPosition();
    store.jdbi().useHandle(h -> {
      out.println("dialect: " + store.dialect().name());
      out.println("streams: " + h.createQuery(sql.get("streams_count")).mapTo(Long.class).one());
      out.println("head position: " + head);
      if (exists(h, sql, "projection_checkpoints")) {
        out.println("projections:");
        h.createQuery(sql.get("projections_list")).map((rs, ctx) -> "  " + rs.getString(1) + " v" + rs.getInt(2)
            + " at " + rs.getLong(3) + " (lag " + Math.max(0, head - rs.getLong(3)) + ") " + rs.getString(4))
            .forEach(out::println);
      } else {
        out.println("projections: none (no projection tables)");
      }
      if (exists(h, sql, "jobs")) {
        out.println("jobs:");
        h.createQuery(sql.get("jobs_by_state")).map((rs, ctx) -> "  " + rs.getString(1) + ": " + rs.getLong(2))
            .forEach(out::println);
      } else {
        out.println("jobs: none (no scheduler tables)");
      }
      out.println("imports:");
      h.createQuery(sql.get("imports_list")).map((rs, ctx) -> "  " + rs.getString(1) + " pass " + rs.getInt(2) + ": "
          + rs.getLong(3) + " rows read, " + rs.getLong(4) + " events written, " + rs.getLong(5) + " skipped, "
          + rs.getLong(6) + " failed, " + rs.getLong(7) + " changed" + (rs.getInt(8) == 1 ? ", finished" : ", running or stopped"))
          .forEach(out::println);
      out.println("capture backlog:");
      h.createQuery(sql.get("capture_backlog")).map((rs, ctx) -> "  " + rs.getString(1) + ": " + rs.getLong(2))
          .forEach(out::println);
    });
    return Main.OK;
  }

  private static boolean exists(org.jdbi.v3.core.Handle h, MigrationSql sql, String table) {
    return h.createQuery(sql.get("table_exists")).bind("table_name", sql.prefixed(table)).mapTo(Long.class).one() > 0;
  }
}
