package dev.fabula.tracing;

import dev.fabula.InvalidInputException;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.Projections;
import dev.fabula.projections.spi.ProjectionObserver;
import dev.fabula.tracing.internal.Spans;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A span {@code fabula projection <name>} for every batch a projection applied, continuing the
 * traces its events carry ({@link TraceMetadata}): when every event of the batch was appended in
 * one span, the batch span is that span's child; when they came from several, the batch span
 * starts a trace of its own and is <em>linked</em> to each (at most {@value #MAX_LINKS}), since
 * one batch cannot have many parents.
 *
 * <pre>{@code
 * try (ProjectionTracing tracing = ProjectionTracing.of(projections, openTelemetry)) { ... }
 * }</pre>
 *
 * <p>Recorded after the fact, through the projections' {@link ProjectionObserver}, with the time
 * the batch took. <b>Attributes:</b> {@code fabula.projection}, {@code fabula.projection.version},
 * {@code fabula.projection.events}, {@code fabula.position.first} and {@code
 * fabula.position.last} (positions in the global log: what an operator looks up with {@code
 * readAll}); no stream ids, no payloads. Needs {@code fabula-projections} on the class path.
 * Thread-safe.
 */
public final class ProjectionTracing implements AutoCloseable {
  /** The most links one batch span carries. */
  public static final int MAX_LINKS = 32;

  static final AttributeKey<String> PROJECTION = AttributeKey.stringKey("fabula.projection");
  static final AttributeKey<Long> VERSION = AttributeKey.longKey("fabula.projection.version");
  static final AttributeKey<Long> EVENTS = AttributeKey.longKey("fabula.projection.events");
  static final AttributeKey<Long> FIRST = AttributeKey.longKey("fabula.position.first");
  static final AttributeKey<Long> LAST = AttributeKey.longKey("fabula.position.last");

  private final Tracer tracer;
  private final JdbcEventStore.Registration observing;

  private ProjectionTracing(Projections projections, Tracer tracer) {
    this.tracer = tracer;
    this.observing = projections.observe(new Observer());
  }

  /** Starts tracing the batches of {@code projections}' runners in this process; {@link #close()} stops. */
  public static ProjectionTracing of(Projections projections, OpenTelemetry openTelemetry) {
    if (projections == null || openTelemetry == null) {
      throw new InvalidInputException("projections and openTelemetry must not be null; use OpenTelemetry.noop() for none");
    }
    return new ProjectionTracing(projections, Spans.tracer(openTelemetry));
  }

  /** Stops tracing. Harmless twice. */
  @Override
  public void close() {
    observing.close();
  }

  private final class Observer implements ProjectionObserver {
    @Override
    public void eventsApplied(ProjectionId id, List<RecordedEvent> applied, long elapsedNanos) {
      if (applied.isEmpty()) {
        return;
      }
      Set<SpanContext> origins = new LinkedHashSet<>();
      boolean untraced = false;
      for (RecordedEvent e : applied) {
        SpanContext origin = TraceMetadata.spanContext(e);
        if (origin.isValid()) {
          origins.add(origin);
        } else {
          untraced = true;
        }
      }
      long end = Spans.nowEpochNanos();
      SpanBuilder builder = tracer.spanBuilder("fabula projection " + id.name())
          .setSpanKind(SpanKind.CONSUMER)
          .setStartTimestamp(end - elapsedNanos, TimeUnit.NANOSECONDS)
          .setAttribute(PROJECTION, id.name())
          .setAttribute(VERSION, (long) id.version())
          .setAttribute(EVENTS, (long) applied.size())
          .setAttribute(FIRST, applied.get(0).position())
          .setAttribute(LAST, applied.get(applied.size() - 1).position());
      if (origins.size() == 1 && !untraced) {
        builder.setParent(Context.root().with(Span.wrap(origins.iterator().next())));
      } else {
        builder.setNoParent();
        origins.stream().limit(MAX_LINKS).forEach(builder::addLink);
      }
      builder.startSpan().end(end, TimeUnit.NANOSECONDS);
    }
  }
}
