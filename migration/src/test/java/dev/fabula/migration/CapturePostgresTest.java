package dev.fabula.migration;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Change capture on PostgreSQL. */
class CapturePostgresTest extends CaptureContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected String url() {
    return postgres.database().jdbcUrlWithCredentials();
  }

  @Override
  protected List<String> schemaOf(JdbcEventStore store, String table) {
    return store.jdbi().withHandle(h -> {
      List<String> out = new ArrayList<>(h.createQuery("SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' '"
              + " || COALESCE(column_default, '') FROM information_schema.columns WHERE table_name = :t ORDER BY ordinal_position")
          .bind("t", table).mapTo(String.class).list());
      out.addAll(h.createQuery("SELECT indexdef FROM pg_indexes WHERE tablename = :t ORDER BY indexname")
          .bind("t", table).mapTo(String.class).list());
      out.addAll(h.createQuery("SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:t AS regclass) ORDER BY tgname")
          .bind("t", table).mapTo(String.class).list());
      out.addAll(h.createQuery("SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
              + " WHERE conrelid = CAST(:t AS regclass) ORDER BY conname")
          .bind("t", table).mapTo(String.class).list());
      return out;
    });
  }
}
