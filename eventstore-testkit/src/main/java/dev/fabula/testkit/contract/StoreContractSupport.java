package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamInfo;
import dev.fabula.testkit.contract.ContractEvents.ItemAdded;
import dev.fabula.testkit.contract.ContractEvents.Note;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * What every contract suite shares: one factory method for the backend under test, a fresh and
 * empty store per test, and small helpers to build events and compare store states.
 *
 * <p><b>Independent stores.</b> Each store the contract opens gets its own table prefix from {@link
 * #uniqueTablePrefix()}, such as {@code tk3x9q_17_}: {@code t}, five random base-36 characters
 * chosen once per JVM (so runs and forked JVMs sharing one database do not collide), a per-JVM
 * counter, and {@code _}. A database backend therefore only has to open its store on a shared
 * database with the given configuration and table prefix; a backend without tables may ignore the
 * prefix as long as every {@link #openStore} call returns an empty, independent store.
 *
 * <p>Stores are opened lazily on first use and closed after each test, newest first.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class StoreContractSupport {

  private static final String RUN_ID = runId();
  private static final AtomicLong STORES = new AtomicLong();

  private final List<EventStore> opened = new ArrayList<>();
  private @Nullable EventStoreConfig config;
  private @Nullable EventStore store;

  /**
   * Opens the backend under test with {@code config}. Called at most a few times per test, each
   * time with a table prefix no other call used; the store returned must be empty. The contract
   * closes it after the test.
   *
   * @param config the configuration, with {@link ContractEvents#TYPES}
   * @param tablePrefix a unique table prefix, for backends that keep tables
   * @return a new, empty store
   */
  protected abstract EventStore openStore(EventStoreConfig config, String tablePrefix);

  /**
   * A table prefix that no other store opened in this JVM run uses: {@code t}, a per-JVM random run
   * id of five base-36 characters, {@code _}, a counter and {@code _} (at most 20 characters).
   *
   * @return a new, valid table prefix
   */
  public static String uniqueTablePrefix() {
    return "t" + RUN_ID + "_" + STORES.incrementAndGet() + "_";
  }

  /** The configuration of this test's main store: the contract event types. */
  protected final synchronized EventStoreConfig config() {
    if (config == null) {
      config = freshConfig();
    }
    return config;
  }

  /** This test's main store, opened on first use. Thread-safe. */
  protected final synchronized EventStore store() {
    if (store == null) {
      store = track(openStore(config(), uniqueTablePrefix()));
    }
    return store;
  }

  /**
   * Opens another new, empty store, with its own table prefix and the contract event types, changed
   * by {@code change} (a payload limit, a clock…). Closed after the test.
   */
  protected final EventStore openFreshStore(UnaryOperator<EventStoreConfig> change) {
    return track(openStore(change.apply(freshConfig()), uniqueTablePrefix()));
  }

  /** Closes every store this test opened, newest first; a failure to close fails the test. */
  @AfterEach
  protected final void closeContractStores() {
    List<EventStore> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(opened);
      opened.clear();
      store = null;
      config = null;
    }
    RuntimeException failure = null;
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static EventStoreConfig freshConfig() {
    return EventStoreConfig.DEFAULT.withEventTypes(ContractEvents.TYPES);
  }

  private synchronized EventStore track(EventStore opened) {
    assertThat(opened).as("openStore must return a store").isNotNull();
    this.opened.add(opened);
    return opened;
  }

  private static String runId() {
    long value = Math.floorMod(new SecureRandom().nextLong(), 36L * 36 * 36 * 36 * 36);
    StringBuilder id = new StringBuilder(Long.toString(value, 36));
    while (id.length() < 5) {
      id.insert(0, '0');
    }
    return id.toString();
  }

  // ---- Events

  /** A {@link Note} event with a new id. */
  protected static EventData note(String text) {
    return EventData.of(new Note(text));
  }

  /** One {@link Note} event per text, each with a new id. */
  protected static List<EventData> notes(String... texts) {
    return Arrays.stream(texts).map(StoreContractSupport::note).toList();
  }

  /** {@code count} {@link Note} events, texts {@code prefix0}, {@code prefix1}… */
  protected static List<EventData> notes(String prefix, int count) {
    List<EventData> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(note(prefix + i));
    }
    return events;
  }

  /** An {@link ItemAdded} event with a new id. */
  protected static EventData item(String sku, int quantity) {
    return EventData.of(new ItemAdded(sku, quantity));
  }

  // ---- Reading

  /** The whole global log of {@code store}, read and closed. */
  protected static List<RecordedEvent> log(EventStore store) {
    return log(store, LogQuery.all());
  }

  /** Part of the global log of {@code store}, read and closed. */
  protected static List<RecordedEvent> log(EventStore store, LogQuery query) {
    try (Stream<RecordedEvent> events = store.readAll(query)) {
      return events.toList();
    }
  }

  /** The event ids of {@code events}, in order. */
  protected static List<UUID> eventIds(List<RecordedEvent> events) {
    return events.stream().map(RecordedEvent::eventId).toList();
  }

  /** The ids of events to append, in order. */
  protected static List<UUID> idsOf(List<EventData> events) {
    return events.stream().map(EventData::eventId).toList();
  }

  /** The stream versions of {@code events}, in order. */
  protected static List<Long> versions(List<RecordedEvent> events) {
    return events.stream().map(RecordedEvent::streamVersion).toList();
  }

  /** The global positions of {@code events}, in order. */
  protected static List<Long> positions(List<RecordedEvent> events) {
    return events.stream().map(RecordedEvent::position).toList();
  }

  /** The texts of {@link Note} events, decoded with {@code store}'s registry, in order. */
  protected static List<String> texts(EventStore store, List<RecordedEvent> events) {
    return events.stream().map(e -> store.types().decode(e, Note.class).text()).toList();
  }

  // ---- Comparing states

  /**
   * What a store holds, as far as the public API shows it: the head position, the whole global log
   * and the state of some streams.
   *
   * @param headPosition {@link EventStore#headPosition()}
   * @param log {@link EventStore#readAll} of everything
   * @param streams {@link EventStore#streamInfo} of the named streams
   */
  protected record Snapshot(
      long headPosition, List<RecordedEvent> log, Map<String, Optional<StreamInfo>> streams) {}

  /** The state of {@code store}, including the named streams. */
  protected static Snapshot snapshot(EventStore store, String... streamIds) {
    Map<String, Optional<StreamInfo>> streams = new LinkedHashMap<>();
    for (String id : streamIds) {
      streams.put(id, store.streamInfo(id));
    }
    return new Snapshot(store.headPosition(), log(store), streams);
  }

  /** Asserts that {@code store} still holds exactly what {@code before} recorded. */
  protected static void assertUnchanged(Snapshot before, EventStore store) {
    Snapshot after = snapshot(store, before.streams().keySet().toArray(String[]::new));
    assertThat(after.log())
        .as("global log after a call that must not change anything")
        .isEqualTo(before.log());
    assertThat(after.streams())
        .as("stream states after a call that must not change anything")
        .isEqualTo(before.streams());
    assertThat(after.headPosition())
        .as(
            "headPosition after a call that must not change anything (it is the position of the"
                + " newest event readAll can return, so a rolled back or rejected append must not"
                + " move it)")
        .isEqualTo(before.headPosition());
  }

  /**
   * Asserts that two JSON trees hold the same value: the same structure, texts and booleans, and
   * numbers that are numerically equal ({@code 2}, {@code 2L} and {@code 2.0} are equal), whatever
   * node classes a database round trip produced.
   */
  protected static void assertSameJson(JsonNode actual, JsonNode expected) {
    assertThat(actual.equals(SAME_JSON_VALUE, expected))
        .as("JSON %s has the same value as %s", actual, expected)
        .isTrue();
  }

  private static final Comparator<JsonNode> SAME_JSON_VALUE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
      };

  /**
   * Asserts that {@code call} fails with a {@link ConcurrencyException} that names the stream, the
   * expectation and the stream's actual version (-1 for a stream that does not exist).
   */
  protected static void assertConcurrencyConflict(
      ThrowingCallable call, String streamId, ExpectedVersion expected, long actualVersion) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ConcurrencyException.class,
            e -> {
              assertThat(e.streamId()).as("ConcurrencyException.streamId").isEqualTo(streamId);
              assertThat(e.expected()).as("ConcurrencyException.expected").isEqualTo(expected);
              assertThat(e.actualVersion())
                  .as("ConcurrencyException.actualVersion")
                  .isEqualTo(actualVersion);
              assertThat(e.getMessage()).contains(streamId);
            });
  }
}
