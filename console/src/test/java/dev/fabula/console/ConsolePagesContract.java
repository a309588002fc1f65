package dev.fabula.console;

import static dev.fabula.console.ConsoleFixture.TOKEN;
import static dev.fabula.console.ConsoleFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.Capture;
import dev.fabula.migration.ImportConfig;
import dev.fabula.migration.ImportSource;
import dev.fabula.migration.Importer;
import dev.fabula.migration.MappedRow;
import dev.fabula.migration.Migrations;
import dev.fabula.migration.ParityCheck;
import dev.fabula.migration.ParityConfig;
import dev.fabula.migration.ReadSwitch;
import dev.fabula.migration.ReadTarget;
import dev.fabula.projections.ParkedEvent;
import dev.fabula.projections.ProjectionId;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pages over blue/green and the migration toolkit, over plain HTTP: promote refuses a version
 * that has not caught up and is CSRF-checked, permission-checked, refused in read-only and tenant
 * consoles and audited; the migration page escapes hostile import names, row keys, errors and
 * reports, pages failed rows by keyset, and its one action (running a parity check) is guarded the
 * same way. The subclass supplies the database.
 */
abstract class ConsolePagesContract {
  static final String HOSTILE = ConsoleSecurityContract.HOSTILE;
  private static final Pattern NEXT = Pattern.compile("<p class=\"pager\"><a href=\"([^\"]+)\">");

  private ConsoleFixture fixture;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<AuditEntry> heard = new CopyOnWriteArrayList<>();
  private ProjectionId v2;

  protected abstract JdbcEventStore openStore(JdbcConfig config);

  @BeforeEach
  void open() {
    fixture = new ConsoleFixture(this::openStore);
    v2 = fixture.ordersV2;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    fixture.close();
  }

  private Console console(ConsoleConfig config, ConsoleUser user) {
    return Console.builder(fixture.store).projections(fixture.projections).jobs(fixture.queue)
        .migration(Migrations.open(fixture.store))
        .parityCheck(HOSTILE, () -> ParityCheck.of(fixture.store.jdbi(), ParityConfig.DEFAULT.withKeyColumns("id"))
            .compare("SELECT '<script>alert(1)</script>' AS id", "SELECT 'fine' AS id"))
        .authenticator(ConsoleAuthenticator.token(TOKEN, user)).config(config).onAction(heard::add).open();
  }

  private HttpSession serve(Console console) {
    ConsoleServer server = ConsoleServer.start(console, 0);
    closing.add(0, server);
    return new HttpSession(server).bearer(TOKEN);
  }

  private void v1CaughtUp() {
    await("v1 to catch up", () -> fixture.projections.status(fixture.orders).caughtUp());
  }

  @Test
  void a_projection_that_runs_as_segments_shows_each_segment_with_its_checkpoint_and_owner() {
    dev.fabula.projections.Projection segmented = dev.fabula.projections.Projection.atLeastOnce("segmented",
        dev.fabula.projections.AtLeastOnceHandler.eachEvent(e -> { })).withSegments(2);
    try (dev.fabula.projections.ProjectionRunner r = fixture.projections.runner(
        dev.fabula.projections.RunnerConfig.DEFAULT.withSegmentThreads(2), java.util.List.of(segmented)).start()) {
      await("both segments held", () -> fixture.projections.status(segmented.id()).segments().stream()
          .allMatch(s -> s.owner() != null));
      String page = serve(console(ConsoleConfig.DEFAULT, ConsoleUser.operator("ops"))).get("/console/projections/segmented/1").body();
      assertThat(page).contains("Segments (2)", r.owner() + "#1", r.owner() + "#2");
    }
  }

