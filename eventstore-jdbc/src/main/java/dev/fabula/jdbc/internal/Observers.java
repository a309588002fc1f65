package dev.fabula.jdbc.internal;

import dev.fabula.EventStoreException;
import dev.fabula.internal.ObserverList;
import dev.fabula.spi.StoreObserver;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's {@link StoreObserver}s, told as one: each hears every call, whatever the others
 * throw. A failing observer is logged at ERROR and the append's outcome stands; a fatal error
 * ({@link dev.fabula.internal.Fatal}) is rethrown once all have heard ({@link ObserverList}). With none
 * registered a call costs an empty loop. Thread-safe.
 */
final class Observers implements StoreObserver {
  private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

  private final ObserverList<StoreObserver> observers =
      new ObserverList<>(LOG, "A store observer failed on {} ({}); the call's outcome stands");

  /** Adds an observer; the returned action removes it. Adding the same observer twice adds it once. */
  Runnable add(StoreObserver observer) {
    return observers.add(observer);
  }

  /** Whether any observer is registered, so callers can skip reading the clock. */
  boolean any() {
    return !observers.isEmpty();
  }

  @Override
  public void appended(int streams, int events, long elapsedNanos) {
    tell("an append", o -> o.appended(streams, events, elapsedNanos));
  }

  @Override
  public void appendFailed(int streams, int events, long elapsedNanos, EventStoreException failure) {
    tell("a failed append", o -> o.appendFailed(streams, events, elapsedNanos, failure));
  }

  @Override
  public void replayed(int events) {
    tell("a replayed append", o -> o.replayed(events));
  }

  @Override
  public void streamRead(int events, long elapsedNanos) {
    tell("a stream read", o -> o.streamRead(events, elapsedNanos));
  }

  @Override
  public void logPageRead(int events, long elapsedNanos) {
    tell("a page of the log", o -> o.logPageRead(events, elapsedNanos));
  }

  @Override
  public void groupCommitted(int appends) {
    tell("a group commit", o -> o.groupCommitted(appends));
  }

  private void tell(String what, Consumer<StoreObserver> call) {
    observers.tell(what, call);
  }
}
