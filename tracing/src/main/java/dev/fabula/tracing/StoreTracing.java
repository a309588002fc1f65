package dev.fabula.tracing;

import dev.fabula.AggregateRepository;
import dev.fabula.EventStoreException;
import dev.fabula.InvalidInputException;
import dev.fabula.TransactionCallback;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.spi.StoreObserver;
import dev.fabula.tracing.internal.Spans;
import dev.fabula.tracing.internal.TracedRepository;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Spans for the event store: every stand-alone append ({@code fabula append}, through the store's
 * {@link StoreObserver}), units of work run through {@link #inTransaction} ({@code fabula
 * unit_of_work <name>}) and commands handled by a repository wrapped with {@link #traced} ({@code
 * fabula command <category>}).
 *
 * <pre>{@code
 * try (StoreTracing tracing = StoreTracing.of(store, openTelemetry)) {   // append spans from now on
 *   AggregateRepository<Booking, BookingCommand, BookingEvent> bookings =
 *       tracing.traced(AggregateRepository.of(store, new BookingAggregate()));
 *   bookings.handle("42", new Confirm());                                 // a command span
 *   tracing.inTransaction("place-order", tx -> { ... });                  // a unit-of-work span
 * }
 * }</pre>
 *
 * <p>A unit of work's and a command's span is current while it runs, so the events it appends
 * carry its context when the store records trace context ({@link TraceMetadata#enricher()}), and
 * so do the jobs it enqueues ({@link JobTracing}). An append span is recorded after the fact, with
 * the time the backend took, as a child of the span current on the appending thread.
 *
 * <p><b>Attributes</b> (no stream ids, no aggregate ids, no payloads: ids are unbounded and may be
 * personal data): {@code fabula.append.streams}, {@code fabula.append.events} and {@code
 * fabula.outcome} on appends; {@code fabula.aggregate.category}, {@code fabula.command.type} (the
 * command's class), {@code fabula.outcome} ({@code accepted}, {@code rejected} or the error's kind)
 * and {@code fabula.append.events} on commands; {@code fabula.unit_of_work} and {@code
 * fabula.tenant.present} on units of work. Failures set the span's status to error and record the
 * exception. Thread-safe.
 */
public final class StoreTracing implements AutoCloseable {
  static final AttributeKey<Long> STREAMS = AttributeKey.longKey("fabula.append.streams");
  static final AttributeKey<Long> EVENTS = AttributeKey.longKey("fabula.append.events");
  static final AttributeKey<String> UNIT = AttributeKey.stringKey("fabula.unit_of_work");
  static final AttributeKey<Boolean> TENANT = AttributeKey.booleanKey("fabula.tenant.present");

  private final JdbcEventStore store;
  private final Tracer tracer;
  private final JdbcEventStore.Registration observing;

  private StoreTracing(JdbcEventStore store, Tracer tracer) {
    this.store = store;
    this.tracer = tracer;
    this.observing = store.observe(new Observer());
  }

  /**
   * Starts tracing {@code store}'s appends with {@code openTelemetry}'s tracer ({@value
   * Spans#SCOPE}); {@link #close()} stops.
   */
  public static StoreTracing of(JdbcEventStore store, OpenTelemetry openTelemetry) {
    if (store == null || openTelemetry == null) {
      throw new InvalidInputException("store and openTelemetry must not be null; use OpenTelemetry.noop() for none");
    }
    return new StoreTracing(store, Spans.tracer(openTelemetry));
  }

  /**
   * Runs {@code work} in one of the store's units of work inside a span {@code fabula unit_of_work
   * <name>}, current while it runs.
   *
   * @param name what the unit does, such as {@code place-order}: a span name, so a fixed word,
   *     never an id
   */
  public <R, X extends Exception> R inTransaction(String name, TransactionCallback<R, X> work) throws X {
    if (name == null || name.isBlank() || work == null) {
      throw new InvalidInputException("a unit of work needs a name (a fixed word such as place-order) and work");
    }
    Span span = tracer.spanBuilder("fabula unit_of_work " + name)
        .setAttribute(UNIT, name)
        .setAttribute(TENANT, store.tenantId() != null)
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      R result = store.inTransaction(work);
      span.setAttribute(Spans.OUTCOME, "committed");
      return result;
    } catch (Throwable e) {
      Spans.failed(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * {@code repository}, handling each command inside a span {@code fabula command <category>},
   * current while the command loads, decides and appends (its retries included).
   */
  public <S, C, E> AggregateRepository<S, C, E> traced(AggregateRepository<S, C, E> repository) {
    if (repository == null) {
      throw new InvalidInputException("repository must not be null");
    }
    return new TracedRepository<>(repository, tracer);
  }

  /** Stops tracing the store's appends. Harmless twice. */
  @Override
  public void close() {
    observing.close();
  }

  /** Records each stand-alone append as a span that ended now and lasted what the backend took. */
  private final class Observer implements StoreObserver {
    @Override
    public void appended(int streams, int events, long elapsedNanos) {
      record(streams, events, elapsedNanos, null);
    }

    @Override
    public void appendFailed(int streams, int events, long elapsedNanos, EventStoreException failure) {
      record(streams, events, elapsedNanos, failure);
    }

    private void record(int streams, int events, long elapsedNanos, @Nullable EventStoreException failure) {
      long end = Spans.nowEpochNanos();
      // Every attribute on the builder: known before the span starts, and a started span locks to take one.
      Span span = tracer.spanBuilder("fabula append")
          .setSpanKind(SpanKind.INTERNAL)
          .setStartTimestamp(end - elapsedNanos, TimeUnit.NANOSECONDS)
          .setAttribute(STREAMS, (long) streams)
          .setAttribute(EVENTS, (long) events)
          .setAttribute(Spans.OUTCOME, failure == null ? "success" : Spans.kind(failure))
          .startSpan();
      if (failure != null) {
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        span.recordException(failure);
      }
      span.end(end, TimeUnit.NANOSECONDS);
    }
  }
}
