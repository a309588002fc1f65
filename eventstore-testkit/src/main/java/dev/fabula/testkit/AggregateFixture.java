package dev.fabula.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.Aggregate;
import dev.fabula.AggregateRepository;
import dev.fabula.AggregateState;
import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.Rejection;
import dev.fabula.RepositoryConfig;
import dev.fabula.StreamRead;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Given/when/then tests for an {@link Aggregate}, on an in-memory store or on any {@link
 * EventStore}:
 *
 * <pre>{@code
 * AggregateFixture<ConfigValue, ConfigCommand, ConfigEvent> fixture =
 *     AggregateFixture.inMemory(new ConfigValueAggregate(), ConfigValues.TYPES);
 *
 * fixture.given(new ValueSet("a", false))
 *     .when(new SetValue("b"))
 *     .then(new ValueSet("b", false));
 *
 * fixture.given(new ValueSet("a", false), new ValueDeleted("a"))
 *     .when(new SetValue("b"))
 *     .thenRejected("value-deleted");
 * }</pre>
 *
 * <p>Each {@link #given} starts a new aggregate with a fresh id, so scenarios never see each other
 * even on a shared store. The given events are appended to the store (through its type registry:
 * they must serialise), the command runs through a real {@link AggregateRepository}, and {@code
 * then} checks both what the repository returned and what the store now holds, decoded again: a
 * scenario passes only if the events survive a round trip through the store.
 *
 * <p>Failures are AssertJ assertion errors. Not thread-safe; use one fixture per test (or share one
 * and run scenarios one at a time).
 *
 * @param <S> the aggregate's state
 * @param <C> its commands
 * @param <E> its events
 */
public final class AggregateFixture<S, C, E> {

  private final EventStore store;
  private final AggregateRepository<S, C, E> repository;

  private AggregateFixture(EventStore store, AggregateRepository<S, C, E> repository) {
    this.store = store;
    this.repository = repository;
  }

  /**
   * A fixture on a new in-memory store with {@code types}.
   *
   * @param aggregate the aggregate under test
   * @param types the event types, as the application registers them
   * @return the fixture
   */
  public static <S, C, E> AggregateFixture<S, C, E> inMemory(Aggregate<S, C, E> aggregate, EventTypes types) {
    return of(EventStore.inMemory(EventStoreConfig.DEFAULT.withEventTypes(types)), aggregate);
  }

  /**
   * A fixture on {@code store} (any backend, perhaps with upcasters), with the default repository
   * configuration. The caller closes the store.
   *
   * @param store the store to write and read
   * @param aggregate the aggregate under test
   * @return the fixture
   */
  public static <S, C, E> AggregateFixture<S, C, E> of(EventStore store, Aggregate<S, C, E> aggregate) {
    return of(store, aggregate, RepositoryConfig.DEFAULT);
  }

  /**
   * A fixture on {@code store} with a repository configured by {@code config} (snapshots, attempts).
   *
   * @param store the store to write and read
   * @param aggregate the aggregate under test
   * @param config the repository configuration
   * @return the fixture
   */
  public static <S, C, E> AggregateFixture<S, C, E> of(EventStore store, Aggregate<S, C, E> aggregate, RepositoryConfig config) {
    return new AggregateFixture<>(store, AggregateRepository.of(store, aggregate, config));
  }

  /**
   * Starts a scenario: a new aggregate whose stream holds {@code events} (none: a new aggregate).
   *
   * @param events the aggregate's history, oldest first
   * @return the scenario, ready for {@link Given#when}
   */
  @SafeVarargs
  public final Given given(E... events) {
    List<E> history = new ArrayList<>(events.length);
    for (E e : events) {
      history.add(e);
    }
    return given(history);
  }

  /**
   * Starts a scenario: a new aggregate whose stream holds {@code events}.
   *
   * @param events the aggregate's history, oldest first
   * @return the scenario, ready for {@link Given#when}
   */
  public Given given(List<? extends E> events) {
    String id = "fixture" + UUID.randomUUID().toString().replace("-", "");
    if (!events.isEmpty()) {
      List<EventData> data = new ArrayList<>();
      events.forEach(e -> data.add(EventData.of(e)));
      store.append(repository.streamId(id), ExpectedVersion.noStream(), data);
    }
    return new Given(id, events.size());
  }

  /**
   * Runs {@code command} on a new aggregate without events: {@code given().when(command)}.
   *
   * @param command the command
   * @return the outcome, ready for {@code then}
   */
  public Then when(C command) {
    return given(List.of()).when(command);
  }

  /** The store the fixture writes to. */
  public EventStore store() {
    return store;
  }

  /** The repository the fixture runs commands through. */
  public AggregateRepository<S, C, E> repository() {
    return repository;
  }

  /** A scenario's history: an aggregate with its given events stored. */
  public final class Given {
    private final String id;
    private final long version;

    private Given(String id, long version) {
      this.id = id;
      this.version = version;
    }

    /** The aggregate's id (its stream id is {@code repository().streamId(id())}). */
    public String id() {
      return id;
    }

    /**
     * Handles {@code command} on the aggregate.
     *
     * @param command the command
     * @return the outcome, ready for {@code then}
     */
    public Then when(C command) {
      return when(command, CommandMetadata.create());
    }

    /**
     * Handles {@code command} with {@code metadata} on the aggregate.
     *
     * @param command the command
     * @param metadata the command's id, correlation id and actor
     * @return the outcome, ready for {@code then}
     */
    public Then when(C command, CommandMetadata metadata) {
      return new Then(id, version, repository.handle(id, command, metadata));
    }
  }

  /** A scenario's outcome, to check. Every check returns this, so checks chain. */
  public final class Then {
    private final String id;
    private final long givenVersion;
    private final CommandResult<E> result;

    private Then(String id, long givenVersion, CommandResult<E> result) {
      this.id = id;
      this.givenVersion = givenVersion;
      this.result = result;
    }

    /**
     * Checks that the command was accepted and appended exactly {@code expected}, in order (none:
     * accepted without changes), and that the store holds them after the given events.
     *
     * @param expected the events the command must produce
     * @return this
     */
    @SafeVarargs
    public final Then then(E... expected) {
      List<E> events = new ArrayList<>(expected.length);
      for (E e : expected) {
        events.add(e);
      }
      assertThat(result.rejection())
          .as("expected the command to be accepted with %s, but it was rejected", events)
          .isEmpty();
      assertThat(result.events()).as("events the command produced").containsExactlyElementsOf(events);
      assertThat(result.version()).as("version after the command").isEqualTo(givenVersion + events.size());
      assertThat(storedAfterGiven()).as("events stored after the given ones, read back and decoded").containsExactlyElementsOf(events);
      return this;
    }

    /**
     * Checks that the command was rejected with {@code code} and wrote nothing.
     *
     * @param code the expected {@link Rejection#code()}
     * @return this
     */
    public Then thenRejected(String code) {
      assertThat(result.accepted())
          .as("expected the command to be rejected with '%s', but it was accepted with %s", code, result.events())
          .isFalse();
      assertThat(result.rejection().orElseThrow().code()).as("rejection code").isEqualTo(code);
      assertThat(storedAfterGiven()).as("events stored by a rejected command").isEmpty();
      return this;
    }

    /**
     * Checks that the command was rejected with exactly {@code rejection} (code and message) and
     * wrote nothing.
     *
     * @param rejection the expected rejection
     * @return this
     */
    public Then thenRejected(Rejection rejection) {
      thenRejected(rejection.code());
      assertThat(result.rejection()).as("rejection").hasValue(rejection);
      return this;
    }

    /**
     * Checks the aggregate's state after the command, loaded from the store.
     *
     * @param expected the expected state
     * @return this
     */
    public Then thenState(S expected) {
      assertThat(state().state()).as("state after the command").isEqualTo(expected);
      return this;
    }

    /**
     * Runs {@code assertions} on the aggregate's state after the command, loaded from the store.
     *
     * @param assertions checks of the state
     * @return this
     */
    public Then thenState(Consumer<? super S> assertions) {
      assertions.accept(state().state());
      return this;
    }

    /** What the repository returned. */
    public CommandResult<E> result() {
      return result;
    }

    /** The aggregate as loaded from the store now. */
    public AggregateState<S> state() {
      return repository.load(id);
    }

    /** The aggregate's id. */
    public String id() {
      return id;
    }

    private List<Object> storedAfterGiven() {
      List<Object> out = new ArrayList<>();
      String streamId = repository.streamId(id);
      if (store.streamInfo(streamId).isEmpty()) {
        return out;
      }
      for (RecordedEvent e : store.readStream(streamId, StreamRead.forwards().from(givenVersion + 1))) {
        out.add(store.types().decode(e));
      }
      return out;
    }
  }
}
