package dev.fabula.tracing.internal;

import dev.fabula.AppendOutcomeUnknownException;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventIdConflictException;
import dev.fabula.StoreUnavailableException;
import dev.fabula.StreamDeletedException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Instant;
import java.util.Locale;

/** What every Fabula span shares: the tracer's scope, the outcome attribute, failure recording. */
public final class Spans {
  /** The instrumentation scope of every Fabula span. */
  public static final String SCOPE = "dev.fabula";
  /** How the traced work ended. */
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("fabula.outcome");

  private Spans() {}

  /** The tracer of the instrumentation scope {@value #SCOPE}. */
  public static Tracer tracer(OpenTelemetry openTelemetry) {
    return openTelemetry.getTracer(SCOPE);
  }

  /** Now, in nanoseconds since the epoch, as span timestamps count. */
  public static long nowEpochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** A low-cardinality word for how something failed: the {@code fabula.outcome} of a failure. */
  public static String kind(Throwable e) {
    if (e instanceof ConcurrencyException) {
      return "conflict";
    }
    if (e instanceof StreamDeletedException) {
      return "stream_deleted";
    }
    if (e instanceof EventIdConflictException) {
      return "event_id_conflict";
    }
    if (e instanceof StoreUnavailableException) {
      return "unavailable";
    }
    if (e instanceof AppendOutcomeUnknownException) {
      return "unknown";
    }
    return "error";
  }

  /** Marks {@code span} failed with {@code e}: status, outcome and the exception as an event. */
  public static void failed(Span span, Throwable e) {
    span.setAttribute(OUTCOME, kind(e));
    span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
    span.recordException(e);
  }

  /** The lower-case name of an enum constant, for attributes. */
  public static String word(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
