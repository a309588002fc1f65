package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.internal.InMemoryKeyStore;
import dev.fabula.spi.KeyStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.TenantMovingException;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.TenantDatabases;
import dev.fabula.jdbc.TenantDirectory;
import dev.fabula.jdbc.TenantRoutingConfig;
import dev.fabula.projections.Projection;
import dev.fabula.projections.Projections;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.TenantJobs;
import dev.fabula.testkit.Await;
import dev.fabula.testkit.postgres.OwnedPostgres;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Moving a tenant between two PostgreSQL databases, on two servers (the shared test server and one
 * the class starts, where this machine allows), while writers keep
 * appending: nothing lost or duplicated, each stream's order kept, the other tenant untouched, the
 * tenant's projection and jobs following it.
 */
class TenantMovePostgresTest {
  private static final JdbcConfig MIGRATING = JdbcConfig.DEFAULT.withMigrateOnOpen(true);
  private static PostgresDatabase one;
  private static PostgresDatabase two;
  /** The server of database "two", when this machine can start one; else "two" shares the server of "one". */
  private static @Nullable OwnedPostgres second;

  @BeforeAll
  static void databases() {
    one = PostgresServer.shared().createDatabase();
    if (OwnedPostgres.canRunHere()) {
      second = OwnedPostgres.start();
      two = second.database();
    } else {
      two = PostgresServer.shared().createDatabase();
    }
  }

  @AfterAll
  static void drop() {
    PostgresServer.shared().dropDatabase(one);
    if (second != null) {
      second.close();
    } else {
      PostgresServer.shared().dropDatabase(two);
    }
  }

  private static TenantDatabases open(String prefix) {
    return open(prefix, EventStoreConfig.DEFAULT, EventStoreConfig.DEFAULT);
  }

  private static TenantDatabases open(String prefix, EventStoreConfig oneConfig, EventStoreConfig twoConfig) {
    Map<String, JdbcEventStore> stores = new LinkedHashMap<>();
    stores.put("one", JdbcEventStore.open(one.jdbcUrlWithCredentials(), oneConfig, MIGRATING.withTablePrefix(prefix)));
    stores.put("two", JdbcEventStore.open(two.jdbcUrlWithCredentials(), twoConfig, MIGRATING.withTablePrefix(prefix)));
    return TenantDatabases.open(stores, "one", TenantDirectory.inTable(stores.get("one")),
        TenantRoutingConfig.DEFAULT.withPlacementCacheTime(Duration.ofMillis(200)));
  }

  static EventData event(String writer, long seq) {
    return EventData.json("Counted", 1, JsonNodeFactory.instance.objectNode().put("writer", writer).put("seq", seq));
  }

  /** Appends to its own streams with exact expected versions, remembering every id that committed. */
  static final class Writer implements Runnable {
    final EventStore tenant;
    final String name;
    final AtomicBoolean stop;
    final List<UUID> written = new CopyOnWriteArrayList<>();
    final AtomicInteger unitsRefused = new AtomicInteger();
    final List<Throwable> errors;
    private final Map<String, Long> versions = new HashMap<>();

    Writer(EventStore tenant, String name, AtomicBoolean stop, List<Throwable> errors) {
      this.tenant = tenant;
      this.name = name;
      this.stop = stop;
      this.errors = errors;
    }

    @Override
    public void run() {
      try {
        for (long seq = 1; !stop.get(); seq++) {
          String stream = name + "-" + (seq % 4);
          long version = versions.getOrDefault(stream, 0L);
          EventData e = event(name, seq);
          if (seq % 3 == 0) {
            // a unit of work: refused (not retried by the store) while the fence holds; the
            // writer retries it, as an application would
            while (true) {
              try {
                tenant.inTransaction(tx -> tx.append(stream, ExpectedVersion.exactly(version), List.of(e)));
                break;
              } catch (TenantMovingException refused) {
                unitsRefused.incrementAndGet();
              }
            }
          } else {
            tenant.append(stream, ExpectedVersion.exactly(version), List.of(e));
          }
          versions.put(stream, version + 1);
          written.add(e.eventId());
        }
      } catch (Throwable t) {
        errors.add(t);
      }
    }
  }

