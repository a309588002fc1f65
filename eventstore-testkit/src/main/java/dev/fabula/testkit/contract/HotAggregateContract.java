package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.AggregateRepository;
import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventStore;
import dev.fabula.RepositoryConfig;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigCommand;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigEvent;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigValue;
import dev.fabula.testkit.contract.ConfigValueModel.SetValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hot aggregate: 16 threads sending commands to one aggregate at once. With serialised writers
 * ({@link RepositoryConfig#withSerializedWriters}) every command succeeds at its first attempt;
 * with the jittered backoff alone, every command is either applied exactly once or fails with a
 * {@link ConcurrencyException} after its attempts, and the success rate is logged; serialised
 * writers inside units of work ({@code handle(tx, …)}, one attempt each) wait for each other. Run it with
 * a subclass that implements {@link #openStore} and {@link #openSnapshotStore}, as for {@link
 * AggregateCommandContract}.
 */
public abstract class HotAggregateContract extends AggregateContractSupport {
  private static final Logger LOG = LoggerFactory.getLogger(HotAggregateContract.class);
  private static final int THREADS = 16;
  private static final int COMMANDS_PER_THREAD = 10;

  @Test
  void sixteen_serialised_writers_on_one_aggregate_all_succeed_at_their_first_attempt() throws Exception {
    EventStore store = newStore();
    Outcome outcome = run(store, values(store, RepositoryConfig.DEFAULT.withSerializedWriters(true)));

    assertThat(outcome.conflicts()).as("commands given up after conflicts").isZero();
    assertThat(outcome.accepted()).as("accepted commands").isEqualTo(THREADS * COMMANDS_PER_THREAD);
    assertThat(outcome.attempts()).as("attempts of all commands").isEqualTo(THREADS * COMMANDS_PER_THREAD);
    assertAppliedOnce(store, outcome.accepted());
  }

  @Test
  void sixteen_serialised_writers_inside_units_of_work_wait_for_each_other_instead_of_conflicting() throws Exception {
    EventStore store = newStore();
    AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values =
        values(store, RepositoryConfig.DEFAULT.withSerializedWriters(true));
    // handle(tx, ...) makes one attempt: without the stream's lock most of them would conflict.
    Outcome outcome = run(store, command -> store.inTransaction(
        tx -> values.handle(tx, "hot", command, CommandMetadata.create())));

    assertThat(outcome.conflicts()).as("units of work rolled back after a conflict").isZero();
    assertThat(outcome.accepted()).as("accepted commands").isEqualTo(THREADS * COMMANDS_PER_THREAD);
    assertAppliedOnce(store, outcome.accepted());
  }

  @Test
  void sixteen_writers_with_backoff_alone_apply_each_accepted_command_exactly_once() throws Exception {
    EventStore store = newStore();
    Outcome outcome = run(store, values(store, RepositoryConfig.DEFAULT));

    LOG.info("hot aggregate on {}, backoff without serialised writers: {} of {} commands accepted, {} attempts in all",
        getClass().getSimpleName(), outcome.accepted(), THREADS * COMMANDS_PER_THREAD, outcome.attempts());
    assertThat(outcome.accepted() + outcome.conflicts()).as("every command accepted or given up")
        .isEqualTo(THREADS * COMMANDS_PER_THREAD);
    assertThat(outcome.accepted()).as("accepted commands").isPositive();
    assertAppliedOnce(store, outcome.accepted());
  }

  /** What 16 threads of 10 commands each got: accepted, given up after conflicts, attempts of the accepted. */
  private record Outcome(int accepted, int conflicts, int attempts) {}

  private static Outcome run(EventStore store, AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values)
      throws Exception {
    return run(store, command -> values.handle("hot", command));
  }

  private static Outcome run(EventStore store, Function<SetValue, CommandResult<ConfigEvent>> send) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Outcome>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          int accepted = 0;
          int conflicts = 0;
          int attempts = 0;
          for (int i = 0; i < COMMANDS_PER_THREAD; i++) {
            try {
              CommandResult<ConfigEvent> result = send.apply(new SetValue("t" + thread + "-" + i));
              assertThat(result.accepted()).isTrue();
              accepted++;
              attempts += result.attempts();
            } catch (ConcurrencyException e) {
              conflicts++;
            }
          }
          return new Outcome(accepted, conflicts, attempts);
        }));
      }
      start.countDown();
      int accepted = 0;
      int conflicts = 0;
      int attempts = 0;
      for (Future<Outcome> f : futures) {
        Outcome o = f.get(2, TimeUnit.MINUTES);
        accepted += o.accepted();
        conflicts += o.conflicts();
        attempts += o.attempts();
      }
      return new Outcome(accepted, conflicts, attempts);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertAppliedOnce(EventStore store, int accepted) {
    List<String> written = new ArrayList<>();
    store.readStream("config-hot").forEach(e -> written.add(e.payload().get("value").asText()));
    assertThat(written).as("one event per accepted command").hasSize(accepted);
    assertThat(new HashSet<>(written)).as("each command's value, once").hasSameSizeAs(written);
  }
}
