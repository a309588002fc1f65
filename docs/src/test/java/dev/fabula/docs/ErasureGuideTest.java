package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.DataSubject;
import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.PersonalData;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.console.Console;
import dev.fabula.console.ConsoleAuthenticator;
import dev.fabula.console.ConsoleServer;
import dev.fabula.console.ConsoleUser;
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
import dev.fabula.testkit.TableScan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The erasure code of docs/personal-data.md, on a SQLite file: a subject and a stream erased from
 * events, a read model, a job, and the console's pages.
 */
class ErasureGuideTest {
  @EventType("guide-customer-registered")
  record CustomerRegistered(@DataSubject String customerId, @PersonalData String email, String plan) {}

  @TempDir Path dir;

  private static String page(URI uri, String token) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
    return response.body();
  }

  @Test
  void erases_a_customer_and_a_stream_everywhere() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("guide.db");
    JdbcEventStore.migrate(url, JdbcConfig.DEFAULT);
    EventStoreConfig config = EventStoreConfig.DEFAULT
        .withEventTypes(EventTypes.builder().register(CustomerRegistered.class).build())
        .withPersonalData(PersonalDataPolicy.builder().register(CustomerRegistered.class).build());
    try (JdbcEventStore store = JdbcEventStore.open(url, config, JdbcConfig.DEFAULT)) {
      store.inTransaction(tx -> tx.unwrap(Handle.class).execute(
          "CREATE TABLE customers (tenant_id TEXT, stream_id TEXT, customer_id TEXT, email TEXT)"));
      TransactionalHandler handler = TransactionalHandler.eachEvent((h, e) -> {
        if (e.type().equals("guide-customer-registered")) {
          CustomerRegistered c = store.types().decode(e, CustomerRegistered.class);
          h.execute("INSERT INTO customers VALUES (?, ?, ?, ?)", e.metadata().tenantId(), e.streamId(), c.customerId(), c.email());
        }
      });
      // snippet:hook
      Projection customers = Projection.transactional("customers", handler)
          .withErasure((scope, handle) -> handle.createUpdate(scope.kind() == Erasure.Kind.SUBJECT
                  ? "DELETE FROM customers WHERE tenant_id = :tenant AND customer_id = :id"
                  : "DELETE FROM customers WHERE tenant_id = :tenant AND stream_id = :id")
              .bind("tenant", scope.tenantKey())
              .bind("id", scope.target())
              .execute());
      // end
      Projections projections = Projections.open(store);
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      EventStore acme = store.forTenant("acme");
      acme.append("customer-c42", ExpectedVersion.noStream(),
          List.of(EventData.of(new CustomerRegistered("c42", "ada@example.com", "gold"))));
      acme.append("support-chat-991", ExpectedVersion.noStream(), List.of(EventData.json("chat-message", 1,
          JsonNodeFactory.instance.objectNode().put("text", "call me on 555-0100"))));
      Job welcome = store.inTransaction(tx -> queue.enqueue(tx.forTenant("acme"),
          JobRequest.of("send-welcome").withPayload("{\"customer\":\"c42\"}")));
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(customers)).start()) {
        projections.awaitPosition(customers.id(), store.headPosition(), Duration.ofSeconds(20));
      }
      assertThat(TableScan.of(url).find("ada@example.com")).isNotEmpty();

      // snippet:erase
      ErasureRecord subject = store.forTenant("acme").erase(Erasure.subject("c42").by("dpo:ticket-1187"));
      ErasureRecord stream = store.forTenant("acme").erase(Erasure.stream("support-chat-991").by("dpo:ticket-1187"));
      List<ErasureRecord> audit = store.forTenant("acme").erasures();              // newest first
      List<ErasureRecord> ofC42 = store.forTenant("acme").erasuresOf(Erasure.subject("c42"));
      // end
      assertThat(subject.counts()).containsEntry("keys", 1L).containsEntry("read_models", 1L).containsEntry("scheduler", 1L);
      assertThat(stream.counts()).containsEntry("events", 1L);
      assertThat(audit).containsExactly(stream, subject);
      assertThat(ofC42).containsExactly(subject);
      assertThat(queue.job(welcome.id())).isEmpty();
      assertThat(TableScan.of(url).find("ada@example.com", "555-0100", "support-chat-991")).isEmpty();

      String token = "a-long-random-token-from-your-vault";
      Console console = Console.builder(store).projections(projections).jobs(queue)
          .authenticator(ConsoleAuthenticator.token(token, ConsoleUser.operator("ops"))).open();
      try (ConsoleServer server = ConsoleServer.start(console, 0)) {
        for (String path : List.of("events", "events?after=0", "projections", "jobs")) {
          assertThat(page(server.uri().resolve(path), token)).as(path).doesNotContain("ada@example.com", "555-0100", "support-chat-991");
        }
      }
    }
  }
}
