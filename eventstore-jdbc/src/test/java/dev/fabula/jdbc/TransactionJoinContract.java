package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.spi.TransactionJoin;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * A store opened with a {@link TransactionJoin} runs its units of work and appends inside a
 * transaction someone else owns when the calling thread is in one: they commit and roll back with
 * the owner's own writes, never end or close the borrowed connection, mark the owner's transaction
 * rollback-only when they fail, and tell append listeners only after the owner's commit. Outside
 * one they commit on their own as before. A backend supplies the data source.
 */
abstract class TransactionJoinContract {
  private static final AtomicInteger STORES = new AtomicInteger();

  /** A data source on this test's database, owned by the test. */
  protected abstract DataSource dataSource();

  private final Owners owners = new Owners();

  @Test
  void appends_commit_with_the_owners_own_writes_and_listeners_hear_them_after_the_commit() throws Exception {
    try (Fixture f = new Fixture()) {
      Owner owner = owners.begin(dataSource());
      f.store.append("order-1", ExpectedVersion.noStream(), List.of(event(1)));
      f.insertNote(owner.connection, 1);

      assertThat(f.store.streamInfo("order-1")).as("reads see committed events only").isEmpty();
      assertThat(f.heard).as("nothing heard before the owner commits").isEmpty();
      assertThat(owner.connection.isClosed()).isFalse();
      assertThat(owner.connection.getAutoCommit()).isFalse();
      assertThat(owner.released).as("one unit of work, one release").isEqualTo(1);

      owner.commit();

      assertThat(f.store.streamInfo("order-1")).isPresent();
      assertThat(f.notes()).isEqualTo(1);
      assertThat(f.heard).containsExactly(f.store.headPosition());
    }
  }

  @Test
  void a_rollback_by_the_owner_removes_the_units_events_and_its_own_writes() throws Exception {
    try (Fixture f = new Fixture()) {
      Owner owner = owners.begin(dataSource());
      f.store.inTransaction(tx -> {
        tx.append("order-2", ExpectedVersion.noStream(), List.of(event(2)));
        tx.unwrap(Handle.class).execute("INSERT INTO " + f.notesTable + " (id) VALUES (?)", 2);
        return null;
      });
      f.store.append("order-3", ExpectedVersion.noStream(), List.of(event(3)));

      owner.rollback();

      assertThat(f.store.streamInfo("order-2")).isEmpty();
      assertThat(f.store.streamInfo("order-3")).isEmpty();
      assertThat(f.notes()).isZero();
      assertThat(f.heard).isEmpty();
    }
  }

  @Test
  void a_failed_unit_of_work_marks_the_owners_transaction_rollback_only_and_leaves_its_connection_open() throws Exception {
    try (Fixture f = new Fixture()) {
      f.store.append("order-4", ExpectedVersion.noStream(), List.of(event(4)));
      Owner owner = owners.begin(dataSource());

      assertThatThrownBy(() -> f.store.append("order-4", ExpectedVersion.noStream(), List.of(event(5))))
          .isInstanceOf(ConcurrencyException.class);

      assertThat(owner.rollbackOnly).isTrue();
      assertThat(owner.connection.isClosed()).isFalse();
      assertThat(owner.released).as("one unit of work, one release").isEqualTo(1);
      owner.commit();
      assertThat(f.store.readStream("order-4")).hasSize(1);
    }
  }

  @Test
  void outside_an_owners_transaction_the_store_commits_on_its_own() {
    try (Fixture f = new Fixture()) {
      f.store.append("order-6", ExpectedVersion.noStream(), List.of(event(6)));
      assertThat(f.store.streamInfo("order-6")).isPresent();
      assertThat(f.heard).hasSize(1);
    }
  }

