package dev.fabula.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.Aggregate;
import dev.fabula.AggregateRepository;
import dev.fabula.CommandMetadata;
import dev.fabula.ConcurrencyException;
import dev.fabula.Decision;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.testkit.Await;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trace travels with the data, on a real database (the subclass supplies it): command → event
 * → projection batch → job run, checked with the OpenTelemetry SDK's in-memory exporter.
 */
abstract class TracingContract {
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final AtomicInteger STORES = new AtomicInteger();

  /** A store on its own tables ({@code jdbc}'s prefix), migrated on open, with its own pool. */
  protected abstract JdbcEventStore openStore(EventStoreConfig config, JdbcConfig jdbc);

  // ---- a small aggregate ---------------------------------------------------------------------

  record Place(int n) {}

  record Placed(int n) {}

  static final class Orders implements Aggregate<Integer, Place, Placed> {
    @Override public String category() { return "order"; }
    @Override public Class<Integer> stateType() { return Integer.class; }
    @Override public Class<Placed> eventType() { return Placed.class; }
    @Override public Integer initialState() { return 0; }
    @Override public Integer evolve(Integer state, Placed event) { return state + 1; }
    @Override public Decision<Placed> decide(Integer state, Place command) {
      return command.n() < 0 ? Decision.reject("negative", "no negative orders") : Decision.accept(new Placed(command.n()));
    }
  }

  static final EventTypes TYPES = EventTypes.builder().register(Placed.class, "placed", 1).build();

  InMemorySpanExporter spans;
  OpenTelemetrySdk otel;
  Tracer tracer;

  @BeforeEach
  void sdk() {
    spans = InMemorySpanExporter.create();
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build();
    tracer = otel.getTracer("test");
  }

  @AfterEach
  void closeSdk() {
    otel.close();
  }

  JdbcEventStore open(boolean traced) {
    EventStoreConfig config = EventStoreConfig.DEFAULT.withEventTypes(TYPES);
    return openStore(traced ? config.withMetadataEnricher(TraceMetadata.enricher()) : config,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("tracing" + STORES.incrementAndGet() + "_"));
  }

