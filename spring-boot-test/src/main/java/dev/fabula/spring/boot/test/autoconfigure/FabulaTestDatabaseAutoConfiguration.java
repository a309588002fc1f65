package dev.fabula.spring.boot.test.autoconfigure;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The test database of {@link FabulaTest} and {@link AutoConfigureFabula}, chosen by {@code
 * fabula.test.database}: a fresh SQLite file ({@code sqlite}, the default), a fresh database of the
 * testkit's embedded PostgreSQL ({@code postgres}), or the application's own ({@code application}).
 * It replaces the application's data source (it is the primary one) and is closed with the context.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
public class FabulaTestDatabaseAutoConfiguration {

  /** A fresh SQLite file with the connection options the store needs (WAL, IMMEDIATE transactions, a busy timeout). */
  @Bean(destroyMethod = "close")
  @Primary
  @ConditionalOnProperty(name = "fabula.test.database", havingValue = "sqlite", matchIfMissing = true)
  public DataSource fabulaTestDataSource() {
    Path dir;
    try {
      dir = Files.createTempDirectory("fabula-test-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary directory for the test's SQLite file", e);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("test.db"));
    config.setMaximumPoolSize(4);
    config.setPoolName("fabula-test-sqlite");
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("synchronous", "FULL");
    config.addDataSourceProperty("busy_timeout", "10000");
    config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    config.addDataSourceProperty("foreign_keys", "true");
    return new HikariDataSource(config);
  }

  /** A fresh database of the testkit's embedded PostgreSQL server. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "fabula.test.database", havingValue = "postgres")
  static class Postgres {
    @Bean(destroyMethod = "close")
    @Primary
    DataSource fabulaTestDataSource() {
      if (!org.springframework.util.ClassUtils.isPresent("dev.fabula.testkit.postgres.PostgresServer",
          Postgres.class.getClassLoader())) {
        throw new IllegalStateException("@FabulaTest(database = POSTGRES) needs dev.fabula:fabula-testkit on the test "
            + "class path (test scope); or run on SQLite, the default");
      }
      PostgresDatabase db = PostgresServer.shared().createDatabase();
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(db.jdbcUrl());
      config.setUsername(db.username());
      config.setPassword(db.password());
      config.setMaximumPoolSize(6);
      config.setPoolName("fabula-test-postgres");
      return new HikariDataSource(config);
    }
  }
}
