package dev.fabula.testkit.faults;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A real database's data source with the network's faults injected where a test asks for them: a
 * COMMIT whose answer is lost after the database committed (the outcome is in doubt for the
 * caller), a connection that breaks instead of committing, a database that refuses connections.
 * Every statement runs on the real database; only the connection "breaks". Use it to test your
 * own handling of in-doubt commits, for example that a retry after {@code
 * AppendOutcomeUnknownException} reuses the event ids:
 *
 * <pre>{@code
 * FaultyDataSource faulty = FaultyDataSource.of(dataSource);
 * try (JdbcEventStore store = JdbcEventStore.open(faulty, EventStoreConfig.DEFAULT, jdbcConfig)) {
 *   faulty.failNextCommit(FaultyDataSource.Fault.LOSE_ANSWER);
 *   AppendResult result = store.append("order-1", ExpectedVersion.noStream(), events);
 *   // the store found out that its commit landed: result.replayed() is false, the events are stored once
 * }
 * }</pre>
 *
 * <p>A failing commit ends the session (the connection is closed underneath the caller, as a
 * network failure does) and throws an {@link SQLException} with SQLState {@code 08006}, as the
 * PostgreSQL driver reports a broken connection. A refused connection throws SQLState {@code
 * 08001}. {@link #failCommits} can aim at the transactions that prepared a statement containing a
 * marker (a table name, a fragment of SQL), so a test can break one kind of write and leave the
 * others alone; statements run through {@link java.sql.Statement} without being prepared are not
 * looked at.
 *
 * <p>Thread-safe: a test arms faults while the code under test uses connections on other threads.
 */
public final class FaultyDataSource implements DataSource {
  /** How a commit fails. */
  public enum Fault {
    /** The database commits, then the answer is lost: the caller sees a broken connection. */
    LOSE_ANSWER,
    /**
     * Like {@link #LOSE_ANSWER}, and the database refuses connections from then on, until {@link
     * #reachable()}: the caller cannot find out what happened.
     */
    LOSE_ANSWER_THEN_UNREACHABLE,
    /** The connection breaks instead of committing: the database rolls the transaction back. */
    ROLL_BACK
  }

  /** The commits still to fail, how, and which ones (an empty marker: any). */
  private record Plan(Fault fault, String marker, int remaining) {
    static final Plan NONE = new Plan(Fault.LOSE_ANSWER, "", 0);

    boolean strikes(boolean marked) {
      return remaining > 0 && (marker.isEmpty() || marked);
    }
  }

  private final DataSource real;
  private final AtomicReference<Plan> plan = new AtomicReference<>(Plan.NONE);
  private final AtomicInteger refusals = new AtomicInteger();
  private final AtomicInteger commitsFailed = new AtomicInteger();
  private volatile boolean unreachable;

  private FaultyDataSource(DataSource real) {
    this.real = real;
  }

  /**
   * A data source over {@code real}'s connections, with no fault armed.
   *
   * @throws NullPointerException if {@code real} is null
   */
  public static FaultyDataSource of(DataSource real) {
    return new FaultyDataSource(Objects.requireNonNull(real, "real"));
  }

  /** Makes the next commit, of any connection, fail as {@code fault}; replaces any armed commit fault. */
  public void failNextCommit(Fault fault) {
    failCommits(fault, 1, "");
  }

  /**
   * Makes the next {@code times} commits of transactions that prepared a statement containing
   * {@code sqlMarker} fail as {@code fault} (an empty marker: any commit); replaces any armed
   * commit fault.
   *
   * @throws IllegalArgumentException if {@code times} is negative
   */
  public void failCommits(Fault fault, int times, String sqlMarker) {
    if (times < 0) {
      throw new IllegalArgumentException("times must be zero or more but was " + times);
    }
    plan.set(new Plan(Objects.requireNonNull(fault, "fault"), Objects.requireNonNull(sqlMarker, "sqlMarker"), times));
  }

  /** Makes the next {@code n} connection attempts fail as a server that refuses connections. */
  public void refuseConnections(int n) {
    refusals.set(n);
  }

  /** Makes the database reachable again after {@link Fault#LOSE_ANSWER_THEN_UNREACHABLE}. */
  public void reachable() {
    unreachable = false;
  }

  /** Disarms every fault: commits commit, connections connect. */
  public void heal() {
    plan.set(Plan.NONE);
    refusals.set(0);
    unreachable = false;
  }

  /** How many commits failed so far. */
  public int commitsFailed() {
    return commitsFailed.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    refuseIfAsked();
    return wrap(real.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    refuseIfAsked();
    return wrap(real.getConnection(username, password));
  }

  private void refuseIfAsked() throws SQLException {
    if (unreachable || refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new SQLException("Connection to the database refused (injected by FaultyDataSource)", "08001");
    }
  }

  private Connection wrap(Connection c) {
    boolean[] marked = {false}; // this transaction prepared a statement with the plan's marker
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          String name = method.getName();
          if ((name.equals("prepareStatement") || name.equals("prepareCall")) && args[0] instanceof String sql) {
            String marker = plan.get().marker();
            marked[0] |= !marker.isEmpty() && sql.contains(marker);
          } else if (name.equals("rollback") && noArgs(args)) {
            marked[0] = false;
          } else if (name.equals("commit") && noArgs(args)) {
            boolean wasMarked = marked[0];
            marked[0] = false;
            Plan before = plan.getAndUpdate(p -> p.strikes(wasMarked) ? new Plan(p.fault(), p.marker(), p.remaining() - 1) : p);
            if (before.strikes(wasMarked)) {
              strike(c, before.fault());
            }
          }
          return invoke(method, c, args);
        });
  }

  private void strike(Connection c, Fault fault) throws SQLException {
    commitsFailed.incrementAndGet();
    try {
      if (fault == Fault.ROLL_BACK) {
        c.rollback();
      } else {
        c.commit();
      }
    } finally {
      c.close(); // the session ends, as with a broken network
      if (fault == Fault.LOSE_ANSWER_THEN_UNREACHABLE) {
        unreachable = true;
      }
    }
    throw new SQLException("An I/O error occurred while sending to the backend (injected by FaultyDataSource)", "08006");
  }

  private static boolean noArgs(Object[] args) {
    return args == null || args.length == 0;
  }

  private static Object invoke(Method method, Connection c, Object[] args) throws Throwable {
    try {
      return method.invoke(c, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return real.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    real.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    real.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return real.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return real.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return real.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return real.isWrapperFor(iface);
  }
}