  SpanData span(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList()));
  }

  boolean has(String name) {
    return spans.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals(name));
  }


  @Test
  void a_command_in_a_unit_of_work_carries_its_trace_to_the_event_the_projection_and_the_job() throws Exception {
    try (JdbcEventStore store = open(true);
        StoreTracing storeTracing = StoreTracing.of(store, otel)) {
      Projections projections = Projections.open(store);
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withPollInterval(Duration.ofMillis(20)));
      java.util.concurrent.atomic.AtomicReference<java.util.Map<String, String>> seen = new java.util.concurrent.atomic.AtomicReference<>();
      queue.register("confirmation-email", ctx -> {
        seen.set(ctx.headers());
        return JobResult.success();
      });
      Projection list = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {}));
      AggregateRepository<Integer, Place, Placed> orders = storeTracing.traced(AggregateRepository.of(store, new Orders()));

      long[] position = new long[1];
      long jobId = storeTracing.inTransaction("place-order", tx -> {
        position[0] = orders.handle(tx, "7", new Place(7), CommandMetadata.create()).orThrow().position();
        return queue.enqueue(tx, JobRequest.of("confirmation-email")).id();
      });

      SpanData unit = span("fabula unit_of_work place-order");
      SpanData command = span("fabula command order");
      assertThat(command.getParentSpanId()).isEqualTo(unit.getSpanId());
      assertThat(command.getAttributes().get(AttributeKey.stringKey("fabula.aggregate.category"))).isEqualTo("order");
      assertThat(command.getAttributes().get(AttributeKey.stringKey("fabula.command.type"))).isEqualTo("Place");
      assertThat(command.getAttributes().get(AttributeKey.stringKey("fabula.outcome"))).isEqualTo("accepted");
      assertThat(unit.getAttributes().get(AttributeKey.stringKey("fabula.outcome"))).isEqualTo("committed");
      assertThat(unit.getAttributes().get(AttributeKey.booleanKey("fabula.tenant.present"))).isFalse();

      // The event carries the command's span context; the job the unit of work's.
      RecordedEvent event = store.readStream("order-7").get(0);
      assertThat(event.metadata().entries().get(TraceMetadata.TRACEPARENT))
          .startsWith("00-" + command.getTraceId() + "-" + command.getSpanId() + "-");
      assertThat(TraceMetadata.spanContext(event).getSpanId()).isEqualTo(command.getSpanId());
      Job job = queue.job(jobId).orElseThrow();
      assertThat(job.headers().get(TraceMetadata.TRACEPARENT)).contains(unit.getTraceId()).contains(unit.getSpanId());

      try (ProjectionTracing projectionTracing = ProjectionTracing.of(projections, otel);
          JobTracing jobTracing = JobTracing.of(queue, otel);
          ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(list)).start();
          WorkerPool pool = queue.newWorkerPool(1).start()) {
        projections.awaitPosition(list.id(), position[0], WAIT);
        Await.until("the projection and job spans", WAIT, () -> has("fabula projection order-list") && has("fabula job confirmation-email"));
      }

      SpanData batch = span("fabula projection order-list");
      assertThat(batch.getTraceId()).as("the projection continues the command's trace").isEqualTo(command.getTraceId());
      assertThat(batch.getParentSpanId()).as("one event: a child of its command").isEqualTo(command.getSpanId());
      assertThat(batch.getAttributes().get(AttributeKey.stringKey("fabula.projection"))).isEqualTo("order-list");
      assertThat(batch.getAttributes().get(AttributeKey.longKey("fabula.projection.events"))).isEqualTo(1);
      assertThat(batch.getAttributes().get(AttributeKey.longKey("fabula.position.last"))).isEqualTo(position[0]);

      SpanData run = span("fabula job confirmation-email");
      assertThat(run.getTraceId()).as("the job continues the unit of work's trace").isEqualTo(unit.getTraceId());
      assertThat(run.getParentSpanId()).isEqualTo(unit.getSpanId());
      assertThat(run.getAttributes().get(AttributeKey.stringKey("fabula.outcome"))).isEqualTo("succeeded");
      assertThat(run.getAttributes().get(AttributeKey.longKey("fabula.job.id"))).isEqualTo(jobId);
      assertThat(run.getAttributes().get(AttributeKey.longKey("fabula.job.attempt"))).isEqualTo(1);
      assertThat(seen.get()).as("the handler sees the headers").isEqualTo(job.headers());

      assertThat(spans.getFinishedSpanItems()).allSatisfy(s -> assertThat(s.getAttributes().asMap().values())
          .as("no stream ids or aggregate ids in attributes").noneMatch(v -> String.valueOf(v).contains("order-7")));
    }
  }

  @Test
  void a_batch_of_events_from_several_traces_links_to_each_and_starts_its_own_trace() throws Exception {
    try (JdbcEventStore store = open(true)) {
      SpanContext[] origins = new SpanContext[2];
      long head = 0;
      for (int i = 0; i < 2; i++) {
        Span request = tracer.spanBuilder("request " + i).startSpan();
        try (Scope ignored = request.makeCurrent()) {
          head = store.append("order-" + i, ExpectedVersion.noStream(), List.of(EventData.of(new Placed(i)))).lastPosition();
        } finally {
          request.end();
        }
        origins[i] = request.getSpanContext();
      }
      store.append("order-untraced", ExpectedVersion.noStream(), List.of(EventData.of(new Placed(9))));
      assertThat(store.readStream("order-untraced").get(0).metadata().entries()).as("no span current: nothing written").isEmpty();

      Projections projections = Projections.open(store);
      Projection list = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {}));
      try (ProjectionTracing tracing = ProjectionTracing.of(projections, otel);
          ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(list)).start()) {
        projections.awaitPosition(list.id(), store.headPosition(), WAIT);
        Await.until("the batch span", WAIT, () -> has("fabula projection order-list"));
      }

      SpanData batch = span("fabula projection order-list");
      assertThat(batch.getParentSpanContext().isValid()).as("many traces: no parent").isFalse();
      assertThat(batch.getLinks()).extracting(LinkData::getSpanContext)
          .extracting(SpanContext::getSpanId).containsExactlyInAnyOrder(origins[0].getSpanId(), origins[1].getSpanId());
      assertThat(batch.getAttributes().get(AttributeKey.longKey("fabula.projection.events"))).isEqualTo(3);
      assertThat(head).isPositive();
    }
  }

  @Test
  void stand_alone_appends_are_spans_of_the_current_trace_with_counts_and_outcome() {
    try (JdbcEventStore store = open(true); StoreTracing tracing = StoreTracing.of(store, otel)) {
      Span request = tracer.spanBuilder("request").startSpan();
      try (Scope ignored = request.makeCurrent()) {
        store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.of(new Placed(1)), EventData.of(new Placed(2))));
        assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.of(new Placed(3)))))
            .isInstanceOf(ConcurrencyException.class);
      } finally {
        request.end();
      }

      List<SpanData> appends = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("fabula append")).toList();
      assertThat(appends).hasSize(2);
      assertThat(appends).allSatisfy(s -> {
        assertThat(s.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(s.getEndEpochNanos()).isGreaterThanOrEqualTo(s.getStartEpochNanos());
      });
      assertThat(appends.get(0).getAttributes().get(AttributeKey.longKey("fabula.append.events"))).isEqualTo(2);
      assertThat(appends.get(0).getAttributes().get(AttributeKey.stringKey("fabula.outcome"))).isEqualTo("success");
      assertThat(appends.get(1).getAttributes().get(AttributeKey.stringKey("fabula.outcome"))).isEqualTo("conflict");
      assertThat(appends.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(store.readStream("order-1").get(0).metadata().entries().get(TraceMetadata.TRACEPARENT))
          .contains(request.getSpanContext().getTraceId());

      tracing.close();
      store.append("order-2", ExpectedVersion.noStream(), List.of(EventData.of(new Placed(4))));
      assertThat(spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("fabula append"))).hasSize(2);
    }
  }

  @Test
  void a_rejected_command_and_a_failed_unit_of_work_are_recorded_as_such() {
    try (JdbcEventStore store = open(true); StoreTracing tracing = StoreTracing.of(store, otel)) {
      AggregateRepository<Integer, Place, Placed> orders = tracing.traced(AggregateRepository.of(store, new Orders()));
      assertThat(orders.handle("1", new Place(-1)).accepted()).isFalse();
      assertThat(span("fabula command order").getAttributes().get(AttributeKey.stringKey("fabula.outcome"))).isEqualTo("rejected");

      assertThatThrownBy(() -> tracing.inTransaction("broken", tx -> {
        tx.append("order-2", ExpectedVersion.noStream(), List.of(EventData.of(new Placed(2))));
        throw new IllegalStateException("the warehouse said no");
      })).hasMessageContaining("warehouse");
      SpanData unit = span("fabula unit_of_work broken");
      assertThat(unit.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(unit.getEvents()).extracting(e -> e.getName()).contains("exception");
      assertThat(store.streamInfo("order-2")).as("rolled back").isEmpty();
    }
  }

  @Test
  void a_retried_append_under_another_trace_is_still_a_replay_and_keeps_the_first_context() {
    try (JdbcEventStore store = open(true)) {
      EventData event = EventData.of(new Placed(1));
      String[] first = new String[1];
      for (int attempt = 0; attempt < 2; attempt++) {
        Span request = tracer.spanBuilder("request " + attempt).startSpan();
        try (Scope ignored = request.makeCurrent()) {
          boolean replayed = store.append("order-1", ExpectedVersion.noStream(), List.of(event)).replayed();
          assertThat(replayed).isEqualTo(attempt == 1);
        } finally {
          request.end();
        }
        if (attempt == 0) {
          first[0] = request.getSpanContext().getSpanId();
        }
      }
      assertThat(store.readStream("order-1")).singleElement()
          .satisfies(e -> assertThat(TraceMetadata.spanContext(e).getSpanId()).isEqualTo(first[0]));
    }
  }

  @Test
  void an_enricher_that_returns_null_fails_the_append_before_anything_is_written() {
    EventStoreConfig config = EventStoreConfig.DEFAULT.withEventTypes(TYPES).withMetadataEnricher(m -> null);
    try (JdbcEventStore store = openStore(config,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("tracing" + STORES.incrementAndGet() + "_"))) {
      assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.of(new Placed(1)))))
          .isInstanceOf(dev.fabula.InvalidInputException.class).hasMessageContaining("returned null");
      assertThat(store.streamInfo("order-1")).isEmpty();
    }
  }

  @Test
  void without_the_enricher_the_store_appends_metadata_unchanged_even_inside_a_trace() {
    try (JdbcEventStore store = open(false)) {
      Span request = tracer.spanBuilder("request").startSpan();
      try (Scope ignored = request.makeCurrent()) {
        store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.of(new Placed(1))));
      } finally {
        request.end();
      }
      assertThat(store.readStream("order-1").get(0).metadata().entries()).isEmpty();
      assertThat(store.config().metadataEnricher()).isSameAs(dev.fabula.spi.MetadataEnricher.NONE);
    }
  }
}
