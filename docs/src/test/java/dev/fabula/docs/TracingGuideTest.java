package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.tracing.JobTracing;
import dev.fabula.tracing.ProjectionTracing;
import dev.fabula.tracing.StoreTracing;
import dev.fabula.tracing.TraceMetadata;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/tracing.md, run on a SQLite file with the SDK's in-memory exporter. */
class TracingGuideTest {
  @TempDir Path dir;

  record Placed(int n) {}

  @Test
  void a_unit_of_work_traces_through_its_event_the_projection_and_its_job() throws Exception {
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
        .build()) {
      OpenTelemetry openTelemetry = sdk;
      dev.fabula.EventTypes types = dev.fabula.EventTypes.builder().register(Placed.class, "placed", 1).build();
      // snippet:open
      EventStoreConfig config = EventStoreConfig.DEFAULT
          .withEventTypes(types)
          .withMetadataEnricher(TraceMetadata.enricher());   // events and jobs carry the trace context
      JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), config, TestTables.MIGRATING);
      Projections projections = Projections.open(store);
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);

      StoreTracing storeTracing = StoreTracing.of(store, openTelemetry);               // appends, units of work, commands
      ProjectionTracing projectionTracing = ProjectionTracing.of(projections, openTelemetry); // batches
      JobTracing jobTracing = JobTracing.of(queue, openTelemetry);                     // job runs
      // end
      queue.register("send-receipt", ctx -> JobResult.success());
      Projection orderList = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {}));

      // snippet:unit
      storeTracing.inTransaction("place-order", tx -> {
        tx.append("order-7", ExpectedVersion.noStream(), List.of(EventData.of(new Placed(7))));
        queue.enqueue(tx, JobRequest.of("send-receipt"));
        return null;
      });
      // end

      // snippet:continue
      RecordedEvent event = store.readStream("order-7").get(0);
      Context appendedIn = TraceMetadata.context(event.metadata());   // the trace the event was appended in
      Span followUp = openTelemetry.getTracer("shop").spanBuilder("notify warehouse").setParent(appendedIn).startSpan();
      try (Scope ignored = followUp.makeCurrent()) {
        // ... work that continues the event's trace
      } finally {
        followUp.end();
      }
      // end

      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orderList)).start();
          WorkerPool pool = queue.newWorkerPool(1).start()) {
        projections.awaitPosition(orderList.id(), store.headPosition(), Duration.ofSeconds(20));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (exported.getFinishedSpanItems().stream().noneMatch(s -> s.getName().equals("fabula job send-receipt"))) {
          assertThat(System.nanoTime()).as("the job's span").isLessThan(deadline);
          Thread.sleep(20); // polling a condition with a deadline, not standing in for synchronisation
        }
      }
      jobTracing.close();
      projectionTracing.close();
      storeTracing.close();
      store.close();

      List<SpanData> spans = exported.getFinishedSpanItems();
      String trace = spans.stream().filter(s -> s.getName().equals("fabula unit_of_work place-order")).findFirst().orElseThrow().getTraceId();
      assertThat(spans).filteredOn(s -> s.getTraceId().equals(trace)).extracting(SpanData::getName)
          .contains("fabula unit_of_work place-order", "fabula projection order-list", "fabula job send-receipt", "notify warehouse");
    }
  }
}
