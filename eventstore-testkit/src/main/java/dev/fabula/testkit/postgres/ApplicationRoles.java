package dev.fabula.testkit.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The least-privilege role layout of docs/postgresql.md ("Roles and grants") in a schema of its
 * own, for tests that run an application as the application role: an owner that owns the schema
 * and runs the migrations, and an application role with only row privileges, which cannot change
 * or delete events.
 *
 * <p>Roles are cluster-wide, so each instance names its roles and its schema with a suffix of its
 * own; {@link #close()} drops the schema and both roles. The URLs set {@code currentSchema}, so an
 * application that names its tables without a schema finds them in the role layout's schema.
 *
 * <pre>{@code
 * try (ApplicationRoles roles = ApplicationRoles.create(postgres.database())) {
 *   MyApp.migrate(roles.ownerUrl());            // DDL, as the owner
 *   roles.revokeEventChanges("fabula_");        // the doc's "after the first migration" block
 *   try (MyApp app = MyApp.open(roles.appUrl())) { ... }
 *   roles.assertEventsCannotChange("fabula_");
 * }
 * }</pre>
 *
 * <p>Not thread-safe; one instance per test.
 */
public final class ApplicationRoles implements AutoCloseable {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final PostgresDatabase admin;
  private final String owner;
  private final String app;
  private final String schema;
  private final String password = "Pw-" + System.nanoTime();

  private ApplicationRoles(PostgresDatabase admin, String suffix) {
    this.admin = admin;
    this.owner = "fabula_owner" + suffix;
    this.app = "fabula_app" + suffix;
    this.schema = "fabula" + suffix;
  }

  /**
   * Creates the owner and application roles, the owner's schema, and the default privileges that
   * give the application row access to every table and sequence the owner creates there.
   *
   * @param admin a database and a role that may create roles (a superuser or {@code CREATEROLE})
   * @return the role layout; close it to drop the schema and the roles
   * @throws IllegalStateException if the database refuses a statement
   */
  public static ApplicationRoles create(PostgresDatabase admin) {
    ApplicationRoles roles = new ApplicationRoles(
        admin, "_" + ProcessHandle.current().pid() + "_" + RUNS.incrementAndGet());
    roles.run(admin, List.of(
        "CREATE ROLE " + roles.owner + " LOGIN PASSWORD '" + roles.password + "'",
        "CREATE ROLE " + roles.app + " LOGIN PASSWORD '" + roles.password + "'",
        "CREATE SCHEMA " + roles.schema + " AUTHORIZATION " + roles.owner,
        "GRANT USAGE ON SCHEMA " + roles.schema + " TO " + roles.app,
        "ALTER DEFAULT PRIVILEGES FOR ROLE " + roles.owner + " IN SCHEMA " + roles.schema
            + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + roles.app,
        "ALTER DEFAULT PRIVILEGES FOR ROLE " + roles.owner + " IN SCHEMA " + roles.schema
            + " GRANT USAGE, SELECT ON SEQUENCES TO " + roles.app));
    return roles;
  }

  /** The schema the owner owns and both URLs select; the store's tables live here. */
  public String schema() {
    return schema;
  }

  /** The URL, with credentials, that connects as the owner: run migrations through it. */
  public String ownerUrl() {
    return url(owner);
  }

  /** The URL, with credentials, that connects as the application role. */
  public String appUrl() {
    return url(app);
  }

  /**
   * Runs, as the owner, the doc's block for after the first migration: the application loses
   * UPDATE and DELETE on the events, DELETE on the streams and every write on the schema version.
   *
   * @param tablePrefix the store's table prefix, such as {@code fabula_}
   */
  public void revokeEventChanges(String tablePrefix) {
    String t = schema + "." + tablePrefix;
    run(as(owner), List.of(
        "REVOKE UPDATE, DELETE ON " + t + "events FROM " + app,
        "REVOKE DELETE ON " + t + "streams FROM " + app,
        "REVOKE INSERT, UPDATE, DELETE ON " + t + "schema_version FROM " + app));
  }

  /**
   * Checks that the application role can neither update, delete nor truncate the store's events,
   * not even through the hard-delete setting, nor drop the trigger that guards them.
   *
   * @param tablePrefix the store's table prefix, such as {@code fabula_}
   * @throws AssertionError naming the first statement the database let through
   */
  public void assertEventsCannotChange(String tablePrefix) {
    String events = schema + "." + tablePrefix + "events";
    List<String> attempts = List.of(
        "UPDATE " + events + " SET event_type = 'changed'",
        "DELETE FROM " + events,
        "TRUNCATE " + events,
        "BEGIN; SET LOCAL fabula.allow_hard_delete = 'on'; DELETE FROM " + events + "; COMMIT",
        "DROP TRIGGER " + tablePrefix + "events_no_update_or_delete ON " + events,
        "ALTER TABLE " + events + " DISABLE TRIGGER ALL");
    try (Connection c = as(app).dataSource().getConnection()) {
      for (String sql : attempts) {
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        } catch (SQLException refused) {
          try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
          }
          String message = String.valueOf(refused.getMessage());
          if (!(message.contains("permission denied") || message.contains("must be owner")
              || message.contains("append-only"))) {
            throw new AssertionError("refused for another reason: " + sql + ": " + message, refused);
          }
          continue;
        }
        throw new AssertionError("the application role was allowed: " + sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect as " + app + ": " + e.getMessage(), e);
    }
  }

  /** Drops the schema with everything in it, then both roles. */
  @Override
  public void close() {
    run(admin, List.of(
        "DROP SCHEMA IF EXISTS " + schema + " CASCADE",
        "DROP OWNED BY " + owner + ", " + app,
        "DROP ROLE IF EXISTS " + app,
        "DROP ROLE IF EXISTS " + owner));
  }

  private String url(String role) {
    String url = as(role).jdbcUrlWithCredentials();
    return url + "&currentSchema=" + schema;
  }

  private PostgresDatabase as(String role) {
    return new PostgresDatabase(admin.jdbcUrl(), role, password, admin.databaseName());
  }

  private void run(PostgresDatabase db, List<String> statements) {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "as " + db.username() + " in " + schema + ": " + e.getMessage(), e);
    }
  }
}
