package dev.fabula.projections.internal;

import dev.fabula.internal.ObserverList;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.spi.ProjectionObserver;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ProjectionObserver}s of one {@link ProjectionsImpl}, told as one: each hears every
 * call whatever the others throw; a failure is logged at ERROR and the runner goes on, a fatal
 * error ({@link dev.fabula.internal.Fatal}) is rethrown once all have heard ({@link ObserverList}).
 * Thread-safe.
 */
final class Observers implements ProjectionObserver {
  private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

  private final ObserverList<ProjectionObserver> observers =
      new ObserverList<>(LOG, "A projection observer failed on projection {} ({}); the runner goes on");

  /** Adds an observer (once, however often); the returned action removes it. */
  Runnable add(ProjectionObserver observer) {
    return observers.add(observer);
  }

  @Override
  public void batchApplied(ProjectionId id, int events, long elapsedNanos) {
    tell(id, o -> o.batchApplied(id, events, elapsedNanos));
  }

  @Override
  public void eventsApplied(ProjectionId id, java.util.List<dev.fabula.RecordedEvent> applied, long elapsedNanos) {
    tell(id, o -> o.eventsApplied(id, applied, elapsedNanos));
  }

  @Override
  public void retrying(ProjectionId id, int attempt) {
    tell(id, o -> o.retrying(id, attempt));
  }

  @Override
  public void parked(ProjectionId id) {
    tell(id, o -> o.parked(id));
  }

  private void tell(ProjectionId id, Consumer<ProjectionObserver> call) {
    observers.tell(id, call);
  }
}
