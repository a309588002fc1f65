package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.TenantMovingException;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.TenantDatabases;
import dev.fabula.jdbc.TenantDirectory;
import dev.fabula.jdbc.TenantRoutingConfig;
import dev.fabula.migration.TenantMove.Phase;
import dev.fabula.testkit.Await;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A mover killed with SIGKILL at each step of a tenant move, while the tenant and another one keep
 * writing, then recovered as docs/tenant-databases.md tells an operator to (run the move again, or
 * abandon it): every committed event of the tenant is in the database the directory names exactly
 * once, in its stream's order and with its id; the tenant writes again; nothing of the target is
 * read while the directory names the source; the other tenant is untouched. The child stops at the
 * step ({@link TenantMoveProcess}) and says so before it is killed: no timing guesses.
 *
 * <p>One crash runs in the default build (the fence left up, abandoned, then moved again); every
 * step with both recoveries in {@code -Ptorture}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // child processes
class TenantMoveCrashPostgresTest {
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static PostgresDatabase one;
  private static PostgresDatabase two;

  enum Recovery { RERUN, ABANDON }

  @BeforeAll
  static void databases() {
    one = PostgresServer.shared().createDatabase();
    two = PostgresServer.shared().createDatabase();
  }

  @AfterAll
  static void drop() {
    PostgresServer.shared().dropDatabase(one);
    PostgresServer.shared().dropDatabase(two);
  }

  /** The default build's one crash: the fence left up is lifted by an abandon, and a later move resumes the copy. */
  @Test
  void a_mover_killed_while_the_fence_is_up_is_abandoned_and_the_tenant_moves_later() throws Exception {
    crashAndRecover(Phase.FENCED, Recovery.ABANDON);
  }

  @Tag("torture")
  @ParameterizedTest
  @EnumSource(Phase.class)
  void a_mover_killed_at_any_step_is_finished_by_running_the_move_again(Phase phase) throws Exception {
    crashAndRecover(phase, Recovery.RERUN);
  }

  @Tag("torture")
  @ParameterizedTest
  @EnumSource(Phase.class)
  void a_mover_killed_at_any_step_is_abandoned_and_the_tenant_moves_later(Phase phase) throws Exception {
    crashAndRecover(phase, Recovery.ABANDON);
  }

