package dev.fabula.jdbc.internal;

import dev.fabula.EventStoreException;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.TenantDirectory;
import dev.fabula.jdbc.TenantPlacement;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentDatabase;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link TenantDirectory#inTable}: the directory in {@code <prefix>tenant_directory}. */
public final class TableDirectory implements TenantDirectory {
  /** The directory's component: its one table. */
  public static final Component COMPONENT = new Component(
      "tenant_directory", TableDirectory.class, "dev/fabula/tenants", List.of("V1__tenant_directory.sql"));

  private static final RowMapper<TenantPlacement> ROW = (rs, ctx) ->
      new TenantPlacement(rs.getString("tenant_id"), rs.getString("database_name"), rs.getString("moving_to"));

  private final ComponentDatabase db;

  private TableDirectory(ComponentDatabase db) {
    this.db = db;
  }

  /** See {@link TenantDirectory#inTable}. */
  public static TenantDirectory open(JdbcEventStore home) {
    return new TableDirectory(ComponentDatabase.open(home, COMPONENT));
  }

  @Override
  public Optional<TenantPlacement> find(String tenantId) {
    return db.read("reading the tenant directory", h -> h.createQuery(db.sql("directory_find"))
        .bind("tenant_id", tenantId).map(ROW).findOne());
  }

  @Override
  public TenantPlacement place(String tenantId, String database) {
    db.write("placing a tenant", h -> h.createUpdate(db.sql("directory_place"))
        .bind("tenant_id", tenantId).bind("database_name", database).execute());
    return find(tenantId).orElseThrow(() -> new EventStoreException(
        "the tenant directory lost the entry just placed; is another process deleting entries?"));
  }

  @Override
  public List<TenantPlacement> all() {
    return db.read("listing the tenant directory", h -> h.createQuery(db.sql("directory_list")).map(ROW).list());
  }

  @Override
  public void beginMove(String tenantId, String from, String to) {
    if (change("directory_begin_move", tenantId, from, to) == 0) {
      throw new EventStoreException("cannot begin moving tenant '" + tenantId + "' from '" + from + "' to '" + to
          + "': the directory places it at " + find(tenantId).map(Object::toString).orElse("no database")
          + "; move it from where it lives, after any other move of it has finished");
    }
  }

  @Override
  public void switchMove(String tenantId, String from, String to) {
    if (change("directory_switch", tenantId, from, to) == 0) {
      throw new EventStoreException("cannot switch tenant '" + tenantId + "' from '" + from + "' to '" + to
          + "': the directory says " + find(tenantId).map(Object::toString).orElse("nothing of it")
          + "; was the move abandoned by another process?");
    }
  }

  @Override
  public void abandonMove(String tenantId, String from, String to) {
    change("directory_abandon_move", tenantId, from, to);
  }

  private int change(String statement, String tenantId, String from, String to) {
    return db.write("changing the tenant directory", h -> h.createUpdate(db.sql(statement))
        .bind("tenant_id", tenantId).bind("from_database", from).bind("to_database", to).execute());
  }
}
