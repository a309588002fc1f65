package dev.fabula.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A real database's data source with connection faults injected where a test asks for them: a
 * commit whose answer is lost after the database committed, a connection dropped instead of
 * committing, a database that cannot be reached for the next few connection attempts or until it
 * is reachable again. Every statement runs on the real database; only the network is "broken".
 */
final class FaultyDataSource implements DataSource {
  /** What the next commit does. */
  enum Commit {
    /** Commits normally. */
    NORMAL,
    /** Commits, then loses the answer: the connection breaks (08006) after the database committed. */
    LOSE_ANSWER,
    /** Like {@link #LOSE_ANSWER}, and the database becomes unreachable until {@link #reachable()}. */
    LOSE_ANSWER_AND_GO_AWAY,
    /** Drops the connection instead of committing (08006): the database rolls back. */
    DROP
  }

  private final DataSource real;
  private final AtomicReference<Commit> nextCommit = new AtomicReference<>(Commit.NORMAL);
  private final AtomicInteger failingConnects = new AtomicInteger();
  private volatile boolean unreachable;
  final AtomicInteger commitsFaulted = new AtomicInteger();

  FaultyDataSource(DataSource real) {
    this.real = real;
  }

  /** Makes the next commit (of any connection) fail as {@code fault}. */
  void nextCommit(Commit fault) {
    nextCommit.set(fault);
  }

  /** Makes the next {@code n} connection attempts fail as a server that refuses connections. */
  void failConnects(int n) {
    failingConnects.set(n);
  }

  void reachable() {
    unreachable = false;
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (unreachable || failingConnects.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new SQLException("Connection to localhost refused (injected)", "08001");
    }
    Connection connection = real.getConnection();
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("commit") && (args == null || args.length == 0)) {
            Commit fault = nextCommit.getAndSet(Commit.NORMAL);
            if (fault != Commit.NORMAL) {
              commitsFaulted.incrementAndGet();
              if (fault != Commit.DROP) {
                connection.commit();
              }
              connection.close(); // the session ends; a DROP's open transaction rolls back
              if (fault == Commit.LOSE_ANSWER_AND_GO_AWAY) {
                unreachable = true;
              }
              throw new SQLException("An I/O error occurred while sending to the backend (injected)", "08006");
            }
          }
          try {
            return method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("use getConnection()");
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
