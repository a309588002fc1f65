package dev.fabula.console.internal;

import dev.fabula.console.AuditEntry;
import dev.fabula.console.Console;
import dev.fabula.console.ConsoleAuthenticator;
import dev.fabula.console.ConsoleConfig;
import dev.fabula.console.ConsoleException;
import dev.fabula.jdbc.JdbcEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a console. The sections over projections and the scheduler are made only when those were
 * given, so their classes are loaded only then: a console over a store alone runs without
 * fabula-projections, fabula-scheduler and fabula-migration on the class path.
 */
public final class ConsoleBuilder implements Console.Builder {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleBuilder.class);
  private final JdbcEventStore store;
  private final List<Consumer<AuditEntry>> listeners = new ArrayList<>();
  private @Nullable Section projections;
  private @Nullable Section jobs;
  private @Nullable Section schedules;
  private dev.fabula.migration.@Nullable Migrations migrations;
  private final java.util.Map<String, java.util.function.Supplier<dev.fabula.migration.ParityReport>> parityChecks =
      new java.util.LinkedHashMap<>();
  private @Nullable ConsoleAuthenticator authenticator;
  private ConsoleConfig config = ConsoleConfig.DEFAULT;

  /** A builder over {@code store}. */
  public ConsoleBuilder(JdbcEventStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public Console.Builder projections(dev.fabula.projections.Projections value) {
    projections = new ProjectionSection(Objects.requireNonNull(value, "projections"));
    return this;
  }

  @Override
  public Console.Builder jobs(dev.fabula.scheduler.JobQueue value) {
    Objects.requireNonNull(value, "queue");
    jobs = new JobSection(value);
    schedules = new ScheduleSection(value);
    return this;
  }

  @Override
  public Console.Builder migration(dev.fabula.migration.Migrations value) {
    migrations = Objects.requireNonNull(value, "migrations");
    return this;
  }

  @Override
  public Console.Builder parityCheck(String name,
      java.util.function.Supplier<dev.fabula.migration.ParityReport> check) {
    Objects.requireNonNull(check, "check");
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new ConsoleException("a parity check's name must be 1 to 200 characters and not blank");
    }
    if (parityChecks.putIfAbsent(name, check) != null) {
      throw new ConsoleException("a parity check named '" + name + "' was given twice; give each check a name of its own");
    }
    return this;
  }

  @Override
  public Console.Builder authenticator(ConsoleAuthenticator value) {
    authenticator = Objects.requireNonNull(value, "authenticator");
    return this;
  }

  @Override
  public Console.Builder config(ConsoleConfig value) {
    config = Objects.requireNonNull(value, "config");
    return this;
  }

  @Override
  public Console.Builder onAction(Consumer<AuditEntry> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  @Override
  public Console open() {
    if (authenticator == null) {
      throw new ConsoleException("a console needs an authenticator: ConsoleAuthenticator.token(secret, user) "
          + "or one that maps your application's users");
    }
    if (!parityChecks.isEmpty() && migrations == null) {
      throw new ConsoleException("parity checks are shown on the migration page: call migration(Migrations.open(store)) "
          + "on the builder too");
    }
    List<Section> sections = new ArrayList<>();
    if (projections != null) {
      sections.add(projections);
    }
    if (jobs != null) {
      sections.add(jobs);
      sections.add(schedules);
    }
    if (migrations != null) {
      sections.add(new MigrationSection(migrations, parityChecks));
    }
    sections.add(new EventSection(store));
    AuditLog audit = new AuditLog(store);
    LOG.info("console at {}: {}; read-only {}, tenant {}", config.basePath(),
        sections.stream().map(Section::segment).toList(), config.readOnly(),
        config.tenantId() == null ? "every tenant" : config.tenantId());
    return new ConsoleImpl(config, authenticator, sections, audit, listeners);
  }
}
