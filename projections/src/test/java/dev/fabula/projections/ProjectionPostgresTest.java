package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.AppendResult;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The projection contract on PostgreSQL (a database of the test kit's shared server), plus what
 * only PostgreSQL has: LISTEN/NOTIFY and in-flight transactions that hold the head back.
 */
@ExtendWith(PostgresExtension.class)
class ProjectionPostgresTest extends ProjectionContract {
  static PostgresDatabase db;

  @BeforeAll
  static void database(PostgresDatabase database) {
    db = database;
  }

  /** The database's URL with its credentials, as the event store expects them. */
  static String urlOf(PostgresDatabase d) {
    return d.jdbcUrl() + (d.jdbcUrl().contains("?") ? "&" : "?") + "user=" + d.username()
        + (d.password() == null ? "" : "&password=" + d.password());
  }

  @Override
  protected String url() {
    return urlOf(db);
  }

  @Test
  void wakes_on_appends_of_other_processes_through_listen_notify() {
    String t = createAppliedTable("notified");
    Projection p = Projection.transactional("notified", insertInto(t));
    run(FAST, p); // polls every 10 minutes: only a notification can be fast
    awaitLease(p.id());
    JdbcEventStore other = openAnotherStore();
    AppendResult first = other.append("order-1", ExpectedVersion.any(), List.of(event("placed", 1)));
    projections.awaitPosition(p.id(), first.lastPosition(), WAIT);

    long started = System.nanoTime();
    AppendResult r = other.append("order-2", ExpectedVersion.any(), List.of(event("placed", 2)));
    projections.awaitPosition(p.id(), r.lastPosition(), Duration.ofSeconds(5));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void listens_again_after_its_connection_was_terminated() {
    String t = createAppliedTable("relisten");
    Projection p = Projection.transactional("relisten", insertInto(t));
    run(FAST, p);
    JdbcEventStore other = openAnotherStore();
    AppendResult first = other.append("order-1", ExpectedVersion.any(), List.of(event("placed", 1)));
    projections.awaitPosition(p.id(), first.lastPosition(), WAIT);

    long killed = count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        + "WHERE application_name = 'fabula-projections-listen' AND datname = current_database()");
    assertThat(killed).isEqualTo(1);
    // Applied only once the listener has reconnected: the NOTIFY went to a dead session.
    AppendResult during = other.append("order-2", ExpectedVersion.any(), List.of(event("placed", 2)));
    projections.awaitPosition(p.id(), during.lastPosition(), WAIT);
    // And the new connection receives notifications.
    AppendResult after = other.append("order-3", ExpectedVersion.any(), List.of(event("placed", 3)));
    projections.awaitPosition(p.id(), after.lastPosition(), Duration.ofSeconds(5));
    assertThat(count("SELECT count(*) FROM " + t)).isEqualTo(3);
  }

  @Test
  void replaces_a_listen_connection_that_died_silently() throws Exception {
    URI pg = URI.create(db.jdbcUrl().substring("jdbc:".length()));
    try (BlackholeProxy proxy = new BlackholeProxy(pg.getHost(), pg.getPort())) {
      PGSimpleDataSource viaProxy = new PGSimpleDataSource();
      viaProxy.setURL("jdbc:postgresql://localhost:" + proxy.port() + pg.getPath());
      viaProxy.setUser(db.username());
      if (db.password() != null) {
        viaProxy.setPassword(db.password());
      }
      String t = createAppliedTable("silent");
      Projection p = Projection.transactional("silent", insertInto(t));
      run(FAST.withListenDataSource(viaProxy).withListenCheckInterval(Duration.ofMillis(300)), p);
      JdbcEventStore other = openAnotherStore();
      AppendResult first = other.append("order-1", ExpectedVersion.any(), List.of(event("placed", 1)));
      projections.awaitPosition(p.id(), first.lastPosition(), WAIT);

      proxy.blackholeAll();
      AppendResult lost = other.append("order-2", ExpectedVersion.any(), List.of(event("placed", 2)));

      // The notification is lost in the black hole; the connection test finds the dead
      // connection, the listener reconnects and the runner looks at the log.
      projections.awaitPosition(p.id(), lost.lastPosition(), Duration.ofSeconds(10));
      AppendResult after = other.append("order-3", ExpectedVersion.any(), List.of(event("placed", 3)));
      projections.awaitPosition(p.id(), after.lastPosition(), Duration.ofSeconds(5));
    }
  }

  @Test
  void reports_the_in_flight_transaction_that_holds_the_head_of_the_log_back() throws Exception {
    Projection p = Projection.transactional("held", (h, events) -> {});
    AppendResult before = append("order-1", "placed", 1);
    run(FAST, p);
    projections.awaitPosition(p.id(), before.lastPosition(), WAIT);
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Thread slow = new Thread(() -> {
      try {
        store.inTransaction(tx -> {
          tx.append("order-slow", ExpectedVersion.any(), List.of(event("placed", 2)));
          appended.countDown();
          finish.await(); // the scenario: a transaction that appended stays open
          return null;
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    slow.start();
    appended.await();
    AppendResult later = openAnotherStore().append("order-2", ExpectedVersion.any(), List.of(event("placed", 3)));

    ProjectionStatus status = projections.status(p.id());
    assertThat(status.blockedBy()).isNotNull();
    assertThat(status.blockedBy().pid()).isPositive();
    assertThat(status.blockedBy().fromPosition()).isLessThan(later.lastPosition());
    assertThat(status.blockedBy().since()).isNotNull();
    assertThat(status.head()).isLessThan(later.lastPosition());
    assertThat(status.waitingFor()).contains("in-flight transaction", "pid " + status.blockedBy().pid());
    assertThat(projections.delivery(p.id(), later.lastPosition()).state()).isEqualTo(DeliveryState.PENDING);

    finish.countDown();
    slow.join();
    projections.awaitPosition(p.id(), later.lastPosition(), WAIT);
    assertThat(projections.status(p.id()).blockedBy()).isNull();
  }
}
