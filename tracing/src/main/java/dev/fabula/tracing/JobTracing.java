package dev.fabula.tracing;

import dev.fabula.InvalidInputException;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.spi.JobObserver;
import dev.fabula.tracing.internal.Spans;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A span {@code fabula job <type>} for every handler run of a queue's worker pools in this
 * process, continuing the trace of the unit of work that enqueued the job: a store configured with
 * {@link TraceMetadata#enricher()} stamps the context current at enqueue time into the job's
 * {@link Job#headers() headers}, as it does into events' metadata, and the run span is its child.
 * A job enqueued outside any trace (or by a schedule) starts a trace of its own.
 *
 * <pre>{@code
 * try (JobTracing tracing = JobTracing.of(queue, openTelemetry)) { ... }
 * }</pre>
 *
 * <p>Recorded after the fact, through the queue's {@link JobObserver}, from the handler's start
 * to its end. <b>Attributes:</b> {@code fabula.job.type}, {@code fabula.job.queue}, {@code
 * fabula.job.id}, {@code fabula.job.attempt}, {@code fabula.outcome} ({@code succeeded}, {@code
 * failed}, {@code snoozed}) and {@code fabula.job.retrying}; no payloads, no tenant ids (only
 * {@code fabula.tenant.present}). A failed run has the error status. Needs {@code
 * fabula-scheduler} on the class path. Thread-safe.
 */
public final class JobTracing implements AutoCloseable {
  static final AttributeKey<String> TYPE = AttributeKey.stringKey("fabula.job.type");
  static final AttributeKey<String> QUEUE = AttributeKey.stringKey("fabula.job.queue");
  static final AttributeKey<Long> ID = AttributeKey.longKey("fabula.job.id");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("fabula.job.attempt");
  static final AttributeKey<Boolean> RETRYING = AttributeKey.booleanKey("fabula.job.retrying");

  /** {@code fabula.outcome} of a run, by {@link JobRun.Outcome#ordinal()}. */
  private static final String[] OUTCOMES = outcomes();

  private final Tracer tracer;
  private final JdbcEventStore.Registration observing;
  /** Span names by job type (the application's handlers: a small set), built once each. */
  private final Map<String, String> spanNames = new ConcurrentHashMap<>();

  private JobTracing(JobQueue queue, Tracer tracer) {
    this.tracer = tracer;
    this.observing = queue.observe(new Observer());
  }

  /** Starts tracing the runs of {@code queue}'s worker pools in this process; {@link #close()} stops. */
  public static JobTracing of(JobQueue queue, OpenTelemetry openTelemetry) {
    if (queue == null || openTelemetry == null) {
      throw new InvalidInputException("queue and openTelemetry must not be null; use OpenTelemetry.noop() for none");
    }
    return new JobTracing(queue, Spans.tracer(openTelemetry));
  }

  /** Stops tracing. Harmless twice. */
  @Override
  public void close() {
    observing.close();
  }

  private static String[] outcomes() {
    String[] words = new String[JobRun.Outcome.values().length];
    for (JobRun.Outcome o : JobRun.Outcome.values()) {
      words[o.ordinal()] = Spans.word(o);
    }
    return words;
  }

  private String spanName(String type) {
    String name = spanNames.get(type);
    return name != null ? name : spanNames.computeIfAbsent(type, t -> "fabula job " + t);
  }

  private static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private final class Observer implements JobObserver {
    @Override
    public void ran(Job job, Instant started, Instant finished, JobRun.Outcome outcome, boolean retrying) {
      Context origin = TraceMetadata.context(job.headers()); // the root context, or the root and the enqueuer's span
      SpanBuilder builder = tracer.spanBuilder(spanName(job.type()))
          .setSpanKind(SpanKind.CONSUMER)
          .setStartTimestamp(epochNanos(started), TimeUnit.NANOSECONDS)
          .setAttribute(TYPE, job.type())
          .setAttribute(QUEUE, job.queue())
          .setAttribute(ID, job.id())
          .setAttribute(ATTEMPT, (long) job.attempt())
          .setAttribute(Spans.OUTCOME, OUTCOMES[outcome.ordinal()])
          .setAttribute(RETRYING, retrying)
          .setAttribute(StoreTracing.TENANT, job.tenantId() != null);
      if (Span.fromContext(origin).getSpanContext().isValid()) {
        builder.setParent(origin);
      } else {
        builder.setNoParent();
      }
      Span span = builder.startSpan();
      if (outcome == JobRun.Outcome.FAILED) {
        span.setStatus(StatusCode.ERROR, job.lastError() == null ? "failed" : "failed (see the job's last error)");
      }
      span.end(epochNanos(finished), TimeUnit.NANOSECONDS);
    }
  }
}
