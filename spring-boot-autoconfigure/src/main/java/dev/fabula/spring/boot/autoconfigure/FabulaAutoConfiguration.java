package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.EventStoreConfig;
import dev.fabula.EventTypes;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.Upcasters;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.TransactionJoin;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The event store on the application's {@link DataSource}: a {@link JdbcEventStore} bean whose
 * units of work and appends join an active Spring transaction ({@link SpringTransactionJoin}),
 * configured by {@code fabula.store.*} and {@code fabula.jdbc.*}. It runs after the data source,
 * the transaction manager and the database migrations of Flyway or Liquibase (the store bean
 * depends on database initialization), and opens no DDL unless {@code fabula.jdbc.migrate-on-open}
 * is true. Every bean backs off when the application defines its own of the same type; an {@link
 * EventTypes} or {@link Upcasters} bean is used by the store's configuration.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
    "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
    "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
    "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
    "org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration"})
@ConditionalOnClass(JdbcEventStore.class)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnProperty(prefix = "fabula", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FabulaProperties.class)
public class FabulaAutoConfiguration {

  /**
   * {@code EventStoreConfig} from {@code fabula.store.*} and the application's {@link EventTypes},
   * {@link Upcasters} and {@link PersonalDataPolicy} beans, each used when there is exactly one.
   */
  @Bean
  @ConditionalOnMissingBean
  public EventStoreConfig fabulaEventStoreConfig(FabulaProperties properties, ObjectProvider<EventTypes> eventTypes,
      ObjectProvider<Upcasters> upcasters, ObjectProvider<PersonalDataPolicy> personalData) {
    FabulaProperties.Store store = properties.getStore();
    return Settings.from(EventStoreConfig.DEFAULT)
        .set("fabula.store.max-payload-bytes", store.getMaxPayloadBytes(), EventStoreConfig::withMaxPayloadBytes)
        .set("fabula.store.upcaster-discovery", store.getUpcasterDiscovery(), EventStoreConfig::withUpcasterDiscovery)
        .set("eventTypes", eventTypes.getIfUnique(), EventStoreConfig::withEventTypes)
        .set("upcasters", upcasters.getIfUnique(), EventStoreConfig::withUpcasters)
        .set("personalData", personalData.getIfUnique(), EventStoreConfig::withPersonalData)
        .get();
  }

  /** {@code JdbcConfig} from {@code fabula.jdbc.*}. */
  @Bean
  @ConditionalOnMissingBean
  public JdbcConfig fabulaJdbcConfig(FabulaProperties properties) {
    FabulaProperties.Jdbc jdbc = properties.getJdbc();
    return Settings.from(JdbcConfig.DEFAULT)
        .set("fabula.jdbc.table-prefix", jdbc.getTablePrefix(), JdbcConfig::withTablePrefix)
        .set("fabula.jdbc.schema", jdbc.getSchema(), JdbcConfig::withSchema)
        .set("fabula.jdbc.migrate-on-open", jdbc.isMigrateOnOpen(), JdbcConfig::withMigrateOnOpen)
        .set("fabula.jdbc.row-level-security", jdbc.getRowLevelSecurity(), JdbcConfig::withRowLevelSecurity)
        .set("fabula.jdbc.retry-window", jdbc.getRetryWindow(), JdbcConfig::withRetryWindow)
        .get();
  }

  /** The store on the application's data source; closed with the context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @DependsOnDatabaseInitialization
  public JdbcEventStore fabulaEventStore(DataSource dataSource, EventStoreConfig config, JdbcConfig jdbc,
      ObjectProvider<TransactionJoin> join) {
    return JdbcEventStore.open(dataSource, config, jdbc, join.getIfAvailable(() -> TransactionJoin.NONE));
  }

  /** Joining Spring's transactions, when spring-jdbc is present and {@code fabula.jdbc.join-transactions} is not false. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.jdbc.datasource.DataSourceUtils")
  @ConditionalOnProperty(prefix = "fabula.jdbc", name = "join-transactions", matchIfMissing = true)
  static class Transactions {
    @Bean
    @ConditionalOnMissingBean
    TransactionJoin fabulaTransactionJoin(DataSource dataSource) {
      return new SpringTransactionJoin(dataSource);
    }
  }
}