  @Test
  void promoting_a_version_that_has_not_caught_up_is_refused_and_audited_and_a_caught_up_one_serves_readers() {
    for (int i = 0; i < 5; i++) {
      fixture.append(null, "order-" + i, false, "order " + i);
    }
    v1CaughtUp();
    fixture.startV2(); // held at its first event: 5 events behind
    Console console = console(ConsoleConfig.DEFAULT, ConsoleUser.operator("ops"));
    HttpSession session = serve(console);

    String page = session.get("/console/projections/order-list/1").body();
    assertThat(page).contains("Versions of order-list", "No version was promoted", "5 events behind (at 0 of ",
        "promote once caught up", "data-action=\"Promote order-list v1\"").doesNotContain("Promote order-list v2");

    HttpResponse<String> refused = session.act("/console/projections/order-list/2/promote", Map.of());
    assertThat(refused.statusCode()).isEqualTo(303);
    assertThat(fixture.projections.servingVersion("order-list")).isEmpty();
    assertThat(console.audit(0, 10)).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo(ConsoleAction.PROMOTE_PROJECTION);
      assertThat(e.target()).isEqualTo("projection order-list v2");
      assertThat(e.outcome()).startsWith("failed: projection order-list v2 has not caught up with the log: 5 events behind (at 0 of ");
    });
    assertThat(session.get("/console/projections/order-list/1").body()).as("the flash says why")
        .contains("PROMOTE_PROJECTION projection order-list v2: failed: projection order-list v2 has not caught up");

    fixture.v2Gate.countDown();
    await("v2 to catch up", () -> fixture.projections.status(v2).caughtUp());
    assertThat(session.get("/console/projections/order-list/2").body()).contains("data-action=\"Promote order-list v2\"");
    assertThat(session.act("/console/projections/order-list/2/promote", Map.of()).statusCode()).isEqualTo(303);

    assertThat(fixture.projections.servingVersion("order-list")).hasValue(2);
    String after = session.get("/console/projections/order-list/2").body();
    assertThat(after).contains("Readers use v2.", "candidate (v2 serves)", "serves readers")
        .doesNotContain("Promote order-list v2");
    assertThat(session.get("/console/projections").body()).contains("serves readers", "candidate (v2 serves)");
    session.act("/console/projections/order-list/2/promote", Map.of());
    assertThat(console.audit(0, 10)).extracting(AuditEntry::outcome).containsExactly("no change", "done",
        console.audit(0, 10).get(2).outcome());
    assertThat(heard).hasSize(3).last().isEqualTo(console.audit(0, 1).get(0));
  }

  @Test
  void dismiss_rebuild_and_reschedule_act_end_to_end_and_are_audited() {
    fixture.append(null, "order-1", false, "fine");
    long poison = fixture.append(null, "order-2", true, "a bad one");
    await("the poison event to be parked", () -> fixture.projections.parked(fixture.orders).size() == 1);
    Job later = fixture.queue.enqueue(JobRequest.of("charge").withRunAt(java.time.Instant.parse("2031-01-01T00:00:00Z")));
    Console console = console(ConsoleConfig.DEFAULT, ConsoleUser.operator("ops"));
    HttpSession session = serve(console);
    assertThat(session.get("/console/projections/order-list/1").body()).contains("data-action=\"Dismiss\"");

    session.act("/console/projections/order-list/1/dismiss", Map.of("position", Long.toString(poison), "reason", "bad data"));
    assertThat(fixture.projections.parked(fixture.orders)).isEmpty();
    assertThat(fixture.projections.deadLetters(fixture.orders)).singleElement()
        .satisfies(p -> assertThat(p.status()).isEqualTo(ParkedEvent.Status.DISMISSED));

    fixture.fixed.set(true); // a rebuild replays the dismissed event too: it applies now
    session.act("/console/projections/order-list/1/rebuild", Map.of());
    await("the rebuild to apply the once dismissed event", () -> fixture.applied.contains(poison));
    fixture.projections.awaitPosition(fixture.orders, fixture.store.headPosition(), ConsoleFixture.WAIT);

    assertThat(session.get("/console/jobs/" + later.id()).body()).contains("data-action=\"Reschedule\"");
    session.act("/console/jobs/" + later.id() + "/reschedule", Map.of("runAt", "2032-02-03T04:05"));
    assertThat(fixture.queue.job(later.id()).orElseThrow().runAt()).isEqualTo(java.time.Instant.parse("2032-02-03T04:05:00Z"));
    assertThat(session.act("/console/jobs/" + later.id() + "/reschedule", Map.of("runAt", "soon")).statusCode()).isEqualTo(400);

    assertThat(console.audit(0, 10)).extracting(e -> e.action() + " " + e.target() + ": " + e.outcome()).containsExactly(
        "RESCHEDULE_JOB job " + later.id() + " to 2032-02-03T04:05:00Z: done",
        "REBUILD_PROJECTION projection order-list v1: done",
        "DISMISS_PARKED projection order-list v1 position " + poison + ": done");
  }

  @Test
  void promote_needs_the_csrf_token_and_the_permission_and_is_refused_read_only_and_for_a_tenant() {
    fixture.append(null, "order-1", false, "fine");
    v1CaughtUp();
    HttpSession ops = serve(console(ConsoleConfig.DEFAULT, ConsoleUser.operator("ops")));
    ops.get("/console/projections/order-list/1");
    assertThat(ops.post("/console/projections/order-list/1/promote", Map.of()).statusCode()).isEqualTo(403);
    assertThat(ops.post("/console/projections/order-list/1/promote", Map.of("csrf", ops.csrf + "x")).statusCode())
        .isEqualTo(403);

    HttpSession alice = serve(console(ConsoleConfig.DEFAULT, new ConsoleUser("alice", Set.of(ConsoleAction.REBUILD_PROJECTION))));
    assertThat(alice.get("/console/projections/order-list/1").body()).contains("Versions of order-list")
        .doesNotContain("data-action=\"Promote");
    assertThat(alice.act("/console/projections/order-list/1/promote", Map.of()).statusCode()).isEqualTo(403);

    HttpSession readOnly = serve(console(ConsoleConfig.DEFAULT.withReadOnly(true), ConsoleUser.operator("ops")));
    assertThat(readOnly.get("/console/projections/order-list/1").body()).doesNotContain("data-action=\"Promote");
    assertThat(readOnly.act("/console/projections/order-list/1/promote", Map.of()).statusCode()).isEqualTo(403);

    HttpSession acme = serve(console(ConsoleConfig.DEFAULT.withTenant("acme"), ConsoleUser.operator("ops")));
    assertThat(acme.get("/console/projections/order-list/1").body()).doesNotContain("Versions of", "data-action=\"Promote");
    assertThat(acme.act("/console/projections/order-list/1/promote", Map.of()).statusCode()).isEqualTo(403);

    assertThat(fixture.projections.servingVersion("order-list")).isEmpty();
    assertThat(heard).isEmpty();
  }

  /** An import of five rows with hostile keys whose mapping fails on every other row with a hostile error. */
  private void hostileImport() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      rows.add(Map.of("key", "k" + i + "<script>alert('key')</script>", "n", i));
    }
    Importer.open(fixture.store, ImportSource.rows(HOSTILE, rows, r -> r.get("key")), row -> {
      if (((Integer) row.get("n")) % 2 == 1) {
        throw new IllegalArgumentException("bad row <img src=x onerror=alert(1)>");
      }
      return MappedRow.of("imported-" + row.get("n"), EventData.json("RowImported", 1,
          fixture.store.types().mapper().createObjectNode().put("note", "</pre><script>alert('payload')</script>")));
    }, ImportConfig.DEFAULT).run();
  }

  @Test
  void the_migration_pages_escape_hostile_names_keys_errors_and_reports_and_page_failed_rows_by_keyset() {
    hostileImport();
    String table = fixture.store.jdbcConfig().tablePrefix() + "legacy";
    fixture.store.jdbi().useHandle(h -> h.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, note VARCHAR(100))"));
    Capture.open(fixture.store).install(table);
    fixture.store.jdbi().useHandle(h -> h.execute("INSERT INTO " + table + " (id, note) VALUES (1, '<script>x</script>')"));
    ReadSwitch.open(fixture.store, HOSTILE, Duration.ZERO).set(ReadTarget.READ_MODEL);
    HttpSession session = serve(console(ConsoleConfig.DEFAULT.withPageSize(2), ConsoleUser.operator("ops")));
    session.get("/console/migration");
    session.act("/console/migration/parity", Map.of("name", HOSTILE));

    String overview = session.get("/console/migration").body();
    assertThat(overview).contains("&lt;script&gt;alert(&#39;stream&#39;)&lt;/script&gt;&quot;&#39;&amp;", ">5<", ">3<",
        "finished", table, "READ_MODEL", "PARITY FAILED", "&lt;script&gt;alert(1)&lt;/script&gt;")
        .containsPattern("<td>" + table + "</td><td>1</td>");
    String importPath = "/console/migration/import?name=" + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8);
    List<String> keys = new ArrayList<>();
    String path = importPath;
    while (path != null) {
      HttpResponse<String> r = session.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).contains("bad row &lt;img src=x onerror=alert(1)&gt;", "MAPPING_FAILED");
      Matcher m = Pattern.compile("<td>(k\\d)&lt;script&gt;alert\\(&#39;key&#39;\\)&lt;/script&gt;</td>").matcher(r.body());
      while (m.find()) {
        keys.add(m.group(1));
      }
      Matcher next = NEXT.matcher(r.body());
      path = next.find() ? next.group(1).replace("&amp;", "&") : null;
    }
    assertThat(keys).containsExactly("k1", "k3", "k5");
    for (String page : List.of("/console/migration", importPath, importPath + "&after_key=k1&after_kind=MAPPING_FAILED")) {
      assertThat(session.get(page).body()).as(page).doesNotContain("<script", "<img");
    }
    assertThat(session.get(importPath + "&after_key=k1&after_kind=NOPE").statusCode()).isEqualTo(400);
    assertThat(session.get("/console/migration/import?name=nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void running_a_parity_check_is_audited_and_needs_the_token_the_permission_and_an_operators_writable_console() {
    Console console = console(ConsoleConfig.DEFAULT, ConsoleUser.operator("ops"));
    HttpSession ops = serve(console);
    assertThat(ops.get("/console/migration").body()).contains("Not run since this console started.");
    assertThat(ops.csrf).isNotNull();
    assertThat(ops.post("/console/migration/parity", Map.of("name", HOSTILE)).statusCode()).isEqualTo(403);
    assertThat(ops.act("/console/migration/parity", Map.of("name", "no such check")).statusCode()).isEqualTo(404);
    HttpSession reader = serve(console(ConsoleConfig.DEFAULT, ConsoleUser.reader("bob")));
    assertThat(reader.get("/console/migration").body()).doesNotContain("data-action=\"Run parity check");
    assertThat(reader.act("/console/migration/parity", Map.of("name", HOSTILE)).statusCode()).isEqualTo(403);
    HttpSession readOnly = serve(console(ConsoleConfig.DEFAULT.withReadOnly(true), ConsoleUser.operator("ops")));
    readOnly.get("/console/migration");
    assertThat(readOnly.act("/console/migration/parity", Map.of("name", HOSTILE)).statusCode()).isEqualTo(403);
    hostileImport();
    HttpSession acme = serve(console(ConsoleConfig.DEFAULT.withTenant("acme"), ConsoleUser.operator("ops")));
    assertThat(acme.get("/console/migration").body()).contains("concern every tenant").doesNotContain("bad row", "Run parity");
    assertThat(acme.get("/console/migration/import?name=" + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8))
        .statusCode()).isEqualTo(404);
    assertThat(acme.act("/console/migration/parity", Map.of("name", HOSTILE)).statusCode()).isEqualTo(403);
    assertThat(heard).isEmpty();

    assertThat(ops.act("/console/migration/parity", Map.of("name", HOSTILE)).statusCode()).isEqualTo(303);
    assertThat(console.audit(0, 10)).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo(ConsoleAction.RUN_PARITY_CHECK);
      assertThat(e.target()).isEqualTo("parity check " + HOSTILE);
      assertThat(e.outcome()).isEqualTo("done");
    });
    assertThat(heard).hasSize(1);
    assertThat(ops.get("/console/migration").body()).contains("by ops", "PARITY FAILED", "missing in read model: 1");
  }

  @Test
  void parity_checks_need_the_migration_page_and_a_name_of_their_own() {
    assertThatThrownBy(() -> Console.builder(fixture.store).authenticator(ConsoleFixture.tokenAuth())
        .parityCheck("readings", () -> null).open())
        .isInstanceOf(ConsoleException.class).hasMessageContaining("migration(Migrations.open(store))");
    assertThatThrownBy(() -> Console.builder(fixture.store).parityCheck("readings", () -> null)
        .parityCheck("readings", () -> null))
        .isInstanceOf(ConsoleException.class).hasMessageContaining("given twice");
  }
}