  private static TenantDatabases open(String prefix) {
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix);
    Map<String, JdbcEventStore> stores = new LinkedHashMap<>();
    stores.put("one", JdbcEventStore.open(one.jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, jdbc));
    stores.put("two", JdbcEventStore.open(two.jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, jdbc));
    return TenantDatabases.open(stores, "one", TenantDirectory.inTable(stores.get("one")),
        TenantRoutingConfig.DEFAULT.withPlacementCacheTime(Duration.ofMillis(100)).withFenceWait(Duration.ofMillis(200)));
  }

  /** Appends to one stream of its tenant, retrying while the tenant is fenced; remembers what committed. */
  private static final class Writer implements Runnable {
    final EventStore tenant;
    final String name;
    final AtomicBoolean stop = new AtomicBoolean();
    final List<UUID> written = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    Writer(EventStore tenant, String name) {
      this.tenant = tenant;
      this.name = name;
    }

    @Override
    public void run() {
      try {
        for (long seq = 1; !stop.get(); seq++) {
          EventData e = TenantMovePostgresTest.event(name, seq);
          while (true) {
            try {
              tenant.append(name, ExpectedVersion.exactly(seq - 1), List.of(e));
              break;
            } catch (TenantMovingException fenced) {
              refused.incrementAndGet();
              if (stop.get()) {
                return;
              }
            }
          }
          written.add(e.eventId());
          Thread.sleep(3); // pacing: a steady trickle of writes, not a synchronisation
        }
      } catch (Throwable t) {
        errors.add(t);
      }
    }

    void awaitMore(int more) {
      int from = written.size();
      Await.until(name + " writes " + more + " more events", Duration.ofSeconds(30), () -> written.size() >= from + more);
    }
  }

  private void crashAndRecover(Phase phase, Recovery recovery) throws Exception {
    // One table prefix for the class (migrated once), a pair of tenants per crash.
    String prefix = "mc_";
    int run = RUNS.incrementAndGet();
    String tenant = "acme-" + run;
    String other = "globex-" + run;
    try (TenantDatabases store = open(prefix)) {
      JdbcEventStore dbOne = store.database("one");
      JdbcEventStore dbTwo = store.database("two");
      TenantMove mover = TenantMove.open(store, TenantMoveConfig.DEFAULT.withBatchSize(20).withFenceBelow(1));
      Set<UUID> expected = new HashSet<>();
      for (int s = 0; s < 4; s++) {
        List<EventData> batch = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
          batch.add(TenantMovePostgresTest.event("pre", i));
        }
        store.forTenant(tenant).append("pre-" + s, ExpectedVersion.noStream(), batch);
        batch.forEach(e -> expected.add(e.eventId()));
      }
      Writer acme = new Writer(store.forTenant(tenant), "acme-writer");
      Writer globex = new Writer(store.forTenant(other), "globex-writer");
      List<Thread> threads = List.of(new Thread(acme, "acme-writer"), new Thread(globex, "globex-writer"));
      threads.forEach(Thread::start);
      try {
        acme.awaitMore(5);
        globex.awaitMore(5);

        Set<UUID> childWrote = killedAt(phase, prefix, tenant);
        expected.addAll(childWrote);

        // Just after the crash: the directory names the source until the switch, and the tenant's
        // reads come from there, not from the half-made copy in the target.
        store.refresh(tenant);
        boolean switched = phase == Phase.SWITCHED;
        assertThat(store.databaseOf(tenant)).isEqualTo(switched ? "two" : "one");
        if (!switched) {
          List<UUID> read = ids(store.forTenant(tenant).readAll(LogQuery.all()));
          assertThat(ids(dbOne.readAll(LogQuery.all().tenant(tenant)))).as("the tenant's reads come from the source")
              .startsWith(read.toArray(UUID[]::new));
          if (phase == Phase.COPYING || phase == Phase.CATCHING_UP || phase == Phase.FENCED) {
            assertThatThrownBy(() -> dbTwo.forTenant(tenant).append("pre-0", ExpectedVersion.any(), List.of(TenantMovePostgresTest.event("x", 0))))
                .as("the half-made copy is fenced in the target").isInstanceOf(TenantMovingException.class);
          }
        }
        if (phase == Phase.FENCED || phase == Phase.COPIED || phase == Phase.PARITY_PASSED) {
          int refused = acme.refused.get();
          Await.until("the dead mover's fence refuses the tenant's writes", Duration.ofSeconds(10), () -> acme.refused.get() > refused);
        }

        String home;
        if (recovery == Recovery.RERUN) {
          if (switched) {
            assertThatThrownBy(() -> mover.move(tenant, "two")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("already lives in database 'two'").hasMessageContaining("the move is done");
          } else {
            TenantMoveReport report = mover.move(tenant, "two");
            assertThat(report.parity().passed()).as(report.parity().describe()).isTrue();
          }
          home = "two";
        } else {
          mover.abandon(tenant, "two");
          home = switched ? "two" : "one";
        }
        store.refresh(tenant);
        assertThat(store.databaseOf(tenant)).isEqualTo(home);
        acme.awaitMore(5); // the tenant writes again
        if (recovery == Recovery.ABANDON && !switched) {
          // An abandoned move leaves a resumable copy: the next move finishes the job.
          TenantMoveReport later = mover.move(tenant, "two");
          assertThat(later.parity().passed()).as(later.parity().describe()).isTrue();
          home = "two";
          acme.awaitMore(5);
        }
      } finally {
        acme.stop.set(true);
        globex.stop.set(true);
        for (Thread t : threads) {
          t.join(20_000);
        }
      }
      assertThat(acme.errors).isEmpty();
      assertThat(globex.errors).isEmpty();
      expected.addAll(acme.written);

      // Every committed event of the tenant once, in the database the directory names.
      store.refresh(tenant);
      assertThat(store.databaseOf(tenant)).isEqualTo("two");
      List<RecordedEvent> moved = list(dbTwo.readAll(LogQuery.all().tenant(tenant)));
      assertThat(moved).extracting(RecordedEvent::eventId).doesNotHaveDuplicates();
      assertThat(new HashSet<>(ids(moved))).isEqualTo(expected);
      Map<String, List<RecordedEvent>> byStream = moved.stream()
          .collect(Collectors.groupingBy(RecordedEvent::streamId, LinkedHashMap::new, Collectors.toList()));
      for (var stream : byStream.entrySet()) {
        List<RecordedEvent> events = stream.getValue();
        for (int i = 0; i < events.size(); i++) {
          assertThat(events.get(i).streamVersion()).as(stream.getKey()).isEqualTo(i + 1);
          assertThat(events.get(i).payload().get("seq").asLong()).as(stream.getKey()).isEqualTo(i + 1);
        }
      }
      assertThat(byStream.get("acme-writer")).extracting(RecordedEvent::eventId).containsExactlyElementsOf(acme.written);

      // The other tenant: all in its database, in order, nothing in the target.
      assertThat(ids(dbOne.readAll(LogQuery.all().tenant(other)))).containsExactlyElementsOf(globex.written);
      assertThat(list(dbTwo.readAll(LogQuery.all().tenant(other)))).isEmpty();
    }
  }

  /** Runs the move in a child JVM, SIGKILLs it once it says it stopped at {@code phase}; returns the ids it appended. */
  private static Set<UUID> killedAt(Phase phase, String prefix, String tenant) throws Exception {
    Process child = new ProcessBuilder(dev.fabula.testkit.ChildJvm.command(TenantMoveProcess.class,
        one.jdbcUrlWithCredentials(), two.jdbcUrlWithCredentials(), prefix, tenant, phase.name()))
        .redirectErrorStream(true).start();
    Set<UUID> wrote = new HashSet<>();
    List<String> output = new CopyOnWriteArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("WROTE ")) {
            synchronized (wrote) {
              wrote.add(UUID.fromString(line.substring(6)));
            }
          } else if (line.equals("AT " + phase)) {
            stopped.countDown();
          } else if (output.size() < 200) {
            output.add(line);
          }
        }
      } catch (java.io.IOException e) {
        output.add("reading the child's output failed: " + e);
      }
    }, "mover-output");
    reader.setDaemon(true);
    reader.start();
    try {
      assertThat(stopped.await(90, TimeUnit.SECONDS)).as("the mover reached %s; its output: %s", phase, output).isTrue();
    } finally {
      child.destroyForcibly(); // SIGKILL, wherever it is
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    reader.join(10_000);
    synchronized (wrote) {
      assertThat(wrote).as("the child appended its events at the first batch").hasSize(5);
      return new HashSet<>(wrote);
    }
  }

  private static List<RecordedEvent> list(java.util.stream.Stream<RecordedEvent> events) {
    try (events) {
      return events.toList();
    }
  }

  private static List<UUID> ids(java.util.stream.Stream<RecordedEvent> events) {
    return ids(list(events));
  }

  private static List<UUID> ids(List<RecordedEvent> events) {
    return events.stream().map(RecordedEvent::eventId).toList();
  }
}
