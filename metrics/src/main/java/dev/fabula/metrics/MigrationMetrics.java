package dev.fabula.metrics;

import dev.fabula.InvalidInputException;
import dev.fabula.metrics.internal.Polled;
import dev.fabula.metrics.internal.Registered;
import dev.fabula.migration.Capture;
import dev.fabula.migration.ImportSummary;
import dev.fabula.migration.Importer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The migration toolkit's meters: an import's progress (rows read, events written, failed rows;
 * their rate is the monitoring system's {@code rate()} over the counters), polled from {@link
 * Importer#summary()}, tagged {@code import} with its name; or how many captured changes of a
 * legacy table wait to be applied ({@link Capture#pending}), tagged {@code table}. Both are read
 * from the database, so they show the import or capture whichever process runs it.
 *
 * <pre>{@code
 * MigrationMetrics.ofImport(importer).bindTo(registry);
 * MigrationMetrics.ofCapture(capture, "legacy_orders").bindTo(registry);
 * }</pre>
 *
 * <p>One read serves every gauge for {@link MetricsConfig#pollInterval()}; a scrape triggers it.
 * While the database cannot be read the meters show NaN. A new pass of an import (a rerun of a
 * finished one) counts from 0 again: the counters reset, as after a restart. Thread-safe. Needs
 * {@code fabula-migration} on the class path (an optional dependency of {@code fabula-metrics}).
 */
public final class MigrationMetrics implements MeterBinder, AutoCloseable {
  private final Registered meters = new Registered("MigrationMetrics");
  private final MetricsConfig config;
  private final @org.jspecify.annotations.Nullable Importer importer;
  private final @org.jspecify.annotations.Nullable Capture capture;
  private final @org.jspecify.annotations.Nullable String table;

  private MigrationMetrics(
      MetricsConfig config, @org.jspecify.annotations.Nullable Importer importer,
      @org.jspecify.annotations.Nullable Capture capture, @org.jspecify.annotations.Nullable String table) {
    if (config == null) {
      throw new InvalidInputException("config must not be null; use MetricsConfig.DEFAULT");
    }
    this.config = config;
    this.importer = importer;
    this.capture = capture;
    this.table = table;
  }

  /** The meters of {@code importer}'s import, default configuration; not bound yet. */
  public static MigrationMetrics ofImport(Importer importer) {
    return ofImport(importer, MetricsConfig.DEFAULT);
  }

  /** The meters of {@code importer}'s import, built as {@code config} says; not bound yet. */
  public static MigrationMetrics ofImport(Importer importer, MetricsConfig config) {
    if (importer == null) {
      throw new InvalidInputException("importer must not be null");
    }
    return new MigrationMetrics(config, importer, null, null);
  }

  /** The captured changes of {@code table} still to apply, default configuration; not bound yet. */
  public static MigrationMetrics ofCapture(Capture capture, String table) {
    return ofCapture(capture, table, MetricsConfig.DEFAULT);
  }

  /** The captured changes of {@code table} still to apply, built as {@code config} says. */
  public static MigrationMetrics ofCapture(Capture capture, String table, MetricsConfig config) {
    if (capture == null || table == null || table.isBlank()) {
      throw new InvalidInputException("capture and table must be given (the legacy table whose changes are captured)");
    }
    return new MigrationMetrics(config, null, capture, table);
  }

  /**
   * Registers the meters; no database read until a scrape. Binding to the same registry again does
   * nothing.
   *
   * @throws dev.fabula.EventStoreException if bound to another registry or closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    if (!meters.bind(registry)) {
      return;
    }
    // Micrometer holds a function meter's state object weakly and its function strongly, and a caller
    // may drop this binder once bound: each function reads the polled value it captures, so the
    // meters keep reading for as long as they are registered.
    Tags tags = Tags.of(config.tags());
    if (importer != null) {
      Polled<ImportSummary> summary = new Polled<>("import progress", importer::summary, config.pollInterval());
      Tags named = tags.and("import", importer.name());
      meters.add(FunctionCounter.builder("fabula.migration.import.rows", summary, p -> value(summary, ImportSummary::rowsRead))
          .description("Rows of the legacy source read by the current pass of the import")
          .baseUnit("rows").tags(named).register(registry));
      meters.add(FunctionCounter.builder("fabula.migration.import.events", summary, p -> value(summary, ImportSummary::eventsWritten))
          .description("Events the current pass of the import appended")
          .baseUnit("events").tags(named).register(registry));
      meters.add(Gauge.builder("fabula.migration.import.failed.rows", summary, p -> value(summary, s -> s.failedRows().size()))
          .description("Rows the current pass did not write: mapping failures, rows the store rejected, changed rows")
          .baseUnit("rows").tags(named).register(registry));
    }
    if (capture != null && table != null) {
      Capture c = capture;
      String t = table;
      Polled<Long> pending = new Polled<>("captured changes of " + t, () -> c.pending(t), config.pollInterval());
      meters.add(Gauge.builder("fabula.migration.capture.pending", pending, p -> {
            Long n = pending.get();
            return n == null ? Double.NaN : n;
          })
          .description("Captured changes of the legacy table still to be applied")
          .baseUnit("changes").tags(tags.and("table", t)).register(registry));
    }
  }

  private static double value(Polled<ImportSummary> polled, ToDoubleFunction<ImportSummary> read) {
    ImportSummary s = polled.get();
    return s == null ? Double.NaN : read.applyAsDouble(s);
  }

  /** Removes the meters. Harmless twice. */
  @Override
  public void close() {
    meters.close();
  }
}
