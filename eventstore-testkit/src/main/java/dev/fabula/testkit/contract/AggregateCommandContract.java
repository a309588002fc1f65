package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.Metadata;
import dev.fabula.RepositoryConfig;
import dev.fabula.testkit.AggregateFixture;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigCommand;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigEvent;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigValue;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigValueAggregate;
import dev.fabula.testkit.contract.ConfigValueModel.DeleteValue;
import dev.fabula.testkit.contract.ConfigValueModel.SetValue;
import dev.fabula.testkit.contract.ConfigValueModel.ValueDeleted;
import dev.fabula.testkit.contract.ConfigValueModel.ValueSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What an aggregate's commands must do on a backend: the config-value aggregate's rules through
 * {@link AggregateFixture}, causation and correlation ids, commands in a unit of work, and
 * exactly-once command handling with 16 threads on one aggregate. Run it with a subclass as shown
 * in {@link AggregateContractSupport}.
 */
public abstract class AggregateCommandContract extends AggregateContractSupport {

  // ---- the config value's rules ---------------------------------------------------------------

  private AggregateFixture<ConfigValue, ConfigCommand, ConfigEvent> fixture() {
    return AggregateFixture.of(newStore(), new ConfigValueAggregate());
  }

  @Test
  void setting_a_value_of_a_new_config_value_records_it_at_version_1() {
    fixture().given()
        .when(new SetValue("a"))
        .then(new ValueSet("a", false))
        .thenState(new ConfigValue(ConfigValue.Status.SET, "a"));
  }

  @Test
  void setting_another_value_records_it_and_the_version_increases_with_every_event() {
    var then = fixture().given(new ValueSet("a", false), new ValueSet("b", false))
        .when(new SetValue("c"))
        .then(new ValueSet("c", false));

    assertThat(then.result().version()).isEqualTo(3);
  }

  @Test
  void setting_the_value_it_already_has_changes_nothing() {
    fixture().given(new ValueSet("a", false))
        .when(new SetValue("a"))
        .then();
  }

  @Test
  void deleting_a_set_value_records_the_deletion() {
    fixture().given(new ValueSet("a", false))
        .when(new DeleteValue())
        .then(new ValueDeleted("a"))
        .thenState(state -> assertThat(state.status()).isEqualTo(ConfigValue.Status.DELETED));
  }

  @Test
  void setting_a_deleted_value_is_rejected() {
    fixture().given(new ValueSet("a", false), new ValueDeleted("a"))
        .when(new SetValue("b"))
        .thenRejected("value-deleted");
  }

  @Test
  void deleting_a_value_that_does_not_exist_is_rejected() {
    var fixture = fixture();
    fixture.given()
        .when(new DeleteValue())
        .thenRejected("value-not-found");
    fixture.given(new ValueSet("a", false), new ValueDeleted("a"))
        .when(new DeleteValue())
        .thenRejected("value-not-found");
  }

  @Test
  void the_events_of_a_command_carry_its_id_as_causation_and_its_correlation_id() {
    EventStore store = newStore();

    values(store, RepositoryConfig.DEFAULT).handle("db-url", new SetValue("a"),
        CommandMetadata.of("request-1").withCorrelationId("workflow-1").withActor("alice"));

    Metadata metadata = store.readStream("config-db-url").get(0).metadata();
    assertThat(metadata.causationId()).isEqualTo("request-1");
    assertThat(metadata.correlationId()).isEqualTo("workflow-1");
    assertThat(metadata.actor()).isEqualTo("alice");
  }

  @Test
  void a_command_handled_in_a_unit_of_work_commits_and_rolls_back_with_it() {
    EventStore store = newStore();
    var values = values(store, RepositoryConfig.DEFAULT);
    CommandMetadata metadata = CommandMetadata.create();

    CommandResult<ConfigEvent> set = store.inTransaction(tx -> {
      tx.append("audit-1", ExpectedVersion.noStream(), List.of(EventData.json("audited", 1, JSON.objectNode().put("of", "db-url"))));
      return values.handle(tx, "db-url", new SetValue("a"), metadata);
    });
    assertThat(set).isInstanceOf(CommandResult.Accepted.class);
    assertThat(((CommandResult.Accepted<ConfigEvent>) set).position()).isEqualTo(store.headPosition());
    assertThat(values.load("db-url").state()).isEqualTo(new ConfigValue(ConfigValue.Status.SET, "a"));
    assertThat(store.readStream("audit-1")).hasSize(1);

    assertThatThrownBy(() -> store.inTransaction(tx -> {
      values.handle(tx, "db-url", new SetValue("b"), CommandMetadata.create());
      throw new IllegalStateException("the unit of work fails after the command");
    })).hasMessageContaining("the unit of work fails");
    assertThat(values.load("db-url").version()).as("rolled back with the unit of work").isEqualTo(1);


    CommandResult<ConfigEvent> rejected = store.inTransaction(tx -> values.handle(tx, "nope", new DeleteValue(), metadata));
    assertThat(rejected).isInstanceOf(CommandResult.Rejected.class);
  }

  // ---- concurrency --------------------------------------------------------------------------

  @Test
  void sixteen_threads_commanding_one_aggregate_apply_every_command_exactly_once() throws Exception {
    int threads = 16;
    int commandsPerThread = 10;
    EventStore store = newStore();
    var values = values(store, RepositoryConfig.DEFAULT.withMaxAttempts(RepositoryConfig.MAX_ATTEMPTS_LIMIT));
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
            CommandResult<ConfigEvent> result = values.handle("shared", new SetValue("t" + thread + "-" + i));
            count += result.accepted() ? 1 : 0;
          }
          return count;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : accepted) {
        total += f.get(2, TimeUnit.MINUTES);
      }

      assertThat(total).as("accepted commands").isEqualTo(threads * commandsPerThread);
      assertThat(values.load("shared").version()).as("final version").isEqualTo(total);
      List<String> written = new ArrayList<>();
      store.readStream("config-shared").forEach(e -> written.add(e.payload().get("value").asText()));
      assertThat(new HashSet<>(written)).as("each command's value, once").hasSize(total).hasSameSizeAs(written);
    } finally {
      pool.shutdownNow();
    }
  }
}
