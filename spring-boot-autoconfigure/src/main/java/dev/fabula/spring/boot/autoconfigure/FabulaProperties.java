package dev.fabula.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code fabula.*} configuration properties. A property left unset keeps the library's default
 * (the {@code DEFAULT} of {@code EventStoreConfig}, {@code JdbcConfig}, {@code RunnerConfig} and
 * {@code JobQueueConfig}); a bad value fails start-up with a message that names the property.
 * Connection settings (pool size, timeouts) belong to the application's data source ({@code
 * spring.datasource.*}): the store uses its connections.
 */
@ConfigurationProperties("fabula")
public class FabulaProperties {
  /** The event store. */
  private final Store store = new Store();
  /** The store's tables and transactions. */
  private final Jdbc jdbc = new Jdbc();
  /** The projection runner. */
  private final Projections projections = new Projections();
  /** The job scheduler's worker pool. */
  private final Scheduler scheduler = new Scheduler();

  public Store getStore() {
    return store;
  }

  public Jdbc getJdbc() {
    return jdbc;
  }

  public Projections getProjections() {
    return projections;
  }

  public Scheduler getScheduler() {
    return scheduler;
  }

  /** {@code fabula.store.*}: {@code EventStoreConfig}. */
  public static class Store {
    /** Largest payload of one event, in bytes (default 1 MiB). */
    private @Nullable Integer maxPayloadBytes;
    /** Whether upcasters listed with ServiceLoader are installed (default false). */
    private @Nullable Boolean upcasterDiscovery;

    public @Nullable Integer getMaxPayloadBytes() {
      return maxPayloadBytes;
    }

    public void setMaxPayloadBytes(@Nullable Integer maxPayloadBytes) {
      this.maxPayloadBytes = maxPayloadBytes;
    }

    public @Nullable Boolean getUpcasterDiscovery() {
      return upcasterDiscovery;
    }

    public void setUpcasterDiscovery(@Nullable Boolean upcasterDiscovery) {
      this.upcasterDiscovery = upcasterDiscovery;
    }
  }

  /** {@code fabula.jdbc.*}: {@code JdbcConfig}, and joining Spring's transactions. */
  public static class Jdbc {
    /** Prefix of the store's tables: lower-case letters, digits and '_' (default "fabula_"). */
    private @Nullable String tablePrefix;
    /** PostgreSQL schema of the store's tables (default: the connection's search path). */
    private @Nullable String schema;
    /**
     * Whether opening the store creates or upgrades its tables (and those of projections and the
     * scheduler). Off by default: migrate as a deploy step with the schema owner's role, and let the
     * application's role only read and write. Turn it on for development, tests and embedded use.
     */
    private boolean migrateOnOpen;
    /** Whether the optional row-level-security policies are on (PostgreSQL; default false). */
    private @Nullable Boolean rowLevelSecurity;
    /** How long reads and stand-alone appends are retried after a lost connection (default 30 s). */
    private @Nullable Duration retryWindow;
    /** Whether units of work and appends join an active Spring transaction (default true). */
    private boolean joinTransactions = true;

    public @Nullable String getTablePrefix() {
      return tablePrefix;
    }

    public void setTablePrefix(@Nullable String tablePrefix) {
      this.tablePrefix = tablePrefix;
    }

    public @Nullable String getSchema() {
      return schema;
    }

    public void setSchema(@Nullable String schema) {
      this.schema = schema;
    }

    public boolean isMigrateOnOpen() {
      return migrateOnOpen;
    }

    public void setMigrateOnOpen(boolean migrateOnOpen) {
      this.migrateOnOpen = migrateOnOpen;
    }

    public @Nullable Boolean getRowLevelSecurity() {
      return rowLevelSecurity;
    }

    public void setRowLevelSecurity(@Nullable Boolean rowLevelSecurity) {
      this.rowLevelSecurity = rowLevelSecurity;
    }

    public @Nullable Duration getRetryWindow() {
      return retryWindow;
    }

    public void setRetryWindow(@Nullable Duration retryWindow) {
      this.retryWindow = retryWindow;
    }

    public boolean isJoinTransactions() {
      return joinTransactions;
    }

    public void setJoinTransactions(boolean joinTransactions) {
      this.joinTransactions = joinTransactions;
    }
  }

