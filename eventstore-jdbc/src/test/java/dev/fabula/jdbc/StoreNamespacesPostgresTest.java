package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.testkit.contract.StoreContractSupport;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stores in one PostgreSQL database keep their read fences apart, whatever their names. */
class StoreNamespacesPostgresTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  private final List<JdbcEventStore> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(JdbcEventStore::close);
  }

  private JdbcEventStore open(JdbcConfig jdbc) {
    JdbcEventStore store = JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, jdbc.withMigrateOnOpen(true));
    opened.add(store);
    return store;
  }

  private static EventData event(JdbcEventStore store) {
    return EventData.json("x", 1, store.types().mapper().createObjectNode().put("n", 1));
  }

  private static List<Long> positions(JdbcEventStore store) {
    try (var log = store.readAll(LogQuery.all())) {
      return log.map(RecordedEvent::position).toList();
    }
  }

  /** An append to {@code streamId} in a unit of work that stays open until {@link #release}. */
  private static final class OpenAppend implements AutoCloseable {
    private final CountDownLatch appended = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final FutureTask<Long> task;

    OpenAppend(JdbcEventStore store, String streamId) throws InterruptedException {
      task = new FutureTask<>(() -> store.inTransaction(tx -> {
        long p = tx.append(streamId, ExpectedVersion.noStream(), List.of(event(store))).lastPosition();
        appended.countDown();
        release.await();
        return p;
      }));
      Thread t = new Thread(task, "open-append-" + streamId);
      t.setDaemon(true);
      t.start();
      assertThat(appended.await(30, TimeUnit.SECONDS)).as("the open append appended").isTrue();
    }

    long commit() throws Exception {
      release.countDown();
      return task.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      release.countDown();
    }
  }

  @Test
  void an_open_append_in_one_store_does_not_hold_back_a_store_whose_old_fence_namespace_is_the_same() throws Exception {
    // The fence namespace used to be 15 bits of the qualified prefix's hash: these two shared one.
    assertThat("tenant_0.fabula_".hashCode() & 0x7FFF).isEqualTo("tenant_187.fabula_".hashCode() & 0x7FFF);
    JdbcEventStore quiet = open(JdbcConfig.DEFAULT.withSchema("tenant_187"));
    JdbcEventStore busy = open(JdbcConfig.DEFAULT.withSchema("tenant_0"));
    long last = 0;
    for (int i = 1; i <= 5; i++) {
      last = quiet.append("q-" + i, ExpectedVersion.noStream(), List.of(event(quiet))).lastPosition();
    }
    assertThat(quiet.headPosition()).isEqualTo(last);

    try (OpenAppend open = new OpenAppend(busy, "b-1")) {
      assertThat(quiet.headPosition()).isEqualTo(last);
      assertThat(positions(quiet)).hasSize(5).endsWith(last);
      assertThat(busy.headPosition()).as("the busy store itself is held back").isZero();
      long committed = open.commit();
      assertThat(positions(busy)).containsExactly(committed);
    }
  }

  @Test
  void the_horizon_holds_back_an_open_append_when_positions_cross_a_multiple_of_2_to_the_32() throws Exception {
    long wrap = 1L << 32;
    for (long start : new long[] {wrap - 3, wrap - 2, wrap - 1}) {
      JdbcEventStore store = open(JdbcConfig.DEFAULT.withTablePrefix(StoreContractSupport.uniqueTablePrefix()));
      String sequence = store.jdbcConfig().tablePrefix() + "position_seq";
      store.jdbi().useHandle(h -> h.createQuery("SELECT setval(:seq, :start)")
          .bind("seq", sequence).bind("start", start).mapTo(Long.class).one());
      long before = store.append("before-1", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();
      assertThat(before).isEqualTo(start + 1);

      try (OpenAppend open = new OpenAppend(store, "slow-1")) {
        long fast = store.append("fast-1", ExpectedVersion.noStream(), List.of(event(store))).lastPosition();
        assertThat(fast).as("from " + start).isEqualTo(start + 3);
        // The slow append's fence (start + 2) and the fast one's lie on either side of or on 2^32.
        assertThat(store.headPosition()).as("from " + start).isEqualTo(before);
        assertThat(positions(store)).as("from " + start).containsExactly(before);
        long slow = open.commit();
        assertThat(positions(store)).as("from " + start).containsExactly(before, slow, fast);
        assertThat(store.headPosition()).isEqualTo(fast);
      }
    }
  }

  @Test
  void the_fenced_head_places_each_fence_from_the_sequence_read_after_the_locks() {
    long wrap = 1L << 32;
    JdbcEventStore store = open(JdbcConfig.DEFAULT.withTablePrefix(StoreContractSupport.uniqueTablePrefix()));
    String sequence = store.jdbcConfig().tablePrefix() + "position_seq";
    store.jdbi().useHandle(h -> h.createQuery("SELECT setval(:seq, :start)")
        .bind("seq", sequence).bind("start", wrap - 3).mapTo(Long.class).one());
    for (int i = 1; i <= 4; i++) {
      store.append("e-" + i, ExpectedVersion.noStream(), List.of(event(store))); // wrap - 2 … wrap + 1
    }
    String fenced = JdbcStoreContract.statements(store).get("safe_horizon_head_fenced");
    java.util.function.BiFunction<Long, long[], Long> head = (handedOut, fences) -> store.jdbi().withHandle(h ->
        h.createQuery(fenced)
            .bind("handed_out", handedOut)
            .bindArray("low_bits", Long.class, java.util.Arrays.stream(fences).map(f -> f & 0xFFFF_FFFFL).boxed().toList())
            .mapTo(Long.class).one());

    assertThat(head.apply(wrap + 1, new long[] {wrap})).isEqualTo(wrap - 1);
    assertThat(head.apply(wrap + 1, new long[] {wrap - 1})).isEqualTo(wrap - 2);
    assertThat(head.apply(wrap + 1, new long[] {wrap + 1, wrap - 1, wrap})).isEqualTo(wrap - 2);
    assertThat(head.apply(wrap + 1, new long[] {wrap + 2})).isEqualTo(wrap + 1);
    // A fence taken after step 1 read the sequence (wrap - 1), above that value: placed by the
    // sequence read after the locks it does not hold readers back to nothing.
    assertThat(head.apply(wrap - 1, new long[] {wrap + 2})).isEqualTo(wrap - 1);
  }
}
