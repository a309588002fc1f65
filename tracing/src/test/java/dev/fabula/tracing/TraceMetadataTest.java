package dev.fabula.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.Metadata;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The enricher writes exactly the headers the W3C propagator would, and keeps everything else. */
class TraceMetadataTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  private static Metadata enrichedIn(SpanContext span, Metadata metadata) {
    try (Scope ignored = Context.root().with(Span.wrap(span)).makeCurrent()) {
      return TraceMetadata.enricher().enrich(metadata);
    }
  }

  private static Map<String, String> w3c(SpanContext span) {
    Map<String, String> headers = new HashMap<>();
    W3CTraceContextPropagator.getInstance().inject(Context.root().with(Span.wrap(span)), headers, Map::put);
    return headers;
  }

  @Test
  void a_sampled_and_an_unsampled_span_are_written_as_the_w3c_propagator_writes_them() {
    for (TraceFlags flags : new TraceFlags[] {TraceFlags.getSampled(), TraceFlags.getDefault()}) {
      SpanContext span = SpanContext.create(TRACE, SPAN, flags, TraceState.getDefault());
      assertThat(enrichedIn(span, Metadata.EMPTY).entries()).isEqualTo(w3c(span))
          .containsEntry(TraceMetadata.TRACEPARENT, "00-" + TRACE + "-" + SPAN + "-" + flags.asHex());
    }
  }

  @Test
  void a_trace_state_is_written_too_and_the_context_reads_back() {
    SpanContext span = SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(),
        TraceState.builder().put("vendor", "value").put("other", "x").build());
    Metadata enriched = enrichedIn(span, Metadata.EMPTY);
    assertThat(enriched.entries()).isEqualTo(w3c(span)).containsKey(TraceMetadata.TRACESTATE);
    SpanContext back = Span.fromContext(TraceMetadata.context(enriched)).getSpanContext();
    assertThat(back.getTraceId()).isEqualTo(TRACE);
    assertThat(back.getSpanId()).isEqualTo(SPAN);
    assertThat(back.getTraceState().asMap()).isEqualTo(span.getTraceState().asMap());
  }

  @Test
  void the_other_metadata_is_kept_and_an_earlier_traceparent_replaced() {
    SpanContext span = SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(), TraceState.getDefault());
    Metadata given = new Metadata("corr", "cause", null, "alice",
        Map.of("a", "1", TraceMetadata.TRACEPARENT, "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01"));
    Metadata enriched = enrichedIn(span, given);
    assertThat(enriched.correlationId()).isEqualTo("corr");
    assertThat(enriched.causationId()).isEqualTo("cause");
    assertThat(enriched.actor()).isEqualTo("alice");
    assertThat(enriched.entries()).containsEntry("a", "1")
        .containsEntry(TraceMetadata.TRACEPARENT, "00-" + TRACE + "-" + SPAN + "-01").hasSize(2);
  }

  @Test
  void outside_any_span_the_metadata_is_returned_as_given() {
    Metadata given = Metadata.EMPTY.with("a", "1");
    try (Scope ignored = Context.root().makeCurrent()) {
      assertThat(TraceMetadata.enricher().enrich(given)).isSameAs(given);
    }
  }
}