  @Test
  void a_store_writer_waiting_for_the_owners_database_lock_does_not_block_the_owners_unit_of_work() throws Exception {
    try (Fixture f = new Fixture()) {
      Owner owner = owners.begin(dataSource()); // on SQLite (immediate transactions) it holds the write lock from here
      f.insertNote(owner.connection, 7);
      // Another thread writes on its own: on SQLite it queues on the store's write lock, then waits
      // for the database's, which the owner holds.
      CompletableFuture<Object> alone = new CompletableFuture<>();
      Thread other = new Thread(() -> {
        try {
          alone.complete(f.store.inTransaction(tx -> tx.append("order-8", ExpectedVersion.noStream(), List.of(event(8)))));
        } catch (RuntimeException e) {
          alone.completeExceptionally(e);
        }
      });
      other.start();
      if (f.singleWriter()) {
        awaitHoldsALock(other);
      }

      f.store.inTransaction(tx -> tx.append("order-7", ExpectedVersion.noStream(), List.of(event(7))));
      owner.commit();

      assertThat(alone.get(30, TimeUnit.SECONDS)).as("the other writer got the database after the owner's commit")
          .isNotNull();
      assertThat(f.store.streamInfo("order-7")).isPresent();
      assertThat(f.store.streamInfo("order-8")).isPresent();
      assertThat(f.notes()).isEqualTo(1);
    }
  }

  /** Waits until {@code thread} holds a lock (a {@code java.util.concurrent} one), within 10 s. */
  private static void awaitHoldsALock(Thread thread) throws InterruptedException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (threads.getThreadInfo(new long[] {thread.getId()}, false, true)[0].getLockedSynchronizers().length == 0) {
      assertThat(System.nanoTime()).as("the other writer took the store's write lock within 10 s").isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  private static EventData event(int n) {
    return EventData.json("placed", 1, JsonNodeFactory.instance.objectNode().put("n", n));
  }

  /** A store on fresh tables, with a table of the owner's own beside them. */
  private final class Fixture implements AutoCloseable {
    final String prefix = "join" + STORES.incrementAndGet() + "_";
    final String notesTable = prefix + "notes";
    final JdbcEventStore store;
    final List<Long> heard = new CopyOnWriteArrayList<>();

    Fixture() {
      store = JdbcEventStore.open(dataSource(), EventStoreConfig.DEFAULT, TestStores.migrating(prefix), owners);
      store.onAppend(heard::add);
      store.jdbi().useHandle(h -> h.execute("CREATE TABLE " + notesTable + " (id INTEGER PRIMARY KEY)"));
    }

    void insertNote(Connection c, int id) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO " + notesTable + " (id) VALUES (" + id + ")");
      }
    }

    /** Whether the database has one writer at a time (SQLite). */
    boolean singleWriter() throws SQLException {
      return store.jdbi().withHandle(h -> h.getConnection().getMetaData().getDatabaseProductName()).contains("SQLite");
    }

    int notes() throws SQLException {
      try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + notesTable)) {
        rs.next();
        return rs.getInt(1);
      }
    }

    @Override
    public void close() {
      owners.current.remove();
      store.close();
    }
  }

  /** The test's stand-in for a framework's transactions: one per thread, begun and ended by the test. */
  static final class Owners implements TransactionJoin {
    final ThreadLocal<Owner> current = new ThreadLocal<>();

    Owner begin(DataSource dataSource) throws SQLException {
      Connection c = dataSource.getConnection();
      c.setAutoCommit(false);
      Owner owner = new Owner(this, c);
      current.set(owner);
      return owner;
    }

    @Override
    public Optional<Borrowed> current() {
      Owner owner = current.get();
      if (owner == null) {
        return Optional.empty();
      }
      return Optional.of(owner);
    }
  }

  /** One owner's transaction. */
  static final class Owner implements TransactionJoin.Borrowed {
    final Owners owners;
    final Connection connection;
    final List<Runnable> afterCommit = new ArrayList<>();
    final List<Runnable> afterCompletion = new ArrayList<>();
    boolean rollbackOnly;
    int released;

    Owner(Owners owners, Connection connection) {
      this.owners = owners;
      this.connection = connection;
    }

    @Override
    public Connection connection() {
      return connection;
    }

    @Override
    public void afterCommit(Runnable action) {
      afterCommit.add(action);
    }

    @Override
    public void afterCompletion(Runnable action) {
      afterCompletion.add(action);
    }

    @Override
    public void setRollbackOnly() {
      rollbackOnly = true;
    }

    @Override
    public void release() {
      released++;
    }

    void commit() throws SQLException {
      if (rollbackOnly) {
        rollback();
        return;
      }
      connection.commit();
      end();
      afterCommit.forEach(Runnable::run);
      afterCompletion.forEach(Runnable::run);
    }

    void rollback() throws SQLException {
      connection.rollback();
      end();
      afterCompletion.forEach(Runnable::run);
    }

    private void end() throws SQLException {
      owners.current.remove();
      connection.close();
    }
  }
}