  private static List<RecordedEvent> log(JdbcEventStore db, String tenant) {
    try (var events = db.readAll(LogQuery.all().tenant(tenant))) {
      return events.toList();
    }
  }

  @Test
  void a_tenant_moves_between_databases_under_load_with_its_projection_and_jobs() throws Exception {
    try (TenantDatabases store = open("tm_")) {
      JdbcEventStore dbOne = store.database("one");
      JdbcEventStore dbTwo = store.database("two");
      // A projection per database, recording each event id once (a second delivery would break
      // the primary key and fail the projection).
      Map<String, Projections> projections = new HashMap<>();
      List<ProjectionRunner> runners = new ArrayList<>();
      Projection seen = Projection.transactional("seen-events", TransactionalHandler.eachEvent((h, e) ->
          h.createUpdate("INSERT INTO load_seen_events (tenant_id, event_id) VALUES (:tenant, :id)")
              .bind("tenant", e.metadata().tenantId()).bind("id", e.eventId().toString()).execute()));
      for (var db : store.databases().entrySet()) {
        db.getValue().jdbi().useHandle(h -> h.execute(
            "CREATE TABLE load_seen_events (tenant_id text, event_id text PRIMARY KEY)"));
        Projections p = Projections.open(db.getValue());
        projections.put(db.getKey(), p);
        runners.add(p.runner(RunnerConfig.DEFAULT, List.of(seen)).start());
      }
      JobQueue queueOne = JobQueue.open(dbOne, JobQueueConfig.DEFAULT);
      JobQueue queueTwo = JobQueue.open(dbTwo, JobQueueConfig.DEFAULT);
      try {
        for (int i = 0; i < 3; i++) {
          JobRequest invoice = JobRequest.of("send-invoice").withPayload("{\"n\": " + i + "}").withDelay(Duration.ofHours(1));
          store.forTenant("acme").inTransaction(tx -> queueOne.enqueue(tx, invoice));
        }
        store.forTenant("globex").inTransaction(tx -> queueOne.enqueue(tx, JobRequest.of("send-invoice").withDelay(Duration.ofHours(1))));

        // Before the move: acme has history to copy, globex lives beside it.
        List<UUID> preloaded = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
          List<EventData> batch = new ArrayList<>();
          for (int i = 1; i <= 20; i++) {
            batch.add(event("pre", i));
          }
          store.forTenant("acme").append("pre-" + s, ExpectedVersion.noStream(), batch);
          batch.forEach(e -> preloaded.add(e.eventId()));
        }

        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Writer> acmeWriters = List.of(
            new Writer(store.forTenant("acme"), "a1", stop, errors), new Writer(store.forTenant("acme"), "a2", stop, errors));
        Writer globexWriter = new Writer(store.forTenant("globex"), "g1", stop, errors);
        List<Thread> threads = new ArrayList<>();
        for (Writer w : List.of(acmeWriters.get(0), acmeWriters.get(1), globexWriter)) {
          Thread t = new Thread(w, "writer-" + w.name);
          t.start();
          threads.add(t);
        }
        Await.until("the writers are under way", Duration.ofSeconds(20),
            () -> acmeWriters.stream().allMatch(w -> w.written.size() >= 10) && globexWriter.written.size() >= 10);

        TenantMoveReport report = TenantMove.open(store, TenantMoveConfig.DEFAULT.withBatchSize(50).withFenceBelow(20))
            .move("acme", "two");

        int[] atSwitch = acmeWriters.stream().mapToInt(w -> w.written.size()).toArray();
        Await.until("the writers wrote on after the switch", Duration.ofSeconds(20),
            () -> acmeWriters.get(0).written.size() >= atSwitch[0] + 10 && acmeWriters.get(1).written.size() >= atSwitch[1] + 10);
        stop.set(true);
        for (Thread t : threads) {
          t.join(20_000);
        }
        assertThat(errors).isEmpty();

        assertThat(report.parity().passed()).as(report.parity().describe()).isTrue();
        assertThat(report.from()).isEqualTo("one");
        assertThat(report.to()).isEqualTo("two");
        assertThat(report.eventsCopied()).isGreaterThanOrEqualTo(preloaded.size());
        store.refresh("acme");
        assertThat(store.databaseOf("acme")).isEqualTo("two");

        // Nothing lost, nothing doubled: the target holds exactly the ids that committed.
        List<RecordedEvent> acmeInTwo = log(dbTwo, "acme");
        Set<UUID> expected = new HashSet<>(preloaded);
        acmeWriters.forEach(w -> expected.addAll(w.written));
        List<UUID> ids = acmeInTwo.stream().map(RecordedEvent::eventId).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(expected);
        assertThat(log(dbOne, "acme")).as("the source holds only what it had before the switch")
            .allMatch(e -> expected.contains(e.eventId())).hasSizeLessThan(ids.size());
        // Each stream in order: versions 1..n and the writer's sequence increasing.
        Map<String, List<RecordedEvent>> byStream = acmeInTwo.stream()
            .collect(Collectors.groupingBy(RecordedEvent::streamId, LinkedHashMap::new, Collectors.toList()));
        for (var stream : byStream.entrySet()) {
          List<RecordedEvent> events = stream.getValue();
          for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).streamVersion()).as(stream.getKey()).isEqualTo(i + 1);
            if (i > 0) {
              assertThat(events.get(i).payload().get("seq").asLong()).isGreaterThan(events.get(i - 1).payload().get("seq").asLong());
            }
          }
        }

        // The other tenant: untouched, all in its database.
        assertThat(log(dbTwo, "globex")).isEmpty();
        assertThat(log(dbOne, "globex")).extracting(RecordedEvent::eventId).containsExactlyElementsOf(globexWriter.written);

        // The projection of the target database applied each of acme's events once.
        projections.get("two").awaitPosition(seen.id(), dbTwo.headPosition(), Duration.ofSeconds(20));
        List<String> projected = dbTwo.jdbi().withHandle(h -> h.createQuery(
            "SELECT event_id FROM load_seen_events WHERE tenant_id = 'acme'").mapTo(String.class).list());
        assertThat(projected.stream().map(UUID::fromString).collect(Collectors.toSet())).isEqualTo(expected);

        // The jobs follow: acme's pending jobs now wait in the target's queue; globex's stays.
        assertThat(TenantJobs.move("acme", queueOne, queueTwo)).isEqualTo(3);
        assertThat(TenantJobs.move("acme", queueOne, queueTwo)).as("a second run moves nothing").isZero();
        assertThat(pending(queueTwo)).extracting(Job::tenantId, Job::type)
            .containsOnly(org.assertj.core.groups.Tuple.tuple("acme", "send-invoice")).hasSize(3);
        assertThat(pending(queueOne)).extracting(Job::tenantId).containsExactly("globex");
      } finally {
        runners.forEach(ProjectionRunner::close);
      }
    }
  }

  private static List<Job> pending(JobQueue queue) {
    return queue.list(JobQuery.ALL.withState(JobState.PENDING));
  }

  @Test
  void after_a_move_the_old_database_refuses_the_tenant_and_a_stale_router_writes_to_the_new_one() {
    try (TenantDatabases store = open("tm_"); TenantDatabases stale = open("tm_")) {
      store.forTenant("stale-acme").append("order-1", ExpectedVersion.noStream(), List.of(event("x", 1)));
      stale.forTenant("stale-acme").readStream("order-1"); // caches "one" for 200 ms

      TenantMove.open(store, TenantMoveConfig.DEFAULT).move("stale-acme", "two");

      assertThatThrownBy(() -> store.database("one").forTenant("stale-acme")
              .append("order-1", ExpectedVersion.exactly(1), List.of(event("x", 2))))
          .isInstanceOf(TenantMovingException.class).hasMessageContaining("retry");
      stale.forTenant("stale-acme").append("order-1", ExpectedVersion.exactly(1), List.of(event("x", 2)));
      assertThat(store.database("two").forTenant("stale-acme").readStream("order-1")).hasSize(2);
      assertThat(store.database("one").forTenant("stale-acme").readStream("order-1")).hasSize(1);
      assertThat(store.database("one").forTenant("stale-globex").streamInfo("order-1")).isEmpty();
      store.database("one").forTenant("stale-globex").append("order-1", ExpectedVersion.noStream(), List.of(event("y", 1)));
    }
  }

  @Test
  void while_a_fence_holds_units_of_work_fail_retryably_and_appends_wait_for_the_switch() {
    Map<String, JdbcEventStore> stores = new LinkedHashMap<>();
    stores.put("one", JdbcEventStore.open(one.jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, MIGRATING.withTablePrefix("tm_")));
    stores.put("two", JdbcEventStore.open(two.jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, MIGRATING.withTablePrefix("tm_")));
    try (TenantDatabases store = TenantDatabases.open(stores, "one", TenantDirectory.inTable(stores.get("one")),
        TenantRoutingConfig.DEFAULT.withFenceWait(Duration.ofMillis(300)))) {
      EventStore acme = store.forTenant("fenced-acme");
      acme.append("order-1", ExpectedVersion.noStream(), List.of(event("x", 1)));
      var tables = dev.fabula.migration.internal.MigrationTables.open(store.database("one"));
      dev.fabula.migration.internal.TenantFences.fence(tables, "fenced-acme", "out", "two", Duration.ofSeconds(5));

      assertThatThrownBy(() -> acme.inTransaction(tx -> tx.append("order-1", ExpectedVersion.exactly(1), List.of(event("x", 2)))))
          .isInstanceOf(TenantMovingException.class);
      assertThatThrownBy(() -> acme.append("order-1", ExpectedVersion.exactly(1), List.of(event("x", 2))))
          .isInstanceOf(TenantMovingException.class).hasMessageContaining("did not switch within 300 ms");
      store.forTenant("fenced-globex").append("order-1", ExpectedVersion.noStream(), List.of(event("y", 1)));
      assertThat(acme.readStream("order-1")).as("reads go on").hasSize(1);

      dev.fabula.migration.internal.TenantFences.lift(tables, "fenced-acme", "out");
      acme.append("order-1", ExpectedVersion.exactly(1), List.of(event("x", 2)));
      assertThat(acme.readStream("order-1")).hasSize(2);
    }
  }

  @Test
  void deleted_streams_move_deleted_and_a_move_back_copies_only_what_is_new() {
    try (TenantDatabases store = open("tm_")) {
      EventStore acme = store.forTenant("back-acme");
      acme.append("kept", ExpectedVersion.noStream(), List.of(event("k", 1), event("k", 2)));
      acme.append("soft", ExpectedVersion.noStream(), List.of(event("s", 1)));
      acme.append("hard", ExpectedVersion.noStream(), List.of(event("h", 1)));
      acme.deleteStream("soft", ExpectedVersion.any());
      acme.hardDeleteStream("hard");

      TenantMoveReport there = TenantMove.open(store, TenantMoveConfig.DEFAULT).move("back-acme", "two");
      assertThat(there.parity().passed()).as(there.parity().describe()).isTrue();
      assertThat(store.database("two").forTenant("back-acme").streamInfo("soft")).get().extracting("deleted").isEqualTo(true);
      // A hard delete leaves a tombstone under a keyed hash of the id (the source's secret): it stays behind.
      assertThat(store.database("two").forTenant("back-acme").streamInfo("hard")).isEmpty();
      assertThat(store.database("two").forTenant("back-acme").readStream("kept")).hasSize(2);

      acme.append("kept", ExpectedVersion.exactly(2), List.of(event("k", 3)));
      TenantMoveReport back = TenantMove.open(store, TenantMoveConfig.DEFAULT).move("back-acme", "one");
      assertThat(back.eventsCopied()).as("only the event written in 'two'").isEqualTo(1);
      assertThat(back.parity().passed()).as(back.parity().describe()).isTrue();
      assertThat(store.databaseOf("back-acme")).isEqualTo("one");
      assertThat(acme.readStream("kept")).extracting(e -> e.payload().get("seq").asLong()).containsExactly(1L, 2L, 3L);
      acme.append("kept", ExpectedVersion.exactly(3), List.of(event("k", 4)));
      assertThatThrownBy(() -> store.database("two").forTenant("back-acme").append("kept", ExpectedVersion.exactly(3), List.of(event("k", 4))))
          .isInstanceOf(TenantMovingException.class);
    }
  }

  @Test
  void a_stream_erased_after_an_abandoned_copy_took_it_is_deleted_in_the_target_by_the_next_move() {
    try (TenantDatabases store = open("tm_")) {
      EventStore acme = store.forTenant("erase-acme");
      acme.append("a-first", ExpectedVersion.noStream(), List.of(event("x", 1)));
      acme.append("b-second", ExpectedVersion.noStream(), List.of(event("x", 2)));
      assertThatThrownBy(() -> TenantMove.open(store, TenantMoveConfig.DEFAULT.withBatchSize(1)).withListener((t, phase, n) -> {
        if (phase == TenantMove.Phase.COPYING) {
          throw new IllegalStateException("stopped by the test after the first batch");
        }
      }).move("erase-acme", "two")).isInstanceOf(MigrationException.class);
      assertThat(store.database("two").forTenant("erase-acme").readStream("a-first")).as("copied, then abandoned").hasSize(1);
      acme.erase(Erasure.stream("a-first").by("dpo:ticket-2"));

      TenantMoveReport report = TenantMove.open(store, TenantMoveConfig.DEFAULT).move("erase-acme", "two");

      assertThat(report.parity().passed()).as(report.parity().describe()).isTrue();
      assertThat(store.database("two").forTenant("erase-acme").streamInfo("a-first"))
          .as("a tombstone, as after an erasure there").hasValueSatisfying(info -> assertThat(info.deleted()).isTrue());
      long left = store.database("two").jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM tm_events WHERE tenant_id = 'erase-acme' AND stream_id = 'a-first'").mapTo(Long.class).one());
      assertThat(left).as("the copied events of the erased stream are gone from the target").isZero();
      assertThat(acme.readStream("b-second")).hasSize(1);
      assertThat(acme.erasures()).hasSize(1);
    }
  }

  // ---- personal data -------------------------------------------------------------------------

  private static final PersonalDataPolicy PERSONAL = PersonalDataPolicy.builder().declare("Registered", "/subject", "/email").build();

  private static EventData registered(String subject) {
    return EventData.json("Registered", 1,
        JsonNodeFactory.instance.objectNode().put("subject", subject).put("email", subject + "@example.com").put("plan", "gold"));
  }

  /** The e-mail of the stream's first event as read: the address, or null once its subject is forgotten. */
  private static @Nullable String email(EventStore tenant, String stream) {
    var field = tenant.readStream(stream).get(0).payload().get("email");
    return field == null || field.isNull() ? null : field.asText();
  }

  @Test
  void a_tenant_with_personal_data_moves_with_its_keys_and_erasure_records() {
    EventStoreConfig config = EventStoreConfig.DEFAULT.withPersonalData(PERSONAL);
    try (TenantDatabases store = open("tp_", config, config)) {
      EventStore acme = store.forTenant("pd-acme");
      for (String subject : List.of("kept", "forgotten", "erased", "later")) {
        acme.append("customer-" + subject, ExpectedVersion.noStream(), List.of(registered(subject)));
      }
      store.forTenant("pd-globex").append("customer-kept", ExpectedVersion.noStream(), List.of(registered("kept")));
      acme.rotateSubjectKey("kept");
      acme.append("customer-kept", ExpectedVersion.exactly(1), List.of(registered("kept")));
      assertThat(acme.forgetSubject("forgotten")).isTrue();
      ErasureRecord erased = acme.erase(Erasure.subject("erased").by("dpo:ticket-1"));

      TenantMoveReport report = TenantMove.open(store, TenantMoveConfig.DEFAULT).move("pd-acme", "two");

      assertThat(report.parity().passed()).as(report.parity().describe()).isTrue();
      assertThat(report.keys().passed()).as(report.keys().describe()).isTrue();
      EventStore acmeInTwo = store.database("two").forTenant("pd-acme");
      // Sealed fields read back on the target, with both key versions; forgotten subjects stay redacted.
      assertThat(email(acmeInTwo, "customer-kept")).isEqualTo("kept@example.com");
      assertThat(acmeInTwo.readStream("customer-kept").get(1).payload().get("email").asText()).isEqualTo("kept@example.com");
      assertThat(email(acmeInTwo, "customer-forgotten")).isNull();
      assertThat(email(acmeInTwo, "customer-erased")).isNull();
      // The erasure is auditable on the target.
      assertThat(acmeInTwo.erasures()).extracting(ErasureRecord::id).containsExactly(erased.id());
      assertThat(acme.erasures()).extracting(ErasureRecord::id).containsExactly(erased.id());
      // The source keeps the events but not the keys: nothing of the tenant reads there any more.
      assertThat(email(store.database("one").forTenant("pd-acme"), "customer-kept")).isNull();
      // The other tenant, with a subject of the same name, is untouched.
      assertThat(email(store.forTenant("pd-globex"), "customer-kept")).isEqualTo("kept@example.com");

      // Forgetting after the move works on the target, and new personal data seals there.
      assertThat(acme.forgetSubject("later")).isTrue();
      assertThat(email(acmeInTwo, "customer-later")).isNull();
      acme.append("customer-new", ExpectedVersion.noStream(), List.of(registered("new")));
      assertThat(email(acme, "customer-new")).isEqualTo("new@example.com");
      assertThat(email(acme, "customer-kept")).isEqualTo("kept@example.com");
    }
  }

  @Test
  void while_the_move_is_fenced_the_source_refuses_to_forget_and_the_target_forgets_after_the_switch() {
    EventStoreConfig config = EventStoreConfig.DEFAULT.withPersonalData(PERSONAL);
    try (TenantDatabases store = open("tp_", config, config)) {
      EventStore acme = store.forTenant("pdf-acme");
      acme.append("customer-c1", ExpectedVersion.noStream(), List.of(registered("c1")));
      List<Throwable> refused = new CopyOnWriteArrayList<>();
      TenantMove.open(store, TenantMoveConfig.DEFAULT).withListener((t, phase, n) -> {
        if (phase == TenantMove.Phase.FENCED) {
          // A forget that reached the source now would delete a key the copy is about to carry.
          try {
            store.database("one").forTenant("pdf-acme").forgetSubject("c1");
          } catch (TenantMovingException e) {
            refused.add(e);
          }
        }
      }).move("pdf-acme", "two");
      assertThat(refused).hasSize(1);
      assertThat(email(acme, "customer-c1")).isEqualTo("c1@example.com");
      assertThat(acme.forgetSubject("c1")).isTrue();
      assertThat(email(store.database("two").forTenant("pdf-acme"), "customer-c1")).isNull();
    }
  }

  private static long keys(TenantDatabases store, String database, String tenant) {
    return store.database(database).jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM tp_personal_data_keys WHERE tenant_id = :tenant").bind("tenant", tenant).mapTo(Long.class).one());
  }

  @Test
  void no_copy_of_a_key_stays_where_the_tenant_does_not_live() {
    EventStoreConfig config = EventStoreConfig.DEFAULT.withPersonalData(PERSONAL);
    try (TenantDatabases store = open("tp_", config, config)) {
      EventStore acme = store.forTenant("pda-acme");
      acme.append("customer-c1", ExpectedVersion.noStream(), List.of(registered("c1")));
      // A move that stops after the keys were copied is abandoned: the target keeps the events, fenced, not the keys.
      assertThatThrownBy(() -> TenantMove.open(store, TenantMoveConfig.DEFAULT).withListener((t, phase, n) -> {
        if (phase == TenantMove.Phase.COPIED) {
          throw new IllegalStateException("stopped by the test after the last copy");
        }
      }).move("pda-acme", "two")).isInstanceOf(MigrationException.class);
      assertThat(keys(store, "two", "pda-acme")).isZero();
      assertThat(email(acme, "customer-c1")).isEqualTo("c1@example.com");

      TenantMove.open(store, TenantMoveConfig.DEFAULT).move("pda-acme", "two");
      assertThat(keys(store, "one", "pda-acme")).isZero();
      assertThat(keys(store, "two", "pda-acme")).isEqualTo(1);
      // A mover that died between the switch and deleting the source's keys left them there (put
      // back by hand here): running the move again deletes them.
      var row = store.database("two").jdbi().withHandle(h -> h.createQuery(
          "SELECT * FROM tp_personal_data_keys WHERE tenant_id = 'pda-acme'").mapToMap().one());
      store.database("one").jdbi().useHandle(h -> {
        var insert = h.createUpdate("INSERT INTO tp_personal_data_keys (tenant_id, subject_id, version, key_id, key_bytes, created_at) "
            + "VALUES (:tenant_id, :subject_id, :version, :key_id, :key_bytes, :created_at)");
        row.forEach(insert::bind);
        insert.execute();
      });
      assertThatThrownBy(() -> TenantMove.open(store, TenantMoveConfig.DEFAULT).move("pda-acme", "two"))
          .isInstanceOf(MigrationException.class).hasMessageContaining("the move is done");
      assertThat(keys(store, "one", "pda-acme")).isZero();
      assertThat(email(acme, "customer-c1")).isEqualTo("c1@example.com");
    }
  }

  @Test
  void keys_in_an_external_key_store_move_only_when_both_databases_share_it() {
    KeyStore kms = new InMemoryKeyStore();
    EventStoreConfig shared = EventStoreConfig.DEFAULT.withPersonalData(PERSONAL.withKeyStore(kms));
    try (TenantDatabases store = open("tk_", shared, shared)) {
      store.forTenant("kms-acme").append("customer-c1", ExpectedVersion.noStream(), List.of(registered("c1")));
      TenantMoveReport report = TenantMove.open(store, TenantMoveConfig.DEFAULT).move("kms-acme", "two");
      assertThat(report.keys().passed()).as(report.keys().describe()).isTrue();
      assertThat(email(store.database("two").forTenant("kms-acme"), "customer-c1")).isEqualTo("c1@example.com");
    }
    EventStoreConfig other = EventStoreConfig.DEFAULT.withPersonalData(PERSONAL.withKeyStore(new InMemoryKeyStore()));
    try (TenantDatabases store = open("tk_", shared, other)) {
      store.forTenant("kms-globex").append("customer-c1", ExpectedVersion.noStream(), List.of(registered("c1")));
      assertThatThrownBy(() -> TenantMove.open(store, TenantMoveConfig.DEFAULT).move("kms-globex", "two"))
          .isInstanceOf(MigrationException.class).hasMessageContaining("external key store")
          .hasMessageContaining("same KeyStore instance");
      assertThat(store.databaseOf("kms-globex")).isEqualTo("one");
      assertThat(email(store.forTenant("kms-globex"), "customer-c1")).isEqualTo("c1@example.com");
    }
    EventStoreConfig none = EventStoreConfig.DEFAULT;
    EventStoreConfig table = EventStoreConfig.DEFAULT.withPersonalData(PERSONAL);
    try (TenantDatabases store = open("tn_", table, none)) {
      store.forTenant("plain-acme").append("customer-c1", ExpectedVersion.noStream(), List.of(registered("c1")));
      assertThatThrownBy(() -> TenantMove.open(store, TenantMoveConfig.DEFAULT).move("plain-acme", "two"))
          .isInstanceOf(MigrationException.class).hasMessageContaining("without a personal data policy");
    }
  }
}
