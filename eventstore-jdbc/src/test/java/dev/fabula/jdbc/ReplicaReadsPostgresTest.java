package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StoreUnavailableException;
import dev.fabula.jdbc.internal.PostgresDialect;
import dev.fabula.jdbc.spi.Statements;
import dev.fabula.testkit.contract.StoreContractSupport;
import dev.fabula.testkit.postgres.ReplicatedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** Reads from a hot standby ({@link ReadReplica}): one primary and standby pair for the class. */
@EnabledIf("dev.fabula.testkit.postgres.ReplicatedPostgres#canRunHere")
class ReplicaReadsPostgresTest {
  private static ReplicatedPostgres pg;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startPrimaryAndStandby() {
    pg = ReplicatedPostgres.start();
  }

  @AfterAll
  static void stopThem() {
    if (pg != null) {
      pg.close();
    }
  }

  @AfterEach
  void closeStores() throws Exception {
    setReplayPaused(false);
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private JdbcEventStore store(String prefix, ReadReplica replica) {
    JdbcEventStore store = JdbcEventStore.open(pg.primary().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT,
        TestStores.migrating(prefix).withMaxPoolSize(4).withReadReplica(replica));
    opened.add(store);
    return store;
  }

  private JdbcEventStore store(String prefix) {
    return store(prefix, ReadReplica.of(pg.standby().jdbcUrlWithCredentials()).withMaxPoolSize(4));
  }

  private static EventData event(JdbcEventStore store) {
    return EventData.json("x", 1, store.types().mapper().createObjectNode().put("n", 1));
  }

  private static List<Long> positions(JdbcEventStore store) {
    try (var log = store.readAll(LogQuery.all())) {
      return log.map(RecordedEvent::position).toList();
    }
  }

  private static void setReplayPaused(boolean paused) throws Exception {
    try (Connection c = pg.standby().dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(paused ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()");
    }
  }

  @Test
  void a_log_read_from_the_replica_sees_every_append_that_completed_before_it() {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix());
    List<Long> appended = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      appended.add(store.append("s-" + i, ExpectedVersion.noStream(), List.of(event(store))).lastPosition());
      // no wait in between: the read waits for the standby to replay the primary's sync point
      assertThat(positions(store)).containsExactlyElementsOf(appended);
    }
  }

  @Test
  void log_reads_go_to_the_replica_and_fail_clearly_when_it_stops_replaying() throws Exception {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix(),
        ReadReplica.of(pg.standby().jdbcUrlWithCredentials()).withReplayTimeout(Duration.ofMillis(300)));
    long first = store.append("a-1", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();
    assertThat(positions(store)).containsExactly(first);
    setReplayPaused(true);
    long second = store.append("a-2", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();

    assertThatThrownBy(() -> positions(store))
        .isInstanceOf(ReplicaBehindException.class)
        .hasMessageContaining("did not replay")
        .hasMessageContaining("withReplayTimeout");
    // stream reads stay on the primary by default, so they do not wait for the standby
    assertThat(store.readStream("a-2")).hasSize(1);

    setReplayPaused(false);
    assertThat(positions(store)).containsExactly(first, second);
  }

  @Test
  void stream_reads_go_to_the_replica_when_asked_and_see_the_callers_own_append() throws Exception {
    JdbcEventStore store = store(StoreContractSupport.uniqueTablePrefix(),
        ReadReplica.of(pg.standby().jdbcUrlWithCredentials()).withStreamReads(true).withReplayTimeout(Duration.ofMillis(300)));
    store.append("a-1", ExpectedVersion.noStream(), List.of(event(store)));
    assertThat(store.readStream("a-1")).hasSize(1); // read-your-writes: it waited for its sync point
    setReplayPaused(true);
    store.append("a-1", ExpectedVersion.streamExists(), List.of(event(store)));
    assertThatThrownBy(() -> store.readStream("a-1")).isInstanceOf(ReplicaBehindException.class);
    assertThatThrownBy(() -> store.streamInfo("a-1")).isInstanceOf(ReplicaBehindException.class);
    setReplayPaused(false);
    assertThat(store.readStream("a-1")).hasSize(2);
  }

  @Test
  void the_horizon_holds_on_the_replica_while_an_append_on_the_primary_is_in_flight() throws Exception {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    JdbcEventStore store = store(prefix);
    long before = store.append("before-1", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FutureTask<Long> slow = new FutureTask<>(() -> store.inTransaction(tx -> {
      long p = tx.append("slow-1", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();
      appended.countDown();
      release.await();
      return p;
    }));
    new Thread(slow, "slow-appender").start();
    try {
      assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();
      long fast = store.append("fast-1", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();

      // The later position committed first, and the standby shows it; the earlier one may still commit.
      assertThat(standbyLocalHorizon(prefix, fast)).as("a horizon the standby computes alone passes the open append")
          .isEqualTo(fast);
      assertThat(positions(store)).containsExactly(before);
      assertThat(positions(store)).containsExactly(before); // and again, with the transaction still open

      release.countDown();
      long slowPosition = slow.get(30, TimeUnit.SECONDS);
      assertThat(slowPosition).isLessThan(fast);
      assertThat(positions(store)).containsExactly(before, slowPosition, fast);
    } finally {
      release.countDown();
    }
  }

  /**
   * The read horizon the PostgreSQL dialect computes on the standby itself, as a replica reader
   * without sync points would (the standby sees none of the primary's fences), once it reaches
   * {@code expected} or after 20 s.
   */
  private static long standbyLocalHorizon(String prefix, long expected) {
    Statements sql = new Statements(ReplicaReadsPostgresTest.class.getClassLoader(),
        List.of("dev/fabula/jdbc/postgresql", "dev/fabula/jdbc/common"),
        Map.of("schema", "public", "prefix", prefix, "qualified_prefix", "public." + prefix));
    Jdbi standby = Jdbi.create(pg.standby().dataSource());
    PostgresDialect dialect = new PostgresDialect();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long horizon;
    do {
      horizon = standby.withHandle(h -> dialect.safeHorizon(h, sql)); // polls until the standby replayed it
    } while (horizon < expected && System.nanoTime() < deadline);
    return horizon;
  }

  @Test
  void a_replica_that_is_not_a_standby_is_refused() {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    assertThatThrownBy(() -> store(prefix, ReadReplica.of(pg.primary().jdbcUrlWithCredentials())))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("not a standby");
  }
}
