package dev.fabula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.example.ConfigValues;
import dev.fabula.example.ConfigValues.ConfigCommand;
import dev.fabula.example.ConfigValues.ConfigEvent;
import dev.fabula.example.ConfigValues.ConfigValue;
import dev.fabula.example.ConfigValues.ConfigValueAggregate;
import dev.fabula.example.ConfigValues.DeleteValue;
import dev.fabula.example.ConfigValues.SetValue;
import dev.fabula.example.ConfigValues.ValueDeleted;
import dev.fabula.example.ConfigValues.ValueSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AggregateRepositoryTest {

  private final EventStore store = EventStore.inMemory(EventStoreConfig.DEFAULT.withEventTypes(ConfigValues.TYPES));
  private final AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values =
      AggregateRepository.of(store, new ConfigValueAggregate());

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void an_aggregate_without_events_is_in_its_initial_state_at_version_0() {
    AggregateState<ConfigValue> loaded = values.load("db-url");

    assertThat(loaded.state()).isEqualTo(ConfigValue.ABSENT);
    assertThat(loaded.version()).isZero();
    assertThat(loaded.isNew()).isTrue();
    assertThat(loaded.streamId()).isEqualTo("config-db-url");
  }

  @Test
  void the_events_of_a_command_have_ids_derived_from_its_command_id_stream_and_tenant() {
    values.handle("a", new SetValue("x"), CommandMetadata.of("request-1"));
    values.handle("b", new SetValue("x"), CommandMetadata.of("request-1"));
    var tenant = AggregateRepository.of(store.forTenant("acme"), new ConfigValueAggregate());
    tenant.handle("a", new SetValue("x"), CommandMetadata.of("request-1"));
    EventStore again = EventStore.inMemory(EventStoreConfig.DEFAULT.withEventTypes(ConfigValues.TYPES));
    AggregateRepository.of(again, new ConfigValueAggregate()).handle("a", new SetValue("x"), CommandMetadata.of("request-1"));

    java.util.UUID id = store.readStream("config-a").get(0).eventId();
    assertThat(id.version()).as("name-based").isEqualTo(5);
    assertThat(again.readStream("config-a").get(0).eventId()).as("the same command, the same id").isEqualTo(id);
    assertThat(store.readStream("config-b").get(0).eventId()).as("another stream").isNotEqualTo(id);
    assertThat(store.forTenant("acme").readStream("config-a").get(0).eventId()).as("another tenant").isNotEqualTo(id);
    again.close();
  }

  @Test
  void a_time_ordered_command_id_gives_time_ordered_event_ids() {
    CommandMetadata earlier = CommandMetadata.of("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b"); // a version 7 UUID of 2024
    CommandMetadata later = CommandMetadata.of("0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
    values.handle("a", new SetValue("x"), later);
    values.handle("b", new SetValue("x"), earlier);
    EventStore again = EventStore.inMemory(EventStoreConfig.DEFAULT.withEventTypes(ConfigValues.TYPES));
    AggregateRepository.of(again, new ConfigValueAggregate()).handle("a", new SetValue("x"), later);

    java.util.UUID fromLater = store.readStream("config-a").get(0).eventId();
    java.util.UUID fromEarlier = store.readStream("config-b").get(0).eventId();
    assertThat(fromLater.version()).isEqualTo(8);
    assertThat(fromLater.getMostSignificantBits() >>> 16).as("the command id's timestamp leads")
        .isEqualTo(java.util.UUID.fromString("0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b").getMostSignificantBits() >>> 16);
    assertThat(fromEarlier.toString()).isLessThan(fromLater.toString()); // index order follows command time
    assertThat(again.readStream("config-a").get(0).eventId()).as("the same command, the same id").isEqualTo(fromLater);
    assertThat(CommandMetadata.create().commandId()).as("create() makes time-ordered command ids").matches(".{14}7.*");
    again.close();
  }

  @Test
  void a_command_sent_twice_with_one_command_id_is_applied_once() {
    CommandResult<ConfigEvent> first = values.handle("db-url", new SetValue("a"), CommandMetadata.of("request-1"));
    values.handle("db-url", new SetValue("b"), CommandMetadata.of("request-2"));
    // a redelivered "set a": decided again on the newer state, to the same event with the same id
    CommandResult<ConfigEvent> again = values.handle("db-url", new SetValue("a"), CommandMetadata.of("request-1"));

    assertThat(again.version()).as("the first send's version").isEqualTo(first.version());
    assertThat(store.readStream("config-db-url")).hasSize(2);
    assertThat(values.load("db-url").state().value()).isEqualTo("b");
  }

  @Test
  void a_command_id_reused_for_another_command_on_the_stream_is_refused_with_advice() {
    values.handle("db-url", new SetValue("a"), CommandMetadata.of("request-1"));

    assertThatThrownBy(() -> values.handle("db-url", new SetValue("b"), CommandMetadata.of("request-1")))
        .isInstanceOf(EventIdConflictException.class)
        .hasMessageContaining("same command id 'request-1'")
        .hasMessageContaining("CommandMetadata.create()");
    assertThat(store.readStream("config-db-url")).hasSize(1);
  }

  @Test
  void an_accepted_command_appends_its_events_to_the_aggregates_stream() {
    CommandResult<ConfigEvent> result = values.handle("db-url", new SetValue("jdbc:sqlite:app.db"));

    assertThat(result.accepted()).isTrue();
    assertThat(result.events()).containsExactly(new ValueSet("jdbc:sqlite:app.db", false));
    assertThat(result.version()).isEqualTo(1);
    assertThat(values.load("db-url").state().value()).isEqualTo("jdbc:sqlite:app.db");
    assertThat(store.readStream("config-db-url")).extracting(RecordedEvent::type).containsExactly("config-value-set");
  }

  @Test
  void the_version_increases_with_every_event() {
    assertThat(values.handle("db-url", new SetValue("a")).version()).isEqualTo(1);
    assertThat(values.handle("db-url", new SetValue("b")).version()).isEqualTo(2);
    assertThat(values.handle("db-url", new DeleteValue()).version()).isEqualTo(3);
    assertThat(values.load("db-url").version()).isEqualTo(3);
  }

  @Test
  void setting_a_deleted_value_is_rejected_and_writes_nothing() {
    values.handle("db-url", new SetValue("a"));
    values.handle("db-url", new DeleteValue());

    CommandResult<ConfigEvent> result = values.handle("db-url", new SetValue("b"));

    assertThat(result.accepted()).isFalse();
    assertThat(result.rejection()).map(Rejection::code).hasValue("value-deleted");
    assertThat(result.version()).isEqualTo(2);
    assertThat(result.events()).isEmpty();
    assertThat(store.streamInfo("config-db-url").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void deleting_a_value_that_does_not_exist_is_rejected_and_writes_nothing() {
    CommandResult<ConfigEvent> result = values.handle("db-url", new DeleteValue());

    assertThat(result.rejection()).hasValue(new Rejection("value-not-found", "there is no value to delete"));
    assertThat(result.version()).isZero();
    assertThat(store.streamInfo("config-db-url")).isEmpty();
  }

  @Test
  void or_throw_turns_a_rejection_into_an_exception_with_the_rejection() {
    assertThatThrownBy(() -> values.handle("db-url", new DeleteValue()).orThrow())
        .isInstanceOf(CommandRejectedException.class)
        .hasMessageContaining("config-db-url").hasMessageContaining("value-not-found")
        .extracting(e -> ((CommandRejectedException) e).rejection().code()).isEqualTo("value-not-found");
  }

  @Test
  void a_command_accepted_without_events_writes_nothing_and_keeps_the_version() {
    values.handle("db-url", new SetValue("a"));

    CommandResult<ConfigEvent> again = values.handle("db-url", new SetValue("a"));

    assertThat(again.accepted()).isTrue();
    assertThat(again.events()).isEmpty();
    assertThat(again.version()).isEqualTo(1);
    assertThat(store.readStream("config-db-url")).hasSize(1);
  }

  @Test
  void events_carry_the_command_id_as_causation_id_and_its_correlation_id_and_actor() {
    CommandMetadata command = CommandMetadata.of("request-17").withCorrelationId("deploy-9").withActor("alice");
    values.handle("db-url", new SetValue("a"), command);

    Metadata metadata = store.readStream("config-db-url").get(0).metadata();
    assertThat(metadata.causationId()).isEqualTo("request-17");
    assertThat(metadata.correlationId()).isEqualTo("deploy-9");
    assertThat(metadata.actor()).isEqualTo("alice");
  }

  @Test
  void a_command_without_metadata_gets_a_new_command_id_that_also_starts_its_correlation() {
    values.handle("db-url", new SetValue("a"));
    values.handle("db-url", new SetValue("b"));

    List<RecordedEvent> events = store.readStream("config-db-url");
    Metadata first = events.get(0).metadata();
    assertThat(first.causationId()).isNotBlank();
    assertThat(first.correlationId()).isEqualTo(first.causationId());
    assertThat(events.get(1).metadata().causationId()).isNotEqualTo(first.causationId());
  }

  @Test
  void every_event_of_one_command_shares_its_metadata() {
    AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> twice = AggregateRepository.of(store,
        new ConfigValueAggregate() {
          @Override
          public Decision<ConfigEvent> decide(ConfigValue state, ConfigCommand command) {
            return Decision.accept(new ValueSet("a", false), new ValueSet("b", false));
          }
        });

    twice.handle("x", new SetValue("ignored"), CommandMetadata.of("c-1"));

    assertThat(store.readStream("config-x")).extracting(e -> e.metadata().causationId()).containsExactly("c-1", "c-1");
  }

  @Test
  void a_command_caused_by_an_event_continues_its_correlation() {
    values.handle("db-url", new SetValue("a"), CommandMetadata.of("c-1").withCorrelationId("workflow-1"));
    RecordedEvent cause = store.readStream("config-db-url").get(0);

    values.handle("mirror", new SetValue("a"), CommandMetadata.causedBy(cause));

    Metadata caused = store.readStream("config-mirror").get(0).metadata();
    assertThat(caused.correlationId()).isEqualTo("workflow-1");
    assertThat(caused.causationId()).isNotEqualTo("c-1").isNotBlank();
  }

  @Test
  void a_concurrent_write_between_load_and_append_makes_the_repository_decide_again() {
    values.handle("db-url", new SetValue("a"));
    AtomicInteger decisions = new AtomicInteger();
    AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> racing = AggregateRepository.of(store,
        new ConfigValueAggregate() {
          @Override
          public Decision<ConfigEvent> decide(ConfigValue state, ConfigCommand command) {
            if (decisions.incrementAndGet() == 1) {
              values.handle("db-url", new SetValue("written by someone else")); // lands between load and append
            }
            return super.decide(state, command);
          }
        });

    CommandResult<ConfigEvent> result = racing.handle("db-url", new DeleteValue());

    assertThat(result.accepted()).isTrue();
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(result.events()).containsExactly(new ValueDeleted("written by someone else"));
    assertThat(result.version()).isEqualTo(3);
  }

  @Test
  void a_command_that_conflicts_on_every_attempt_fails_with_a_concurrency_exception_after_max_attempts() {
    AtomicInteger decisions = new AtomicInteger();
    AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> starved = AggregateRepository.of(store,
        new ConfigValueAggregate() {
          @Override
          public Decision<ConfigEvent> decide(ConfigValue state, ConfigCommand command) {
            values.handle("db-url", new SetValue("interloper-" + decisions.incrementAndGet()));
            return super.decide(state, command);
          }
        }, RepositoryConfig.DEFAULT.withMaxAttempts(3));

    assertThatThrownBy(() -> starved.handle("db-url", new SetValue("mine")))
        .isInstanceOf(ConcurrencyException.class)
        .hasMessageContaining("config-db-url");
    assertThat(decisions).hasValue(3);
    assertThat(store.readStream("config-db-url")).extracting(e -> e.payload().get("value").asText())
        .containsExactly("interloper-1", "interloper-2", "interloper-3");
  }

  @Test
  @Timeout(60)
  void sixteen_threads_commanding_one_aggregate_apply_every_command_exactly_once() throws Exception {
    int threads = 16;
    int commandsPerThread = 25;
    AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> contended =
        AggregateRepository.of(store, new ConfigValueAggregate(), RepositoryConfig.DEFAULT.withMaxAttempts(1000));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> accepted = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        accepted.add(pool.submit(() -> {
          start.await();
          int count = 0;
          for (int i = 0; i < commandsPerThread; i++) {
            if (contended.handle("shared", new SetValue("t" + thread + "-" + i)).accepted()) {
              count++;
            }
          }
          return count;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : accepted) {
        total += f.get(60, TimeUnit.SECONDS);
      }

      assertThat(total).isEqualTo(threads * commandsPerThread);
      assertThat(contended.load("shared").version()).isEqualTo(total);
      Set<String> written = new HashSet<>();
      store.readStream("config-shared").forEach(e -> written.add(e.payload().get("value").asText()));
      assertThat(written).hasSize(total); // every value once: none lost, none applied twice
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void loading_a_deleted_stream_fails_with_stream_deleted() {
    values.handle("db-url", new SetValue("a"));
    store.deleteStream("config-db-url", ExpectedVersion.any());

    assertThatThrownBy(() -> values.load("db-url")).isInstanceOf(StreamDeletedException.class);
    assertThatThrownBy(() -> values.handle("db-url", new SetValue("b"))).isInstanceOf(StreamDeletedException.class);
  }

  @Test
  void a_stored_event_of_an_unregistered_type_fails_the_load_with_a_message_naming_it() {
    store.append("config-db-url", ExpectedVersion.noStream(),
        List.of(EventData.json("config-value-renamed", 1, JsonNodeFactory.instance.objectNode())));

    assertThatThrownBy(() -> values.load("db-url"))
        .isInstanceOf(UnknownEventTypeException.class)
        .hasMessageContaining("config-value-renamed").hasMessageContaining("position 1")
        .hasMessageContaining("config-db-url").hasMessageContaining("Upcaster");
  }

  @Test
  void a_repository_on_a_tenant_view_writes_the_tenants_streams() {
    AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> acme =
        AggregateRepository.of(store.forTenant("acme"), new ConfigValueAggregate());

    acme.handle("db-url", new SetValue("a"));

    assertThat(store.forTenant("acme").readStream("config-db-url").get(0).metadata().tenantId()).isEqualTo("acme");
    assertThat(store.readStream("config-db-url")).as("the unconfined store's own namespace").isEmpty();
    assertThat(AggregateRepository.of(store.forTenant("other"), new ConfigValueAggregate()).load("db-url").version())
        .as("another tenant's aggregate of the same id does not exist for it").isZero();
  }

  @Test
  void an_aggregate_category_with_a_dash_is_refused() {
    assertThatThrownBy(() -> AggregateRepository.of(store, new ConfigValueAggregate() {
      @Override
      public String category() {
        return "config-value";
      }
    })).isInstanceOf(InvalidInputException.class).hasMessageContaining("config-value");
  }

  @Test
  void a_blank_aggregate_id_is_refused() {
    assertThatThrownBy(() -> values.load(" ")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void repository_config_refuses_bad_values_and_quotes_them() {
    assertThatThrownBy(() -> RepositoryConfig.DEFAULT.withMaxAttempts(0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("was 0");
    assertThatThrownBy(() -> RepositoryConfig.DEFAULT.withSnapshots(dev.fabula.spi.SnapshotStore.none(), SnapshotPolicy.everyEvents(10)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("snapshot store");
    assertThatThrownBy(() -> RepositoryConfig.DEFAULT.withRetryBackoff(Duration.ofMillis(-1), Duration.ofMillis(10)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("PT-0.001S");
    assertThatThrownBy(() -> RepositoryConfig.DEFAULT.withRetryBackoff(Duration.ofMillis(20), Duration.ofMillis(10)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("PT0.02S").hasMessageContaining("PT0.01S");
    assertThatThrownBy(() -> RepositoryConfig.DEFAULT.withRetryBackoff(Duration.ofMillis(1), Duration.ofSeconds(11)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("PT10S");
    assertThatThrownBy(() -> RepositoryConfig.DEFAULT.withRetryBackoff(null, Duration.ofMillis(10)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("Duration.ZERO");
    assertThat(RepositoryConfig.DEFAULT.withRetryBackoff(Duration.ZERO, Duration.ZERO).maxRetryBackoff()).isZero();
  }

  @Test
  void a_command_interrupted_while_backing_off_after_a_conflict_gives_up_with_a_clear_error() {
    AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> starved = AggregateRepository.of(store,
        new ConfigValueAggregate() {
          @Override
          public Decision<ConfigEvent> decide(ConfigValue state, ConfigCommand command) {
            values.handle("db-url", new SetValue("interloper"));
            return super.decide(state, command);
          }
        }, RepositoryConfig.DEFAULT.withRetryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5)));

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> starved.handle("db-url", new SetValue("mine")))
          .isExactlyInstanceOf(EventStoreException.class)
          .hasMessageContaining("interrupted while waiting to retry")
          .hasMessageContaining("not applied")
          .satisfies(e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(ConcurrencyException.class));
      assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(store.readStream("config-db-url")).hasSize(1);
  }
}
