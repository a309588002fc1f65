package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.RecordedEvent;
import dev.fabula.LogQuery;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.ChildJvm;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end scenario: capture installed, a backfill in a child JVM while a writer
 * inserts, updates and deletes, the child SIGKILLed halfway and restarted, then capture drained:
 * every change becomes exactly one event and the read model passes parity.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // child processes; 100,000 rows take ~3 min
abstract class EndToEndContract extends MigrationContract {
  private static final Logger LOG = LoggerFactory.getLogger(EndToEndContract.class);

  void backfill_and_capture_meet_without_gaps_or_doubles_across_a_sigkill(int rows) throws Exception {
    JdbcEventStore store = store();
    String table = readingsTable(store, rows);
    String prefix = store.jdbcConfig().tablePrefix();
    String importName = "e2e-" + table;
    Capture.open(store).install(table);
    long started = System.nanoTime();

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong inserts = new AtomicLong();
    AtomicLong updates = new AtomicLong();
    AtomicLong deletes = new AtomicLong();
    Thread writer = new Thread(() -> {
      Random random = new Random(42);
      long nextId = rows + 1;
      while (!stop.get()) {
        int op = random.nextInt(3);
        long id = 1 + random.nextInt((int) nextId);
        if (op == 0) {
          long newId = nextId++;
          store.jdbi().useHandle(h -> h.execute("INSERT INTO " + table + " (id, meter, wh, note) VALUES (?, 'new', ?, NULL)", newId, newId));
          inserts.incrementAndGet();
        } else if (op == 1) {
          int n = store.jdbi().withHandle(h -> h.execute("UPDATE " + table + " SET wh = wh + 1, note = 'u' WHERE id = ?", id));
          updates.addAndGet(n);
        } else {
          int n = store.jdbi().withHandle(h -> h.execute("DELETE FROM " + table + " WHERE id = ?", id));
          deletes.addAndGet(n);
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "legacy-writer");
    writer.setDaemon(true); // a failed run must not leave it writing
    writer.start();

    Process first = child(store, prefix, table, importName);
    String progress = "SELECT COALESCE(MAX(rows_read), 0) FROM " + prefix + "migration_imports WHERE name = ?";
    long halfwayDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (store.jdbi().withHandle(h -> h.createQuery(progress).bind(0, importName).mapTo(Long.class).one()) < rows / 2) {
      assertThat(first.isAlive()).as("the backfill ended before it was half done").isTrue();
      if (System.nanoTime() > halfwayDeadline) {
        first.destroyForcibly();
        throw new AssertionError("the backfill was not half done within 5 minutes");
      }
      Thread.sleep(20);
    }
    first.destroyForcibly(); // SIGKILL
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long atKill = store.jdbi().withHandle(h -> h.createQuery(progress).bind(0, importName).mapTo(Long.class).one());

    Process second = child(store, prefix, table, importName);
    boolean finished = second.waitFor(170, TimeUnit.SECONDS);
    if (!finished) {
      second.destroyForcibly();
    }
    assertThat(finished).as("the resumed backfill finished within 170 s").isTrue();
    assertThat(second.exitValue()).isZero();
    stop.set(true);
    writer.join();

    long applied = CaptureRunner.open(store, table, Readings.changeMapping(store),
        CaptureConfig.DEFAULT.withWaitForImport(importName).withBatchSize(1000)).drain();

    ImportSummary summary = Importer.open(store, ImportSource.query(importName, "SELECT * FROM " + table, "id"),
        Readings.importMapping(store), ImportConfig.DEFAULT).summary();
    Map<String, Long> counts = Readings.eventCounts(store);
    Map<String, Integer> importsPerStream = new HashMap<>();
    try (var log = store.readAll(LogQuery.all())) {
      log.filter(e -> e.type().equals("ReadingImported")).map(RecordedEvent::streamId)
          .forEach(s -> importsPerStream.merge(s, 1, Integer::sum));
    }
    LOG.info("End-to-end on {}: {} rows, killed at {} rows done, {} inserts, {} updates, {} deletes, {} changes applied, "
            + "{} s in all", store, rows, atKill, inserts.get(), updates.get(), deletes.get(), applied,
        (System.nanoTime() - started) / 1_000_000_000);

    assertThat(atKill).isGreaterThanOrEqualTo(rows / 2).isLessThan(summary.rowsRead());
    assertThat(summary.failedRows()).isEmpty();
    assertThat(importsPerStream.values()).allMatch(n -> n == 1);
    assertThat(counts.get("ReadingImported")).isEqualTo(summary.rowsRead()).isEqualTo(summary.eventsWritten());
    assertThat(counts.getOrDefault("ReadingInserted", 0L)).isEqualTo(inserts.get());
    assertThat(counts.getOrDefault("ReadingUpdated", 0L)).isEqualTo(updates.get());
    assertThat(counts.getOrDefault("ReadingDeleted", 0L)).isEqualTo(deletes.get());
    assertThat(applied).isEqualTo(inserts.get() + updates.get() + deletes.get());
    assertThat(Capture.open(store).pending(table)).isZero();

    String view = Readings.buildReadModel(store, table);
    ParityReport report = ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT.withKeyColumns("id").withSumColumns("wh"))
        .compare("SELECT id, meter, wh, note FROM " + table, "SELECT id, meter, wh, note FROM " + view);
    assertThat(report.passed()).as(report.describe()).isTrue();

    Capture.open(store).remove(table);
  }

  private Process child(JdbcEventStore store, String prefix, String table, String importName) throws Exception {
    return new ProcessBuilder(ChildJvm.command(BackfillProcess.class, url(), prefix, table, importName, "500"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }
}