  /** {@code fabula.projections.*}: {@code RunnerConfig}, and the runner of the Projection beans. */
  public static class Projections {
    /** Whether a runner of every Projection bean starts with the application (default true). */
    private boolean enabled = true;
    /** The runner's name in leases (default: host name and process id). */
    private @Nullable String owner;
    /** Safety-net poll interval (default 1 s). */
    private @Nullable Duration pollInterval;
    /** Lease of a projection held by a runner (default 30 s). */
    private @Nullable Duration leaseDuration;
    /** Attempts per event before the failure policy applies (default 5). */
    private @Nullable Integer maxAttempts;
    /** First backoff after a failed attempt (default 100 ms). */
    private @Nullable Duration initialBackoff;
    /** Longest backoff (default 30 s). */
    private @Nullable Duration maxBackoff;
    /** Whether the runner listens for appends of other processes (PostgreSQL LISTEN; default true). */
    private @Nullable Boolean listen;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable String getOwner() {
      return owner;
    }

    public void setOwner(@Nullable String owner) {
      this.owner = owner;
    }

    public @Nullable Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(@Nullable Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    public @Nullable Duration getLeaseDuration() {
      return leaseDuration;
    }

    public void setLeaseDuration(@Nullable Duration leaseDuration) {
      this.leaseDuration = leaseDuration;
    }

    public @Nullable Integer getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(@Nullable Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public @Nullable Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(@Nullable Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public @Nullable Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(@Nullable Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    public @Nullable Boolean getListen() {
      return listen;
    }

    public void setListen(@Nullable Boolean listen) {
      this.listen = listen;
    }
  }

  /** {@code fabula.scheduler.*}: {@code JobQueueConfig}, and the worker pool. */
  public static class Scheduler {
    /** Whether a worker pool starts with the application (default true). */
    private boolean enabled = true;
    /** Worker threads of the pool (default 2). */
    private int workers = 2;
    /** Queues the pool claims from (default: all). */
    private Set<String> queues = new LinkedHashSet<>();
    /** Safety-net poll interval (default 500 ms). */
    private @Nullable Duration pollInterval;
    /** Lease of a running job (default 30 s). */
    private @Nullable Duration leaseDuration;
    /** How often a running job's lease is renewed (default 10 s). */
    private @Nullable Duration leaseRenewInterval;
    /**
     * How long stopping the application waits for running jobs before it interrupts them and hands
     * them back (default 30 s). Spring stops the pool after the web server's graceful shutdown.
     */
    private @Nullable Duration shutdownTimeout;
    /** Interval of the maintenance sweep (default 5 s). */
    private @Nullable Duration maintenanceInterval;
    /** Completions written per batch (default 100). */
    private @Nullable Integer completionBatchSize;
    /** Whether workers listen for enqueues (PostgreSQL LISTEN; default true). */
    private @Nullable Boolean listen;
    /** The pool's name in leases and history (default: host name and process id). */
    private @Nullable String workerName;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getWorkers() {
      return workers;
    }

    public void setWorkers(int workers) {
      this.workers = workers;
    }

    public Set<String> getQueues() {
      return queues;
    }

    public void setQueues(Set<String> queues) {
      this.queues = queues;
    }

    public @Nullable Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(@Nullable Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    public @Nullable Duration getLeaseDuration() {
      return leaseDuration;
    }

    public void setLeaseDuration(@Nullable Duration leaseDuration) {
      this.leaseDuration = leaseDuration;
    }

    public @Nullable Duration getLeaseRenewInterval() {
      return leaseRenewInterval;
    }

    public void setLeaseRenewInterval(@Nullable Duration leaseRenewInterval) {
      this.leaseRenewInterval = leaseRenewInterval;
    }

    public @Nullable Duration getShutdownTimeout() {
      return shutdownTimeout;
    }

    public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
    }

    public @Nullable Duration getMaintenanceInterval() {
      return maintenanceInterval;
    }

    public void setMaintenanceInterval(@Nullable Duration maintenanceInterval) {
      this.maintenanceInterval = maintenanceInterval;
    }

    public @Nullable Integer getCompletionBatchSize() {
      return completionBatchSize;
    }

    public void setCompletionBatchSize(@Nullable Integer completionBatchSize) {
      this.completionBatchSize = completionBatchSize;
    }

    public @Nullable Boolean getListen() {
      return listen;
    }

    public void setListen(@Nullable Boolean listen) {
      this.listen = listen;
    }

    public @Nullable String getWorkerName() {
      return workerName;
    }

    public void setWorkerName(@Nullable String workerName) {
      this.workerName = workerName;
    }
  }
}
