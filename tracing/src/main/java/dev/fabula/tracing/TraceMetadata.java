package dev.fabula.tracing;

import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import dev.fabula.spi.MetadataEnricher;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The trace context in an event's metadata: the W3C Trace Context headers {@value #TRACEPARENT} and
 * {@value #TRACESTATE}, as free-form {@link Metadata#entries() entries}. {@link #enricher()} writes
 * the context current on the appending thread into every appended event; {@link #context} reads it
 * back where the event is handled (a projection, a process manager), to continue the trace.
 *
 * <pre>{@code
 * EventStoreConfig config = EventStoreConfig.DEFAULT
 *     .withEventTypes(types)
 *     .withMetadataEnricher(TraceMetadata.enricher());
 * }</pre>
 *
 * <p>Only the two headers are written: ids and sampling flags, no baggage (which may carry what
 * the application put there, personal data included). An append with no valid span current
 * writes nothing, so events appended outside any trace look as before. Thread-safe.
 */
public final class TraceMetadata {
  /** The metadata entry holding the W3C {@code traceparent} header. */
  public static final String TRACEPARENT = "traceparent";
  /** The metadata entry holding the W3C {@code tracestate} header, when the trace has one. */
  public static final String TRACESTATE = "tracestate";

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final MetadataEnricher ENRICHER = TraceMetadata::enrich;

  private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public @Nullable String get(@Nullable Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private TraceMetadata() {}

  /** The enricher that records the current trace context in every appended event's metadata. */
  public static MetadataEnricher enricher() {
    return ENRICHER;
  }

  /**
   * The metadata with the current span's context added. The usual case (no {@code tracestate})
   * formats the {@code traceparent} header directly and copies the entries once (the record's
   * constructor); a trace state goes through the W3C propagator, which encodes it.
   */
  private static Metadata enrich(Metadata metadata) {
    Context current = Context.current();
    SpanContext span = Span.fromContext(current).getSpanContext();
    if (!span.isValid()) {
      return metadata;
    }
    Map<String, String> entries;
    if (!span.getTraceState().isEmpty()) {
      entries = new HashMap<>(metadata.entries());
      W3C.inject(current, entries, Map::put);
    } else if (metadata.entries().isEmpty()) {
      entries = Map.of(TRACEPARENT, traceparent(span));
    } else {
      entries = new HashMap<>(metadata.entries());
      entries.put(TRACEPARENT, traceparent(span));
    }
    return new Metadata(metadata.correlationId(), metadata.causationId(), metadata.tenantId(), metadata.actor(), entries);
  }

  /** The W3C {@code traceparent} header of {@code span}: version 00, trace id, span id, flags. */
  static String traceparent(SpanContext span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
  }

  /**
   * The trace context an event carries, on top of {@link Context#root()}; the root context when it
   * carries none (or a malformed one).
   */
  public static Context context(Metadata metadata) {
    return context(metadata.entries());
  }

  /**
   * The trace context in {@code entries} (an event's metadata entries, a job's headers), on top of
   * {@link Context#root()}; the root context when they carry none (or a malformed one).
   */
  public static Context context(Map<String, String> entries) {
    if (!entries.containsKey(TRACEPARENT)) {
      return Context.root();
    }
    return W3C.extract(Context.root(), entries, GETTER);
  }

  /** The span context an event was appended in; {@link SpanContext#getInvalid()} when none. */
  public static SpanContext spanContext(RecordedEvent event) {
    return Span.fromContext(context(event.metadata())).getSpanContext();
  }
}
