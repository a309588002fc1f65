package dev.fabula.migration;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.internal.MigrationTables;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A flag in the database that sends an application's reads to the legacy tables or to the new read
 * model, flipped at run time by any process ({@link #set}), so a team can cut over and go back in
 * one step.
 *
 * <pre>{@code
 * ReadSwitch readings = ReadSwitch.open(store, "readings", Duration.ofSeconds(2));
 * List<Reading> list = readings.read(() -> legacyDao.readings(meter), () -> readModel.readings(meter));
 * }</pre>
 *
 * <p>The flag is read at most once per {@code cacheFor} per instance, so checking it on every
 * request costs a volatile read; other processes see a flip within {@code cacheFor}, measured on
 * the store's clock ({@link EventStoreConfig#clock()}). An unset flag means {@link
 * ReadTarget#LEGACY}. Thread-safe.
 */
public final class ReadSwitch {
  private final JdbcEventStore store;
  private final ComponentDatabase sql;
  private final String name;
  private final Clock clock;
  private final long cacheMillis;
  private volatile ReadTarget cached = ReadTarget.LEGACY;
  private volatile long readAt;
  private volatile boolean loaded;

  private ReadSwitch(JdbcEventStore store, String name, Duration cacheFor) {
    this.store = Objects.requireNonNull(store, "store");
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("a read switch needs a name of 1 to 200 characters, got '" + name + "'");
    }
    if (cacheFor == null || cacheFor.isNegative()) {
      throw new IllegalArgumentException("cacheFor must be zero or positive, got " + cacheFor);
    }
    this.name = name;
    this.cacheMillis = cacheFor.toMillis();
    this.clock = store.config().clock();
    this.sql = MigrationTables.open(store);
  }

  /** The switch {@code name}, re-read from the database at most once per {@code cacheFor}. */
  public static ReadSwitch open(JdbcEventStore store, String name, Duration cacheFor) {
    return new ReadSwitch(store, name, cacheFor);
  }

  /** Where reads go now (possibly up to {@code cacheFor} old). */
  public ReadTarget target() {
    long now = clock.millis();
    if (!loaded || now - readAt >= cacheMillis) {
      cached = sql.read("reading read switch '" + name + "'", h -> h.createQuery(sql.sql("switch_read")).bind("name", name)
          .mapTo(String.class).findOne().map(ReadTarget::valueOf).orElse(ReadTarget.LEGACY));
      readAt = now;
      loaded = true;
    }
    return cached;
  }

  /** Sends reads to {@code target}, for every process (this instance at once, others within their cache time). */
  public void set(ReadTarget target) {
    Objects.requireNonNull(target, "target");
    sql.write("setting read switch '" + name + "'", h -> h.createUpdate(sql.sql("switch_set"))
        .bind("name", name).bind("target", target.name()).bind("now", clock.instant().toString()).execute());
    cached = target;
    readAt = clock.millis();
    loaded = true;
  }

  /** Runs {@code legacy} or {@code readModel}, as the switch says. */
  public <T> T read(Supplier<T> legacy, Supplier<T> readModel) {
    return target() == ReadTarget.READ_MODEL ? readModel.get() : legacy.get();
  }
}
