package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.jdbc.spi.TransactionJoin;
import java.sql.Connection;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Joins the store's units of work and appends to Spring's transaction on the calling thread: when
 * a transaction is active (an {@code @Transactional} method, a {@code TransactionTemplate}) the
 * store works on that transaction's connection of {@code dataSource} ({@link
 * DataSourceUtils#getConnection}), so the events commit or roll back with everything else the
 * transaction wrote; outside one the store runs transactions of its own. Append listeners
 * (projection runners, NOTIFY) hear of the events in {@link TransactionSynchronization#afterCommit}.
 *
 * <p>Spring's transaction must be on the same {@code DataSource} the store was opened on (a {@code
 * DataSourceTransactionManager} or {@code JdbcTransactionManager}, as Spring Boot configures for a
 * single data source; JPA's manager exposes its connection the same way). A transaction of a manager
 * that binds no connection of this data source is not joined: the store then runs its own. Thread-safe.
 */
public final class SpringTransactionJoin implements TransactionJoin {
  private final DataSource dataSource;

  /** Joins Spring's transactions on {@code dataSource}. */
  public SpringTransactionJoin(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Optional<Borrowed> current() {
    if (!TransactionSynchronizationManager.isActualTransactionActive()
        || !TransactionSynchronizationManager.isSynchronizationActive()
        || !(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder)) {
      // No transaction, or one on another resource: a connection fetched now would auto-commit,
      // so the store runs a transaction of its own instead.
      return Optional.empty();
    }
    return Optional.of(new SpringBorrowed());
  }

  /**
   * One unit of work's loan of the transaction's connection, taken when first asked for (asking
   * counts a reference on Spring's connection holder, which {@link #release()} gives back).
   */
  private final class SpringBorrowed implements Borrowed {
    private @Nullable Connection connection;

    @Override
    public Connection connection() {
      if (connection == null) {
        connection = DataSourceUtils.getConnection(dataSource);
      }
      return connection;
    }

    @Override
    public void afterCommit(Runnable action) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          action.run();
        }
      });
    }

    @Override
    public void afterCompletion(Runnable action) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCompletion(int status) {
          action.run();
        }
      });
    }

    @Override
    public void setRollbackOnly() {
      if (TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder) {
        holder.setRollbackOnly();
      }
    }

    @Override
    public void release() {
      if (connection != null) {
        DataSourceUtils.releaseConnection(connection, dataSource);
        connection = null;
      }
    }
  }
}
