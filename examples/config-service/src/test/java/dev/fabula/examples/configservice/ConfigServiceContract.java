package dev.fabula.examples.configservice;

import static dev.fabula.examples.configservice.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.configservice.Api.Reply;
import dev.fabula.jdbc.JdbcSnapshotStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The config service's story, end to end over HTTP against a real server on a free port. Each
 * backend runs it with a subclass that supplies the database; each test uses its own table prefix.
 */
abstract class ConfigServiceContract {

  static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The database to run on; may be shared by the tests of a class (they use distinct prefixes). */
  protected abstract String jdbcUrl();

  final TestClock clock = new TestClock(T0);
  private final List<ConfigServer> servers = new ArrayList<>();
  private Settings settings;

  @BeforeEach
  void settings() {
    settings = Settings.DEFAULT.withJdbcUrl(jdbcUrl()).withPort(0).withClock(clock)
        .withTablePrefix("cfg" + PREFIXES.incrementAndGet() + "_");
    ConfigService.migrate(settings);
  }

  @AfterEach
  void stopServers() {
    servers.forEach(ConfigServer::close);
  }

  ConfigServer start() {
    ConfigServer server = ConfigServer.start(settings);
    servers.add(server);
    return server;
  }

  static void assertReply(Reply reply, int status, String body) {
    assertThat(reply.body()).as("body of a %d reply", reply.status()).isEqualTo(json(body));
    assertThat(reply.status()).as("status; body %s", reply.body()).isEqualTo(status);
  }

