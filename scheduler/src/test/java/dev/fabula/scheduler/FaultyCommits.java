package dev.fabula.scheduler;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source over a real database's connections that makes COMMITs fail the way a network
 * does: after the transaction committed (the reply was lost), or instead of committing (the
 * connection died first). Only the commits of transactions that ran a statement containing a
 * given marker fail, so a test can aim at claims or at completions. Thread-safe.
 */
final class FaultyCommits implements DataSource {
  /** Where the fault strikes. */
  enum Fault {
    /** The transaction commits, then the caller sees a connection failure: the outcome is in doubt. */
    AFTER_COMMIT,
    /** The transaction is rolled back, and the caller sees a connection failure. */
    INSTEAD_OF_COMMIT
  }

  private final DataSource real;
  private volatile String marker = "";
  private volatile Fault fault = Fault.AFTER_COMMIT;
  private final AtomicInteger remaining = new AtomicInteger();
  private final AtomicInteger struck = new AtomicInteger();

  FaultyCommits(DataSource real) {
    this.real = real;
  }

  /** The next {@code times} commits of transactions that ran a statement containing {@code sqlMarker} fail so. */
  void fail(String sqlMarker, Fault how, int times) {
    marker = sqlMarker;
    fault = how;
    remaining.set(times);
  }

  /** No more failures. */
  void heal() {
    remaining.set(0);
  }

  /** How many commits failed so far. */
  int struck() {
    return struck.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(real.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(real.getConnection(username, password));
  }

  private Connection wrap(Connection c) {
    boolean[] marked = {false};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          String name = method.getName();
          if ((name.equals("prepareStatement") || name.equals("prepareCall")) && args[0] instanceof String sql
              && !marker.isEmpty() && sql.contains(marker)) {
            marked[0] = true;
          }
          if (name.equals("rollback") && (args == null || args.length == 0)) {
            marked[0] = false;
          }
          if (name.equals("commit") && marked[0]) {
            marked[0] = false;
            if (remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              struck.incrementAndGet();
              if (fault == Fault.AFTER_COMMIT) {
                c.commit();
              } else {
                c.rollback();
              }
              throw new SQLException("injected: the connection failed during COMMIT", "08006");
            }
          }
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
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
