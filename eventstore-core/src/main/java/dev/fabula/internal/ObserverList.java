package dev.fabula.internal;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The observers of one kind that a component tells as one (the store's, the projections', a job
 * queue's): each hears every call, whatever the others throw. A failing observer is logged at ERROR
 * on the owner's logger and the caller goes on; a fatal error ({@link Fatal}) is rethrown once all
 * have heard. Adding an observer twice adds it once. With none registered a call costs an empty
 * loop. Thread-safe: observers may be added and removed while calls run.
 *
 * @param <T> the observer interface
 */
public final class ObserverList<T> {
  private final CopyOnWriteArrayList<T> observers = new CopyOnWriteArrayList<>();
  private final Logger log;
  private final String failureFormat;

  /**
   * Observers whose failures are logged on {@code log}.
   *
   * @param log the owner's logger
   * @param failureFormat an SLF4J message with two placeholders: what the observer was told about
   *     (the {@code subject} of {@link #tell}), then the failure ({@code Throwable.toString()});
   *     the stack trace is appended
   */
  public ObserverList(Logger log, String failureFormat) {
    this.log = log;
    this.failureFormat = failureFormat;
  }

  /** Adds {@code observer} (once, however often); the returned action removes it. */
  public Runnable add(T observer) {
    observers.addIfAbsent(observer);
    return () -> observers.remove(observer);
  }

  /** Whether no observer is registered, so callers can skip work done only for observers. */
  public boolean isEmpty() {
    return observers.isEmpty();
  }

  /**
   * Makes {@code call} on every observer, in the order they were added.
   *
   * @param subject what the call is about, for the failure message (formatted only on failure)
   * @param call what to tell one observer
   * @throws Error a fatal error an observer threw, once every observer heard
   */
  public void tell(Object subject, Consumer<? super T> call) {
    Error fatal = null;
    for (T o : observers) {
      try {
        call.accept(o);
      } catch (Throwable e) {
        log.error(failureFormat, subject, e.toString(), e);
        if (Fatal.is(e)) {
          fatal = (Error) e;
        }
      }
    }
    if (fatal != null) {
      throw fatal;
    }
  }
}
