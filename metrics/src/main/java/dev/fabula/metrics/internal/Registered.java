package dev.fabula.metrics.internal;

import dev.fabula.EventStoreException;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The meters one binder registered, on the one registry it is bound to: binding to the same
 * registry again does nothing, to another fails (one binder per registry); closing removes them
 * all. Thread-safe.
 */
public final class Registered {
  private final String binder;
  private @Nullable MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private boolean closed;

  /** The meters of {@code binder} (its name, for messages). */
  public Registered(String binder) {
    this.binder = binder;
  }

  /**
   * Records that the binder binds to {@code to}.
   *
   * @return false if it is bound to that registry already (nothing to do)
   */
  public synchronized boolean bind(MeterRegistry to) {
    if (to == null) {
      throw new dev.fabula.InvalidInputException("registry must not be null");
    }
    if (closed) {
      throw new EventStoreException(binder + " is closed; make a new one to bind again");
    }
    if (registry == to) {
      return false;
    }
    if (registry != null) {
      throw new EventStoreException(binder + " is bound to another registry already; make one " + binder
          + " per registry (or bind a CompositeMeterRegistry)");
    }
    registry = to;
    return true;
  }

  /** Whether it is bound to {@code to}. */
  public synchronized boolean boundTo(MeterRegistry to) {
    return registry == to;
  }

  /** The registry bound to. */
  public synchronized MeterRegistry registry() {
    if (registry == null) {
      throw new IllegalStateException("not bound");
    }
    return registry;
  }

  /** Keeps {@code meter} for removal at close; returns it. */
  public synchronized <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  /** Removes {@code group} from the registry now. */
  public synchronized void remove(List<? extends Meter> group) {
    for (Meter m : group) {
      meters.remove(m);
      if (registry != null) {
        registry.remove(m);
      }
    }
  }

  /** Whether {@link #close} ran. */
  public synchronized boolean closed() {
    return closed;
  }

  /** Removes every meter from the registry. Harmless twice. */
  public synchronized void close() {
    closed = true;
    if (registry != null) {
      meters.forEach(registry::remove);
    }
    meters.clear();
  }
}
