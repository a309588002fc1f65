package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.AppendResult;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.testkit.faults.FaultyDataSource.Fault;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The GroupCommitContract on PostgreSQL (several groups in flight at once), and a group whose commit
 * is in doubt.
 */
class GroupCommitPostgresTest extends GroupCommitContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  /** Savepoints taken on the store's connections. */
  private final AtomicInteger savepoints = new AtomicInteger();

  /** The test database, its connections counting the savepoints taken on them. */
  @Override
  protected DataSource dataSource() {
    DataSource real = postgres.database().dataSource();
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object value = invoke(real, method, args);
          return value instanceof Connection c && method.getName().equals("getConnection") ? counting(c) : value;
        });
  }

  private Connection counting(Connection real) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("setSavepoint")) {
            savepoints.incrementAndGet();
          }
          return invoke(real, method, args);
        });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  protected int leaders() {
    return 2; // GroupCommit.POSTGRES_LEADERS
  }

  @Override
  protected void rejectEventType(String prefix, String type) throws Exception {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + prefix + "events ADD CONSTRAINT " + prefix + "reject_" + type
          + "_ck CHECK (event_type <> '" + type + "')");
    }
  }

  @Test
  void a_group_s_combined_statement_takes_no_savepoint() throws Exception {
    JdbcEventStore store = open();
    savepoints.set(0);

    List<Outcome> outcomes = inOneGroup(List.of(
        () -> store.append("a", ExpectedVersion.noStream(), List.of(event("placed", 1))),
        () -> store.append("b", ExpectedVersion.noStream(), List.of(event("placed", 2))),
        () -> store.append("c", ExpectedVersion.noStream(), List.of(event("placed", 3)))));

    assertThat(groups).as("the three callers shared one transaction").contains(3);
    assertThat(outcomes).extracting(o -> o.result().lastVersion()).containsExactly(1L, 1L, 1L);
    assertThat(savepoints).as("two round trips a group saved").hasValue(0);
  }

  @Test
  void a_group_whose_commit_landed_but_whose_answer_was_lost_returns_each_caller_its_result_once() throws Exception {
    JdbcEventStore store = open();
    // Only the group's transaction runs append_many.sql (the only statement that names a stream_ord).
    faulty.failCommits(Fault.LOSE_ANSWER, 1, "stream_ord");

    List<Outcome> outcomes = inOneGroup(List.of(
        () -> store.append("a", ExpectedVersion.noStream(), List.of(event("placed", 1))),
        () -> store.append("b", ExpectedVersion.noStream(), List.of(event("placed", 2), event("placed", 3))),
        () -> store.append("c", ExpectedVersion.noStream(), List.of(event("placed", 4)))));

    assertThat(faulty.commitsFailed()).as("the group's commit failed").isEqualTo(1);
    assertThat(outcomes).extracting(o -> o.error()).containsOnlyNulls();
    assertThat(outcomes).extracting(o -> o.result().replayed()).as("each call wrote its events").containsOnly(false);
    assertThat(outcomes).extracting(o -> o.result().lastVersion()).containsExactly(1L, 2L, 1L);
    List<UUID> ids = store.readAll(dev.fabula.LogQuery.all()).map(RecordedEvent::eventId).toList();
    assertThat(ids).as("every event stored once").doesNotHaveDuplicates();
    for (String stream : List.of("a", "b", "c")) {
      AppendResult r = outcomes.get(stream.charAt(0) - 'a').result();
      assertThat(store.readStream(stream)).extracting(RecordedEvent::position)
          .containsExactly(java.util.stream.LongStream.rangeClosed(r.firstPosition(), r.lastPosition()).boxed().toArray(Long[]::new));
    }
  }

  @Test
  void a_group_whose_commit_did_not_land_is_written_by_each_caller_s_retry() throws Exception {
    JdbcEventStore store = open();
    faulty.failCommits(Fault.ROLL_BACK, 1, "stream_ord");

    List<Outcome> outcomes = inOneGroup(List.of(
        () -> store.append("a", ExpectedVersion.noStream(), List.of(event("placed", 1))),
        () -> store.append("b", ExpectedVersion.noStream(), List.of(event("placed", 2)))));

    assertThat(faulty.commitsFailed()).isEqualTo(1);
    assertThat(outcomes).extracting(o -> o.result().replayed()).containsOnly(false);
    assertThat(store.readStream("a")).hasSize(1);
    assertThat(store.readStream("b")).hasSize(1);
  }
}
