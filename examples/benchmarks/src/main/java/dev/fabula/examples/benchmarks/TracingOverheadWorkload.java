package dev.fabula.examples.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.tracing.StoreTracing;
import dev.fabula.tracing.TraceMetadata;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The cost of tracing on the append path: single-event appends from one thread, in rounds that
 * alternate between a plain store and a traced one on the same tables: the traced store records
 * the trace context in every event ({@link TraceMetadata#enricher()}) and a span per append ({@link
 * StoreTracing}), through the OpenTelemetry SDK with a batch processor and an exporter that
 * discards (what an application pays before the network). Both modes append inside an
 * application span, one per round, as a request handler would: the difference is Fabula's
 * tracing alone. The modes are compared as {@link AbRounds} says (interleaved rounds, per-round
 * overhead, its spread).
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
  /** Tells this run's streams from an earlier run's on the same tables (a server given by --pg-url). */
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

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

  /** Opens both stores on {@code url}, runs the rounds; result names start with {@code prefix}. */
  static List<Result> run(String url, String prefix, int appends, int rounds) throws Exception {
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("tracing_");
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(new Discarding()).build()).build())
            .build();
        JdbcEventStore plain = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, jdbc);
        JdbcEventStore traced = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withMetadataEnricher(TraceMetadata.enricher()), jdbc);
        StoreTracing tracing = StoreTracing.of(traced, sdk)) {
      Tracer app = sdk.getTracer("benchmark");
      AbRounds.Comparison c = AbRounds.run(rounds, List.of(
          new AbRounds.Mode("without", r -> appendRound(plain, app, "p" + r, appends)),
          new AbRounds.Mode("with", r -> appendRound(traced, app, "t" + r, appends))));
      List<Result> out = new ArrayList<>(c.results(
          mode -> prefix + ".tracing.append_t1." + mode + ".appends_per_s", mode -> prefix + ".tracing.append_t1", "appends/s"));
      double off = c.median("without");
      double own = ownNanos(sdk, app);
      out.add(Result.of(prefix + ".tracing.own_ns_per_append", own, "ns"));
      out.add(Result.of(prefix + ".tracing.own_share_of_append_ppm", own / (1e9 / off) * 1e6, "ppm"));
      return out;
    }
  }

  /** Appends {@code n} single-event streams inside one application span; appends per second and CPU per append. */
  private static AbRounds.Sample appendRound(JdbcEventStore store, Tracer app, String round, int n) throws Exception {
    Span request = app.spanBuilder("round").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      return AbRounds.time(n, () -> {
        for (int i = 0; i < n; i++) {
          store.append("traced-" + RUN + "-" + round + "-" + i, ExpectedVersion.noStream(),
              List.of(EventData.json("measured", 1, JsonNodeFactory.instance.objectNode().put("n", i))));
        }
      });
    } finally {
      request.end();
    }
  }

  /**
   * What tracing costs per single-event append without the database, timed over many calls inside
   * an application span: the enricher writing the trace context into the event's metadata, and an
   * append span built, timed and ended as the store's observer does.
   */
  private static double ownNanos(OpenTelemetrySdk sdk, Tracer app) {
    Tracer fabula = sdk.getTracer("dev.fabula");
    dev.fabula.spi.MetadataEnricher enricher = TraceMetadata.enricher();
    int calls = 200_000;
    Span request = app.spanBuilder("loop").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      long start = 0;
      for (int pass = 0; pass < 3; pass++) { // two warm-up passes, the third timed
        start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          dev.fabula.Metadata m = enricher.enrich(dev.fabula.Metadata.EMPTY);
          long end = System.currentTimeMillis() * 1_000_000L;
          fabula.spanBuilder("fabula append")
              .setStartTimestamp(end - 1000, java.util.concurrent.TimeUnit.NANOSECONDS)
              .setAttribute("fabula.append.streams", 1L)
              .setAttribute("fabula.append.events", (long) m.entries().size())
              .setAttribute("fabula.outcome", "success")
              .startSpan()
              .end(end, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
      }
      return (System.nanoTime() - start) / (double) calls;
    } finally {
      request.end();
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
