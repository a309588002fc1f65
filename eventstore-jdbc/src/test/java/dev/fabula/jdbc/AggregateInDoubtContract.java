package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.Aggregate;
import dev.fabula.AggregateRepository;
import dev.fabula.AppendOutcomeUnknownException;
import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.Decision;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.RecordedEvent;
import dev.fabula.RepositoryConfig;
import dev.fabula.testkit.faults.FaultyDataSource;
import dev.fabula.testkit.faults.FaultyDataSource.Fault;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Aggregate commands are never left in doubt ({@link FaultyDataSource} over a real database): a
 * command whose commit answer is lost returns success exactly once; one whose outcome the store
 * cannot find out is appended again by the repository with the same events; and the same command
 * sent again with its command id is a replay, never a second copy. Each case runs with and without
 * serialised writers (a transaction that locks the stream, or a stand-alone append).
 */
abstract class AggregateInDoubtContract {
  private static final AtomicInteger STORES = new AtomicInteger();

  private FaultyDataSource faulty;
  private JdbcEventStore store;

  /** A data source of the test's database; each test uses tables of its own there. */
  protected abstract DataSource dataSource();

  /** Deposits money. */
  record Deposit(long amount) {}

  /** Money was deposited. */
  @EventType("deposited")
  record Deposited(long amount) {}

  /** A ledger whose every deposit is one event with the amount: deciding it again decides the same. */
  static final class Ledger implements Aggregate<Long, Deposit, Deposited> {
    @Override
    public String category() {
      return "ledger";
    }

    @Override
    public Class<Long> stateType() {
      return Long.class;
    }

    @Override
    public Class<Deposited> eventType() {
      return Deposited.class;
    }

    @Override
    public Long initialState() {
      return 0L;
    }

    @Override
    public Long evolve(Long state, Deposited event) {
      return state + event.amount();
    }

    @Override
    public Decision<Deposited> decide(Long state, Deposit command) {
      return Decision.accept(new Deposited(command.amount()));
    }
  }

  private AggregateRepository<Long, Deposit, Deposited> ledgers(EventStore on, boolean serialized) {
    return AggregateRepository.of(on, new Ledger(), RepositoryConfig.DEFAULT.withSerializedWriters(serialized));
  }

  private JdbcEventStore open(Duration retryWindow) {
    faulty = FaultyDataSource.of(dataSource());
    JdbcConfig jdbc = TestStores.migrating("cmddoubt" + STORES.incrementAndGet() + "_").withRetryWindow(retryWindow);
    store = JdbcEventStore.open(faulty, EventStoreConfig.DEFAULT.withEventTypes(EventTypes.builder().register(Deposited.class).build()), jdbc);
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @ParameterizedTest(name = "serialised writers: {0}")
  @ValueSource(booleans = {false, true})
  void a_command_whose_commit_answer_is_lost_returns_success_once(boolean serialized) {
    JdbcEventStore store = open(Duration.ofSeconds(10));
    faulty.failNextCommit(Fault.LOSE_ANSWER);

    CommandResult<Deposited> result = ledgers(store, serialized).handle("a", new Deposit(5), CommandMetadata.of("cmd-1"));

    assertThat(faulty.commitsFailed()).isEqualTo(1);
    assertThat(result.accepted()).isTrue();
    assertThat(result.version()).isEqualTo(1);
    assertThat(amounts(store)).containsExactly(5L);
  }

  @ParameterizedTest(name = "serialised writers: {0}")
  @ValueSource(booleans = {false, true})
  void a_command_whose_outcome_the_store_could_not_find_out_is_settled_by_appending_the_same_events(boolean serialized) {
    JdbcEventStore store = open(Duration.ofMillis(500));
    // The database stays away until the store has given up finding out (AppendOutcomeUnknownException)
    // and comes back before the repository appends the same events again.
    EventStore backAfterUnknown = backAfterUnknownOutcome(store);
    faulty.failNextCommit(Fault.LOSE_ANSWER_THEN_UNREACHABLE);

    CommandResult<Deposited> result =
        ledgers(backAfterUnknown, serialized).handle("a", new Deposit(5), CommandMetadata.of("cmd-1"));

    assertThat(faulty.commitsFailed()).isEqualTo(1);
    assertThat(result.accepted()).isTrue();
    assertThat(result.version()).isEqualTo(1);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(amounts(store)).containsExactly(5L);
  }

  @ParameterizedTest(name = "serialised writers: {0}")
  @ValueSource(booleans = {false, true})
  void the_same_command_sent_again_with_its_command_id_is_not_appended_twice(boolean serialized) {
    JdbcEventStore store = open(Duration.ofMillis(500));
    AggregateRepository<Long, Deposit, Deposited> ledgers = ledgers(store, serialized);
    ledgers.handle("a", new Deposit(1), CommandMetadata.of("cmd-0"));
    faulty.failNextCommit(Fault.LOSE_ANSWER_THEN_UNREACHABLE);
    CommandMetadata command = CommandMetadata.of("cmd-1");

    assertThatThrownBy(() -> ledgers.handle("a", new Deposit(5), command))
        .isInstanceOf(AppendOutcomeUnknownException.class)
        .hasMessageContaining("SAME event ids");
    faulty.reachable();
    CommandResult<Deposited> again = ledgers.handle("a", new Deposit(5), command);

    assertThat(again.accepted()).isTrue();
    assertThat(again.version()).as("the version the first send reached").isEqualTo(2);
    assertThat(amounts(store)).containsExactly(1L, 5L);
    assertThat(ledgers.load("a").state()).isEqualTo(6L);
  }

  @ParameterizedTest(name = "serialised writers: {0}")
  @ValueSource(booleans = {false, true})
  void a_command_delivered_twice_is_applied_once(boolean serialized) {
    JdbcEventStore store = open(Duration.ofSeconds(10));
    AggregateRepository<Long, Deposit, Deposited> ledgers = ledgers(store, serialized);

    ledgers.handle("a", new Deposit(5), CommandMetadata.of("message-7"));
    CommandResult<Deposited> redelivered = ledgers.handle("a", new Deposit(5), CommandMetadata.of("message-7"));
    ledgers.handle("a", new Deposit(5), CommandMetadata.of("message-8"));

    assertThat(redelivered.version()).isEqualTo(1);
    assertThat(amounts(store)).containsExactly(5L, 5L);
  }

  private static List<Long> amounts(EventStore store) {
    return store.readStream("ledger-a").stream().map(RecordedEvent::payload).map(p -> p.get("amount").asLong()).toList();
  }

  /** {@code store}, except that the database becomes reachable when an append's outcome is unknown. */
  private EventStore backAfterUnknownOutcome(EventStore store) {
    return (EventStore) Proxy.newProxyInstance(EventStore.class.getClassLoader(), new Class<?>[] {EventStore.class},
        (proxy, method, args) -> {
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            if (e.getCause() instanceof AppendOutcomeUnknownException) {
              faulty.reachable();
            }
            throw e.getCause();
          }
        });
  }
}
