package dev.fabula.examples.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.tracing.StoreTracing;
import dev.fabula.tracing.TraceMetadata;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cost of tracing on the append path: single-event appends from one thread, in rounds that
 * alternate between a plain store and a traced one on the same tables: the traced store records
 * the trace context in every event ({@link TraceMetadata#enricher()}) and a span per append ({@link
 * StoreTracing}). The modes are compared as {@link AbRounds} says (interleaved rounds, per-round
 * overhead, its spread).
 *
 * <p><b>The SDK is configured as a production service's would be</b> ({@link #sdk()}): a
 * parent-based sampler (a trace sampled upstream is sampled here, as are one in {@value
 * #SAMPLED_ONE_IN} of the traces that start here) and the default {@link BatchSpanProcessor}, with
 * an exporter that discards the spans instead of sending them (what an application pays before the
 * network). Each append is a request that arrives with its trace context from upstream ({@link
 * #request}, a remote parent), in every mode: the difference between the modes is Fabula's tracing
 * alone. Mode {@code with}: one request in {@value #SAMPLED_ONE_IN} arrives sampled; mode {@code
 * with_all}: every request does, so every append span is recorded and exported (the worst case).
 * Every event carries its {@code traceparent} either way.
 *
 * <p>Before the rounds, tracing's own work per append is timed in a tight loop (which also gets the
 * SDK's code compiled, as it is in a long-running service), and the rounds start after {@value
 * #WARMUPS} warm-up rounds per mode.
 *
 * <pre>
 * mvn -B -q -pl examples/benchmarks -am compile exec:java \
 *     -Dexec.mainClass=dev.fabula.examples.benchmarks.TracingOverheadWorkload -Dexec.args="jdbc:sqlite:/tmp/t.db 500 8"
 * </pre>
 *
 * <p>Arguments: a JDBC URL (or {@code pg} for an embedded durable PostgreSQL server), appends per
 * round (500) and rounds per mode (8).
 */
public final class TracingOverheadWorkload {
  /** One request in this many arrives sampled in mode {@code with}; the root sampler's ratio too. */
  static final int SAMPLED_ONE_IN = 10;
  /** Warm-up rounds per mode before the measured ones, by default. */
  static final int WARMUPS = 2;
  /** Tells this run's streams from an earlier run's on the same tables (a server given by --pg-url). */
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final IdGenerator IDS = IdGenerator.random();

  private TracingOverheadWorkload() {}

  /** An exporter that drops every span: the SDK's work without the network's. */
  static final class Discarding implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /**
   * The SDK as a production service configures it, but for the exporter: a parent-based sampler
   * over a trace-id ratio of 1 in {@value #SAMPLED_ONE_IN}, and a {@link BatchSpanProcessor} with
   * its defaults (a queue of 2,048 spans, batches of 512, every 5 s) feeding an exporter that
   * discards.
   */
  static OpenTelemetrySdk sdk() {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(1.0 / SAMPLED_ONE_IN)))
            .addSpanProcessor(BatchSpanProcessor.builder(new Discarding()).build())
            .build())
        .build();
  }

  /**
   * The context of a request that arrived from upstream with its trace context (a remote parent,
   * sampled or not), as an HTTP server's instrumentation makes current.
   */
  static Context request(boolean sampled) {
    return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(IDS.generateTraceId(),
        IDS.generateSpanId(), sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())));
  }

  /** Opens both stores on {@code url}, runs the rounds; result names start with {@code prefix}. */
  static List<Result> run(String url, String prefix, int appends, int rounds) throws Exception {
    return run(url, prefix, appends, WARMUPS, rounds);
  }

  /** {@link #run(String, String, int, int)} after {@code warmups} warm-up rounds per mode. */
  static List<Result> run(String url, String prefix, int appends, int warmups, int rounds) throws Exception {
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("tracing_");
    try (OpenTelemetrySdk sdk = sdk();
        JdbcEventStore plain = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, jdbc);
        JdbcEventStore traced = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withMetadataEnricher(TraceMetadata.enricher()), jdbc);
        StoreTracing tracing = StoreTracing.of(traced, sdk)) {
      ClaimOverheadWorkload.ObserverCost own = ownWork(sdk);
      AbRounds.Comparison c = AbRounds.run(warmups, rounds, List.of(
          new AbRounds.Mode("without", r -> appendRound(plain, "p" + r, appends, SAMPLED_ONE_IN)),
          new AbRounds.Mode("with", r -> appendRound(traced, "t" + r, appends, SAMPLED_ONE_IN)),
          new AbRounds.Mode("with_all", r -> appendRound(traced, "a" + r, appends, 1))));
      List<Result> out = new ArrayList<>(c.results(
          mode -> prefix + ".tracing.append_t1." + mode + ".appends_per_s",
          mode -> prefix + (mode.equals("with") ? ".tracing" : ".tracing_all_sampled") + ".append_t1", "appends/s"));
      double off = c.median("without");
      out.add(Result.of(prefix + ".tracing.own_ns_per_append", own.wallNanos(), "ns"));
      out.add(Result.of(prefix + ".tracing.own_cpu_ns_per_append", own.cpuNanos(), "ns"));
      out.add(Result.of(prefix + ".tracing.own_bytes_per_append", own.bytes(), "B"));
      out.add(Result.of(prefix + ".tracing.own_share_of_append_ppm", own.wallNanos() / (1e9 / off) * 1e6, "ppm"));
      return out;
    }
  }

  /**
   * Appends {@code n} single-event streams, each in a request of its own ({@link #request}), one in
   * {@code sampledOneIn} sampled upstream; appends per second and CPU per append.
   */
  private static AbRounds.Sample appendRound(JdbcEventStore store, String round, int n, int sampledOneIn) throws Exception {
    return AbRounds.time(n, () -> {
      for (int i = 0; i < n; i++) {
        try (Scope ignored = request(i % sampledOneIn == 0).makeCurrent()) {
          store.append("traced-" + RUN + "-" + round + "-" + i, ExpectedVersion.noStream(),
              List.of(EventData.json("measured", 1, JsonNodeFactory.instance.objectNode().put("n", i))));
        }
      }
    });
  }

  /**
   * What tracing costs per single-event append without the database, timed over many calls inside
   * a sampled request (the worst case: the span is recorded and exported): the enricher writing
   * the trace context into the event's metadata, and an append span built, timed and ended as the
   * store's observer does. Wall time, this thread's CPU time (which a busy machine disturbs far
   * less) and bytes allocated, per append.
   */
  private static ClaimOverheadWorkload.ObserverCost ownWork(OpenTelemetrySdk sdk) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Tracer fabula = sdk.getTracer("dev.fabula");
    dev.fabula.spi.MetadataEnricher enricher = TraceMetadata.enricher();
    AttributeKey<Long> streams = AttributeKey.longKey("fabula.append.streams");
    AttributeKey<Long> events = AttributeKey.longKey("fabula.append.events");
    AttributeKey<String> outcome = AttributeKey.stringKey("fabula.outcome");
    int calls = 200_000;
    try (Scope ignored = request(true).makeCurrent()) {
      long start = 0;
      long cpu = 0;
      long bytes = 0;
      for (int pass = 0; pass < 3; pass++) { // two warm-up passes, the third timed
        bytes = threads.getCurrentThreadAllocatedBytes();
        cpu = threads.getCurrentThreadCpuTime();
        start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          dev.fabula.Metadata m = enricher.enrich(dev.fabula.Metadata.EMPTY);
          Instant now = Instant.now();
          long end = now.getEpochSecond() * 1_000_000_000L + now.getNano();
          fabula.spanBuilder("fabula append")
              .setSpanKind(SpanKind.INTERNAL)
              .setStartTimestamp(end - 1000, TimeUnit.NANOSECONDS)
              .setAttribute(streams, 1L)
              .setAttribute(events, (long) m.entries().size())
              .setAttribute(outcome, "success")
              .startSpan()
              .end(end, TimeUnit.NANOSECONDS);
        }
      }
      double wall = (System.nanoTime() - start) / (double) calls;
      return new ClaimOverheadWorkload.ObserverCost(wall, (threads.getCurrentThreadCpuTime() - cpu) / (double) calls,
          (threads.getCurrentThreadAllocatedBytes() - bytes) / (double) calls);
    }
  }

  /** Runs the workload alone: {@code <url or pg> [appends per round=500] [rounds=8]}. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: TracingOverheadWorkload <jdbc-url, or pg for an embedded server> [appends=500] [rounds=8]");
      System.exit(2);
    }
    String url = args[0];
    int appends = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    if (url.equals("pg")) {
      url = dev.fabula.testkit.postgres.PostgresServer.durable().createDatabase().jdbcUrlWithCredentials();
    }
    Benchmarks.print(run(url, url.startsWith("jdbc:postgresql:") ? "pg" : "sqlite", appends, rounds));
  }
}
