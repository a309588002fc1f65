package dev.fabula.metrics;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.ExpectedVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.junit.jupiter.api.io.TempDir;

/** The metrics contract on SQLite. */
class MetricsSqliteTest extends MetricsContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore openStore(JdbcConfig config) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("metrics.db"), EventStoreConfig.DEFAULT, config);
  }

  @Test
  void a_store_on_the_callers_data_source_counts_appends_and_leaves_the_pool_alone() {
    SQLiteConfig settings = new SQLiteConfig(); // the settings the store checks (docs/sqlite.md)
    settings.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    settings.setJournalMode(SQLiteConfig.JournalMode.WAL);
    settings.setBusyTimeout(10_000);
    SQLiteDataSource dataSource = new SQLiteDataSource(settings);
    dataSource.setUrl("jdbc:sqlite:" + dir.resolve("own.db"));
    try (JdbcEventStore store = JdbcEventStore.open(dataSource, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true));
        StoreMetrics metrics = StoreMetrics.of(store)) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      metrics.bindTo(registry);
      store.append("order-1", ExpectedVersion.noStream(), List.of(event(1)));

      assertThat(store.ownedPool()).isEmpty();
      assertThat(appendTimer(registry, "success").count()).isEqualTo(1);
      assertThat(registry.find("hikaricp.connections").gauges()).isEmpty();
    }
  }

  @Test
  void concurrent_appends_share_commits_and_each_batch_size_is_recorded() throws Exception {
    try (JdbcEventStore store = openStore(JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("group_"));
        StoreMetrics metrics = StoreMetrics.of(store)) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      metrics.bindTo(registry);
      int threads = 8;
      int each = 25;
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            store.append("order-" + thread + "-" + i, ExpectedVersion.noStream(), List.of(event(i)));
          }
          return null;
        }));
      }
      start.countDown();
      for (var f : done) {
        f.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      }
      pool.shutdown();

      var batches = registry.get("fabula.store.group.commit.appends").summary();
      assertThat(batches.totalAmount()).as("every append in exactly one batch").isEqualTo(threads * each);
      assertThat(batches.count()).isBetween(1L, (long) threads * each);
      assertThat(batches.max()).isBetween(1.0, 64.0);
    }
  }
}