  @Test
  void create_read_update_list_delete_and_create_again() {
    ConfigServer server = start();
    Api api = new Api(server.uri());

    assertReply(api.get("/config"), 200, "[]");
    assertReply(api.get("/config/foo"), 404, "{\"error\":\"not-found\",\"message\":"
        + "\"config 'foo' has no value; create it with PUT /config/foo {\\\"value\\\": ...}\"}");

    Reply created = api.put("foo", "{\"value\": \"bar\"}", "X-Actor", "alice");
    assertReply(created, 201, "{\"name\":\"foo\",\"value\":\"bar\",\"version\":1,\"change\":\"created\"}");
    assertThat(created.etag()).contains("\"1\"");
    Reply read = api.get("/config/foo");
    assertReply(read, 200,
        "{\"name\":\"foo\",\"value\":\"bar\",\"version\":1,\"updatedAt\":\"2024-05-01T12:00:00Z\",\"updatedBy\":\"alice\"}");
    assertThat(read.etag()).contains("\"1\"");

    clock.advance(Duration.ofMinutes(1));
    assertReply(api.put("foo", "{\"value\": \"baz\"}"), 200,
        "{\"name\":\"foo\",\"value\":\"baz\",\"version\":2,\"change\":\"updated\"}");
    assertReply(api.put("foo", "{\"value\": \"baz\"}"), 200,
        "{\"name\":\"foo\",\"value\":\"baz\",\"version\":2,\"change\":\"unchanged\"}");
    assertReply(api.put("other", "{\"value\": {\"pool\": 20, \"ratio\": 0.50, \"hosts\": [\"a\", \"b\"]}}"), 201,
        "{\"name\":\"other\",\"value\":{\"pool\":20,\"ratio\":0.50,\"hosts\":[\"a\",\"b\"]},\"version\":1,\"change\":\"created\"}");
    assertReply(api.get("/config"), 200, "["
        + "{\"name\":\"foo\",\"value\":\"baz\",\"version\":2,\"updatedAt\":\"2024-05-01T12:01:00Z\",\"updatedBy\":null},"
        + "{\"name\":\"other\",\"value\":{\"pool\":20,\"ratio\":0.50,\"hosts\":[\"a\",\"b\"]},\"version\":1,"
        + "\"updatedAt\":\"2024-05-01T12:01:00Z\",\"updatedBy\":null}]");

    clock.advance(Duration.ofMinutes(1));
    assertReply(api.delete("foo", "X-Actor", "bob"), 200,
        "{\"name\":\"foo\",\"version\":3,\"deleted\":true,\"oldValue\":\"baz\"}");
    assertThat(api.get("/config/foo").status()).isEqualTo(404);
    assertThat(api.get("/config").body().findValuesAsText("name")).containsExactly("other");

    // Deleting what has no value: 404, whether it was deleted or never set.
    assertReply(api.delete("foo"), 404, "{\"error\":\"value-not-found\",\"message\":"
        + "\"config 'foo' has no value to delete (it was already deleted at version 3)\"}");
    assertReply(api.delete("never"), 404,
        "{\"error\":\"value-not-found\",\"message\":\"config 'never' has no value to delete\"}");

    // A deleted value cannot be set ...
    assertReply(api.put("foo", "{\"value\": \"again\"}"), 409, "{\"error\":\"value-deleted\",\"message\":"
        + "\"config 'foo' was deleted at version 3; to create it again, repeat the PUT with the header If-None-Match: *\"}");
    assertThat(api.get("/config/foo").status()).isEqualTo(404);
    // ... until it is created again, explicitly: a new life in the same stream.
    clock.advance(Duration.ofMinutes(1));
    assertReply(api.put("foo", "{\"value\": \"again\"}", "If-None-Match", "*", "X-Actor", "carol"), 201,
        "{\"name\":\"foo\",\"value\":\"again\",\"version\":4,\"change\":\"created\"}");
    assertReply(api.get("/config/foo"), 200,
        "{\"name\":\"foo\",\"value\":\"again\",\"version\":4,\"updatedAt\":\"2024-05-01T12:03:00Z\",\"updatedBy\":\"carol\"}");
    // Creating what exists is refused: If-None-Match: * means "only if there is no value".
    Reply exists = api.put("other", "{\"value\": 1}", "If-None-Match", "*");
    assertThat(exists.status()).isEqualTo(412);
    assertThat(exists.error()).isEqualTo("value-exists");
    assertThat(exists.message()).isEqualTo("config 'other' already has a value (version 1); drop If-None-Match to update it");
    // A name never set can be created with or without If-None-Match.
    assertReply(api.put("fresh", "{\"value\": true}", "If-None-Match", "*"), 201,
        "{\"name\":\"fresh\",\"value\":true,\"version\":1,\"change\":\"created\"}");

    assertReply(api.get("/config/foo/history"), 200, "["
        + "{\"version\":1,\"at\":\"2024-05-01T12:00:00Z\",\"change\":\"created\",\"oldValue\":null,\"newValue\":\"bar\",\"actor\":\"alice\"},"
        + "{\"version\":2,\"at\":\"2024-05-01T12:01:00Z\",\"change\":\"updated\",\"oldValue\":\"bar\",\"newValue\":\"baz\",\"actor\":null},"
        + "{\"version\":3,\"at\":\"2024-05-01T12:02:00Z\",\"change\":\"deleted\",\"oldValue\":\"baz\",\"newValue\":null,\"actor\":\"bob\"},"
        + "{\"version\":4,\"at\":\"2024-05-01T12:03:00Z\",\"change\":\"created\",\"oldValue\":null,\"newValue\":\"again\",\"actor\":\"carol\"}]");
    assertReply(api.get("/config/never/history"), 404,
        "{\"error\":\"not-found\",\"message\":\"config 'never' was never set, so it has no history\"}");
    // Refusals and the unchanged PUT wrote nothing: 4 events for foo, 1 for other, 1 for fresh.
    assertThat(server.service().store().headPosition()).isEqualTo(6);
  }

  @Test
  void time_travel_answers_with_the_value_as_of_an_instant() {
    Api api = new Api(start().uri());
    api.put("flag", "{\"value\": \"v1\"}");
    clock.set(T0.plus(Duration.ofHours(1)));
    api.put("flag", "{\"value\": \"v2\"}");
    clock.set(T0.plus(Duration.ofHours(2)));
    api.delete("flag");
    clock.set(T0.plus(Duration.ofHours(3)));
    assertThat(api.put("flag", "{\"value\": \"v3\"}", "If-None-Match", "*").status()).isEqualTo(201);

    assertReply(api.get("/config/flag?at=2024-05-01T11:59:59Z"), 404, "{\"error\":\"not-found-at\","
        + "\"message\":\"config 'flag' had no value at 2024-05-01T11:59:59Z\"}");
    assertReply(api.get("/config/flag?at=2024-05-01T12:00:00Z"), 200,
        "{\"name\":\"flag\",\"value\":\"v1\",\"version\":1,\"at\":\"2024-05-01T12:00:00Z\"}");
    assertReply(api.get("/config/flag?at=2024-05-01T12:59:59.999999Z"), 200,
        "{\"name\":\"flag\",\"value\":\"v1\",\"version\":1,\"at\":\"2024-05-01T12:59:59.999999Z\"}");
    assertReply(api.get("/config/flag?at=2024-05-01T13:00:00Z"), 200,
        "{\"name\":\"flag\",\"value\":\"v2\",\"version\":2,\"at\":\"2024-05-01T13:00:00Z\"}");
    assertReply(api.get("/config/flag?at=2024-05-01T14:30:00Z"), 404, "{\"error\":\"not-found-at\","
        + "\"message\":\"config 'flag' had no value at 2024-05-01T14:30:00Z (it was deleted at version 3)\"}");
    assertReply(api.get("/config/flag?at=2024-05-01T15:00:00Z"), 200,
        "{\"name\":\"flag\",\"value\":\"v3\",\"version\":4,\"at\":\"2024-05-01T15:00:00Z\"}");
    assertReply(api.get("/config/flag?at=2030-01-01T00:00:00Z"), 200,
        "{\"name\":\"flag\",\"value\":\"v3\",\"version\":4,\"at\":\"2030-01-01T00:00:00Z\"}");
    assertThat(api.get("/config/unknown?at=2030-01-01T00:00:00Z").status()).isEqualTo(404);

    assertReply(api.get("/config/flag?at=2024-05-01"), 400, "{\"error\":\"invalid-instant\",\"message\":"
        + "\"'at' must be an ISO-8601 instant such as 2024-05-01T12:00:00Z, not '2024-05-01'\"}");
    assertThat(api.get("/config/flag?at=").error()).isEqualTo("invalid-instant");
    // An offset is part of ISO-8601: 13:00+01:00 is 12:00Z.
    assertReply(api.get("/config/flag?at=2024-05-01T13:00:00%2B01:00"), 200,
        "{\"name\":\"flag\",\"value\":\"v1\",\"version\":1,\"at\":\"2024-05-01T12:00:00Z\"}");
    Reply unknown = api.get("/config/flag?when=2024-05-01T12:00:00Z");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.message()).isEqualTo("unknown query parameter 'when'; only 'at' (an ISO-8601 instant) is supported");
  }

  @Test
  void if_match_refuses_a_write_based_on_a_stale_version() {
    ConfigServer server = start();
    Api api = new Api(server.uri());
    assertThat(api.put("x", "{\"value\": 1}").etag()).contains("\"1\"");
    Reply second = api.put("x", "{\"value\": 2}", "If-Match", "\"1\"");
    assertReply(second, 200, "{\"name\":\"x\",\"value\":2,\"version\":2,\"change\":\"updated\"}");
    assertThat(second.etag()).contains("\"2\"");

    assertReply(api.put("x", "{\"value\": 3}", "If-Match", "\"1\""), 412, "{\"error\":\"version-mismatch\",\"message\":"
        + "\"config 'x' is at version 2, not 1; read it again and retry with If-Match: \\\"2\\\"\"}");
    assertThat(api.get("/config/x").body().get("value").asInt()).isEqualTo(2);
    assertThat(api.delete("x", "If-Match", "\"1\"").error()).isEqualTo("version-mismatch");
    assertThat(api.get("/config/x").status()).isEqualTo(200);
    assertThat(api.put("new", "{\"value\": 1}", "If-Match", "\"1\"").error()).isEqualTo("version-mismatch");
    assertThat(api.get("/config/new").status()).isEqualTo(404);

    assertReply(api.delete("x", "If-Match", "2"), 200, "{\"name\":\"x\",\"version\":3,\"deleted\":true,\"oldValue\":2}");

    Reply bad = api.put("x", "{\"value\": 4}", "If-Match", "\"abc\"");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.message()).isEqualTo(
        "If-Match must be a version from an ETag or a 'version' field, such as \"3\", not '\"abc\"'");
    assertThat(api.put("x", "{\"value\": 4}", "If-Match", "\"3\"", "If-None-Match", "*").message())
        .isEqualTo("send If-Match or If-None-Match, not both");
    assertThat(api.put("x", "{\"value\": 4}", "If-None-Match", "\"3\"").message())
        .isEqualTo("If-None-Match supports only '*' (create, or create again after a delete), not '\"3\"'");
    assertThat(api.delete("x", "If-None-Match", "*").message())
        .isEqualTo("If-None-Match is not supported on DELETE; use If-Match: \"<version>\"");
    assertThat(server.service().store().headPosition()).isEqualTo(3);
  }

  @Test
  void invalid_names_and_bodies_are_refused_with_what_to_do() {
    ConfigServer server = start();
    Api api = new Api(server.uri());
    String usage = "send a JSON object such as {\"value\": \"jdbc:postgresql://db/app\"}; the value may be any JSON but null";

    assertReply(api.put("bad%20name", "{\"value\": 1}"), 400, "{\"error\":\"invalid-name\",\"message\":\"config name "
        + "'bad name' is invalid: use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit\"}");
    assertThat(api.get("/config/-leading").error()).isEqualTo("invalid-name");
    assertThat(api.get("/config/" + "n".repeat(129)).error()).isEqualTo("invalid-name");
    assertThat(api.put("n".repeat(128), "{\"value\": 1}").status()).isEqualTo(201);
    assertThat(api.get("/config/%C3%A9t%C3%A9/history").error()).isEqualTo("invalid-name");

    assertThat(api.put("x", "{\"value\": ").message()).startsWith("the body is not valid JSON (").endsWith(usage);
    assertThat(api.put("x", "").message()).isEqualTo("the body is empty; " + usage);
    assertThat(api.put("x", "[1]").message()).isEqualTo("the body is not a JSON object; " + usage);
    assertThat(api.put("x", "{}").message()).isEqualTo("the field 'value' is missing; " + usage + " (to remove a value, DELETE it)");
    assertThat(api.put("x", "{\"value\": null}").message()).isEqualTo("the field 'value' is null; " + usage + " (to remove a value, DELETE it)");
    assertThat(api.put("x", "{\"value\": 1, \"colour\": \"red\"}").message()).isEqualTo("unknown field 'colour'; " + usage);
    assertThat(api.put("x", "{\"value\": \"" + "x".repeat(ConfigServer.MAX_BODY_BYTES) + "\"}").status()).isEqualTo(413);
    for (Reply reply : List.of(api.put("x", "{}"), api.put("x", "[1]"), api.put("x", ""))) {
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.error()).isEqualTo("invalid-body");
    }

    assertThat(api.send("POST", "/config/x", "{\"value\": 1}").status()).isEqualTo(405);
    assertThat(api.send("DELETE", "/config", null).status()).isEqualTo(405);
    assertThat(api.get("/elsewhere").error()).isEqualTo("no-such-route");
    assertThat(api.get("/config/a/b").status()).isEqualTo(404);
    assertThat(api.get("/config/x").status()).isEqualTo(404);
    // Only the one valid PUT was stored.
    assertThat(server.service().store().headPosition()).isEqualTo(1);
  }

  @Test
  void a_get_right_after_a_put_reads_the_write() {
    Api api = new Api(start().uri());
    for (int i = 1; i <= 20; i++) {
      assertThat(api.put("counter", "{\"value\": " + i + "}").status()).isIn(200, 201);
      Reply read = api.get("/config/counter");
      assertThat(read.body().get("value").asInt()).isEqualTo(i);
      assertThat(read.body().get("version").asLong()).isEqualTo(i);
      assertThat(api.get("/config").body().get(0).get("value").asInt()).isEqualTo(i);
      assertThat(api.delete("gone-" + i, "X-Actor", "t").status()).isEqualTo(404);
    }
    assertThat(api.put("gone", "{\"value\": 1}").status()).isEqualTo(201);
    assertThat(api.delete("gone").status()).isEqualTo(200);
    assertThat(api.get("/config/gone").status()).isEqualTo(404);
    assertThat(api.get("/config").body().findValuesAsText("name")).containsExactly("counter");
  }

  @Test
  void a_long_lived_value_is_loaded_from_its_snapshot_with_the_same_rules() {
    ConfigServer server = start();
    Api api = new Api(server.uri());
    // 99 changes in one append (as an import would write them), then the 100th through the API.
    int updates = ConfigService.SNAPSHOT_EVERY - 1;
    List<EventData> events = new ArrayList<>();
    events.add(EventData.of(new ConfigEvent.ValueCreated("busy", IntNode.valueOf(1))));
    for (int i = 2; i <= updates; i++) {
      events.add(EventData.of(new ConfigEvent.ValueUpdated("busy", IntNode.valueOf(i - 1), IntNode.valueOf(i))));
    }
    server.service().store().append("config-busy", ExpectedVersion.noStream(), events);
    // Version 100 is the delete: the snapshot holds a deleted state, and the rules still apply.
    assertReply(api.delete("busy"), 200, "{\"name\":\"busy\",\"version\":100,\"deleted\":true,\"oldValue\":" + updates + "}");
    assertThat(JdbcSnapshotStore.open(server.service().store()).load(null, "config-busy"))
        .hasValueSatisfying(snapshot -> {
          assertThat(snapshot.version()).isEqualTo(100);
          assertThat(snapshot.state().get("status").asText()).isEqualTo("DELETED");
        });
    assertThat(api.put("busy", "{\"value\": 0}").error()).isEqualTo("value-deleted");
    assertThat(api.delete("busy").error()).isEqualTo("value-not-found");
    assertReply(api.put("busy", "{\"value\": 0}", "If-None-Match", "*"), 201,
        "{\"name\":\"busy\",\"value\":0,\"version\":101,\"change\":\"created\"}");
    assertReply(api.put("busy", "{\"value\": 1}", "If-Match", "\"101\""), 200,
        "{\"name\":\"busy\",\"value\":1,\"version\":102,\"change\":\"updated\"}");
    assertThat(api.get("/config/busy/history").body()).hasSize(102);
    assertThat(api.get("/config/busy?at=2030-01-01T00:00:00Z").body().get("value").asInt()).isEqualTo(1);
  }

  @Test
  void state_survives_a_restart_and_the_read_model_is_rebuilt_from_the_log() {
    JsonNode listBefore;
    JsonNode historyBefore;
    try (ConfigServer first = ConfigServer.start(settings)) {
      Api api = new Api(first.uri());
      api.put("db-url", "{\"value\": \"jdbc:postgresql://db1/app\"}", "X-Actor", "alice");
      clock.advance(Duration.ofSeconds(10));
      api.put("db-url", "{\"value\": \"jdbc:postgresql://db2/app\"}", "X-Actor", "bob");
      api.put("pool-size", "{\"value\": 20}");
      api.put("retired", "{\"value\": \"x\"}");
      api.delete("retired");
      listBefore = api.get("/config").body();
      historyBefore = api.get("/config/db-url/history").body();
      assertThat(first.service().readModel().rebuiltEvents()).isZero();
    }

    ConfigServer second = start();
    Api api = new Api(second.uri());
    assertThat(second.service().readModel().rebuiltEvents()).isEqualTo(5);
    assertThat(second.service().readModel().position()).isEqualTo(5);
    assertThat(api.get("/config").body()).isEqualTo(listBefore).isEqualTo(json("["
        + "{\"name\":\"db-url\",\"value\":\"jdbc:postgresql://db2/app\",\"version\":2,\"updatedAt\":\"2024-05-01T12:00:10Z\",\"updatedBy\":\"bob\"},"
        + "{\"name\":\"pool-size\",\"value\":20,\"version\":1,\"updatedAt\":\"2024-05-01T12:00:10Z\",\"updatedBy\":null}]"));
    assertThat(api.get("/config/db-url/history").body()).isEqualTo(historyBefore);
    assertThat(api.get("/config/retired").status()).isEqualTo(404);
    assertThat(api.put("retired", "{\"value\": \"y\"}").error()).isEqualTo("value-deleted");
    assertReply(api.put("db-url", "{\"value\": \"jdbc:postgresql://db3/app\"}", "If-Match", "\"2\""), 200,
        "{\"name\":\"db-url\",\"value\":\"jdbc:postgresql://db3/app\",\"version\":3,\"change\":\"updated\"}");
    assertThat(api.get("/config/db-url").body().get("version").asLong()).isEqualTo(3);
  }

  @Test
  void the_audit_worker_records_every_change_exactly_once_across_restarts() {
    try (ConfigServer first = ConfigServer.start(settings)) {
      Api api = new Api(first.uri());
      api.put("a", "{\"value\": 1}", "X-Actor", "alice");
      api.put("a", "{\"value\": 1}");                       // unchanged: no event, no audit row
      api.put("a", "{\"value\": 2}", "If-Match", "\"9\"");  // refused: no event, no audit row
      api.put("a", "{\"value\": 2}", "X-Actor", "bob");
      api.delete("a", "X-Actor", "carol");
      api.put("a", "{\"value\": 3}");                       // refused: deleted
      api.put("b", "{\"value\": \"x\"}");
      AuditTrail audit = first.service().audit();
      audit.awaitPosition(first.service().store().headPosition(), WAIT);
      assertThat(audit.entries()).extracting(e -> e.position() + " " + e.line()).containsExactly(
          "1 config 'a' v1 created by alice: 1",
          "2 config 'a' v2 updated by bob: 1 -> 2",
          "3 config 'a' v3 deleted by carol: was 2",
          "4 config 'b' v1 created by (unknown): \"x\"");
      assertThat(audit.entries()).extracting(AuditTrail.Entry::recordedAt).containsOnly(T0);
    }

    ConfigServer second = start();
    Api api = new Api(second.uri());
    clock.advance(Duration.ofMinutes(5));
    assertThat(api.put("a", "{\"value\": 4}", "If-None-Match", "*", "X-Actor", "dave").status()).isEqualTo(201);
    AuditTrail audit = second.service().audit();
    audit.awaitPosition(second.service().store().headPosition(), WAIT);
    List<AuditTrail.Entry> entries = audit.entries();
    assertThat(entries).extracting(AuditTrail.Entry::position).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(entries.get(4)).isEqualTo(new AuditTrail.Entry(5, "a", 4, "created", "dave", T0.plusSeconds(300),
        "config 'a' v4 created by dave: 4"));
    // One row per event of the log: same positions, names, versions.
    try (Stream<RecordedEvent> log = second.service().store().readAll(LogQuery.all().categories(Set.of("config")))) {
      assertThat(log.map(e -> e.position() + "/" + e.streamId() + "/" + e.streamVersion()).toList())
          .isEqualTo(entries.stream().map(e -> e.position() + "/config-" + e.name() + "/" + e.version()).toList());
    }
  }

  @Test
  void concurrent_conditional_writers_have_exactly_one_winner_per_version() throws Exception {
    ConfigServer server = start();
    Api api = new Api(server.uri());
    api.put("shared", "{\"value\": \"start\"}");
    int writers = 6;
    int winsEach = 4;
    Map<Long, String> winners = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    // Contention for certain: every writer reads version 1 before any writes, so exactly one of
    // the first round's writes wins and the others are refused.
    CyclicBarrier allReadFirst = new CyclicBarrier(writers);
    runConcurrently(writers, w -> {
      boolean first = true;
      for (int won = 0; won < winsEach; ) {
        Reply current = api.get("/config/shared");
        long version = current.body().get("version").asLong();
        if (first) {
          first = false;
          allReadFirst.await(20, TimeUnit.SECONDS);
        }
        String value = "w" + w + "-" + won;
        Reply put = api.put("shared", "{\"value\": \"" + value + "\"}", "If-Match", "\"" + version + "\"");
        if (put.status() == 200) {
          assertThat(put.body().get("version").asLong()).isEqualTo(version + 1);
          if (winners.putIfAbsent(version + 1, value) != null) {
            duplicates.incrementAndGet();
          }
          won++;
        } else {
          assertThat(put.status()).as(put.body().toString()).isEqualTo(412);
          refused.incrementAndGet();
        }
      }
    });

    assertThat(duplicates).hasValue(0);
    assertThat(refused.get()).as("writes refused with 412 (the first round alone refuses %d)", writers - 1)
        .isGreaterThanOrEqualTo(writers - 1);
    long last = 1 + writers * winsEach;
    assertThat(winners.keySet()).containsExactlyInAnyOrderElementsOf(
        java.util.stream.LongStream.rangeClosed(2, last).boxed().toList());
    // The history is the winners in version order, each update starting from the previous value.
    JsonNode history = api.get("/config/shared/history").body();
    assertThat(history).hasSize((int) last);
    for (int i = 1; i < history.size(); i++) {
      JsonNode change = history.get(i);
      assertThat(change.get("version").asLong()).isEqualTo(i + 1);
      assertThat(change.get("newValue").asText()).isEqualTo(winners.get((long) i + 1));
      assertThat(change.get("oldValue")).isEqualTo(history.get(i - 1).get("newValue"));
    }
    assertThat(api.get("/config/shared").body().get("value").asText()).isEqualTo(winners.get(last));
    assertThat(api.get("/config/shared").body().get("version").asLong()).isEqualTo(last);
  }

  @Test
  void concurrent_unconditional_writers_lose_no_update_and_the_state_equals_the_history() throws Exception {
    ConfigServer server = start();
    Api api = new Api(server.uri());
    int writers = 6;
    int writesEach = 5;
    runConcurrently(writers, w -> {
      for (int i = 0; i < writesEach; i++) {
        String value = "w" + w + "-" + i;
        assertThat(api.put("shared", "{\"value\": \"" + value + "\"}").status()).isIn(200, 201);
        assertThat(api.put("own-" + w, "{\"value\": \"" + value + "\"}").status()).isIn(200, 201);
        assertThat(api.put("pair-" + (w % 2), "{\"value\": \"" + value + "\"}").status()).isIn(200, 201);
      }
    });

    // Every write is in the history of its name, each update starting from the previous value,
    // and the read model's state is the last value of each history.
    JsonNode list = api.get("/config").body();
    Map<String, JsonNode> current = new HashMap<>();
    list.forEach(entry -> current.put(entry.get("name").asText(), entry));
    assertThat(current).hasSize(1 + writers + 2);
    int events = 0;
    for (String name : current.keySet()) {
      JsonNode history = api.get("/config/" + name + "/history").body();
      int expected = name.equals("shared") ? writers * writesEach : name.startsWith("own-") ? writesEach : writers / 2 * writesEach;
      assertThat(history).as(name).hasSize(expected);
      for (int i = 1; i < history.size(); i++) {
        assertThat(history.get(i).get("oldValue")).as(name + " v" + (i + 1)).isEqualTo(history.get(i - 1).get("newValue"));
      }
      JsonNode last = history.get(history.size() - 1);
      assertThat(current.get(name).get("value")).isEqualTo(last.get("newValue"));
      assertThat(current.get(name).get("version")).isEqualTo(last.get("version"));
      events += history.size();
    }
    assertThat(events).isEqualTo(writers * writesEach * 3);
    // The global log holds each write once, and its last position is the head. (Positions may
    // have gaps on PostgreSQL, whose sequence hands out numbers that a rolled-back attempt never uses.)
    List<Long> positions;
    try (Stream<RecordedEvent> log = server.service().store().readAll(LogQuery.all())) {
      positions = log.map(RecordedEvent::position).toList();
    }
    assertThat(positions).hasSize(events).doesNotHaveDuplicates().isSorted();
    assertThat(server.service().store().headPosition()).isEqualTo(positions.get(positions.size() - 1));
  }

  interface Writer {
    void run(int writer) throws Exception;
  }

  private static void runConcurrently(int writers, Writer body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(pool.submit(() -> {
          go.await();
          body.run(writer);
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
