package dev.fabula.console;

import static dev.fabula.console.ConsoleFixture.TOKEN;
import static dev.fabula.console.ConsoleFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobState;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's security over plain HTTP, no browser: authentication, CSRF, permissions, read-only
 * mode, escaping of hostile data, tenant scoping, the audit. The subclass supplies the database.
 */
abstract class ConsoleSecurityContract {
  static final String HOSTILE = "<script>alert('stream')</script>\"'&";

  private ConsoleFixture fixture;
  private final List<AutoCloseable> closing = new java.util.ArrayList<>();

  protected abstract JdbcEventStore openStore(JdbcConfig config);

  @BeforeEach
  void open() {
    fixture = new ConsoleFixture(this::openStore);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    fixture.close();
  }

  private ConsoleServer serve(ConsoleConfig config, ConsoleAuthenticator authenticator) {
    ConsoleServer server = ConsoleServer.start(fixture.console(config, authenticator), 0);
    closing.add(0, server);
    return server;
  }

  private ConsoleServer serve() {
    return serve(ConsoleConfig.DEFAULT, ConsoleFixture.tokenAuth());
  }

  /** A job of type charge that has failed (its handler throws until the fixture is fixed). */
  private long failedJob(String tenant) {
    Job job = tenant == null ? fixture.queue.enqueue(JobRequest.of("charge"))
        : fixture.store.inTransaction(tx -> fixture.queue.enqueue(tx.forTenant(tenant), JobRequest.of("charge")));
    await("job " + job.id() + " to fail", () -> fixture.queue.job(job.id()).orElseThrow().state() == JobState.FAILED);
    return job.id();
  }

  @Test
  void every_page_and_action_requires_authentication() {
    ConsoleServer server = serve();
    HttpSession anonymous = new HttpSession(server);
    for (String page : List.of("/console/", "/console/jobs", "/console/events", "/console/projections", "/console/audit")) {
      HttpResponse<String> r = anonymous.get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(303);
      assertThat(r.headers().firstValue("Location")).hasValue("/console/sign-in");
    }
    long id = failedJob(null);
    assertThat(anonymous.get("/console/sign-in").statusCode()).isEqualTo(200);
    assertThat(anonymous.act("/console/jobs/" + id + "/retry", Map.of()).statusCode()).isEqualTo(401);
    assertThat(new HttpSession(server).bearer("wrong-token-0123456789").get("/console/jobs").statusCode()).isEqualTo(303);
    assertThat(anonymous.signIn("wrong-token-0123456789").statusCode()).isEqualTo(401);
    assertThat(fixture.queue.job(id).orElseThrow().state()).isEqualTo(JobState.FAILED);

    HttpResponse<String> withBearer = new HttpSession(server).bearer(TOKEN).get("/console/jobs");
    assertThat(withBearer.statusCode()).isEqualTo(200);
    assertThat(anonymous.signIn(TOKEN).statusCode()).isEqualTo(303);
    assertThat(anonymous.get("/console/jobs").statusCode()).isEqualTo(200);
  }

  @Test
  void pages_carry_the_security_headers() {
    HttpResponse<String> r = new HttpSession(serve()).bearer(TOKEN).get("/console/events");
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'none'", "frame-ancestors 'none'", "form-action 'self'").doesNotContain("script-src");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly", "SameSite=Strict", "Path=/console");
  }

  @Test
  void an_action_without_the_sessions_csrf_token_is_refused_and_changes_nothing() {
    HttpSession session = new HttpSession(serve());
    session.signIn(TOKEN);
    long id = failedJob(null);
    session.get("/console/jobs/" + id);
    String token = session.csrf;

    assertThat(session.post("/console/jobs/" + id + "/retry", Map.of()).statusCode()).isEqualTo(403);
    assertThat(session.post("/console/jobs/" + id + "/retry", Map.of("csrf", token + "x")).statusCode()).isEqualTo(403);
    HttpSession other = new HttpSession(serve()).bearer(TOKEN); // another console's session, its token
    other.get("/console/jobs");
    assertThat(other.post("/console/jobs/" + id + "/retry", Map.of("csrf", token)).statusCode()).isEqualTo(403);
    assertThat(session.get("/console/jobs/" + id + "/retry").statusCode()).as("GET never acts").isEqualTo(404);
    assertThat(fixture.queue.job(id).orElseThrow().state()).isEqualTo(JobState.FAILED);
    assertThat(fixture.console(ConsoleConfig.DEFAULT, ConsoleFixture.tokenAuth()).audit(0, 10)).isEmpty();

    fixture.fixed.set(true);
    HttpResponse<String> done = session.act("/console/jobs/" + id + "/retry", Map.of());
    assertThat(done.statusCode()).isEqualTo(303);
    await("the retried job to succeed", () -> fixture.queue.job(id).orElseThrow().state() == JobState.SUCCEEDED);
  }

  @Test
  void every_action_is_audited_in_the_database_and_handed_to_the_application() {
    List<AuditEntry> heard = new CopyOnWriteArrayList<>();
    Console console = Console.builder(fixture.store).jobs(fixture.queue).authenticator(ConsoleFixture.tokenAuth())
        .onAction(heard::add).open();
    ConsoleServer server = ConsoleServer.start(console, 0);
    closing.add(server);
    HttpSession session = new HttpSession(server).bearer(TOKEN);
    long id = failedJob(null);
    session.get("/console/jobs/" + id);
    session.act("/console/jobs/" + id + "/cancel", Map.of()); // finished already: no change
    session.act("/console/jobs/" + id + "/retry", Map.of());

    List<AuditEntry> audit = console.audit(0, 10);
    assertThat(audit).extracting(AuditEntry::action).containsExactly(ConsoleAction.RETRY_JOB, ConsoleAction.CANCEL_JOB);
    assertThat(audit).allSatisfy(e -> {
      assertThat(e.user()).isEqualTo("ops");
      assertThat(e.target()).isEqualTo("job " + id);
    });
    assertThat(audit).extracting(AuditEntry::outcome).containsExactly("done", "no change");
    assertThat(heard).containsExactly(audit.get(1), audit.get(0));
    assertThat(session.get("/console/audit").body()).contains("RETRY_JOB", "job " + id);
  }

  @Test
  void hostile_stream_ids_payloads_and_errors_are_escaped_everywhere() {
    fixture.store.append(HOSTILE, dev.fabula.ExpectedVersion.any(), List.of(dev.fabula.EventData.json("order-placed", 1,
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
            .put("note", "</pre><script>alert('payload')</script>").put("poison", true))));
    long position = fixture.store.headPosition();
    await("the hostile event to be parked", () -> !fixture.projections.parked(fixture.orders).isEmpty());
    long id = failedJob(null);
    HttpSession session = new HttpSession(serve()).bearer(TOKEN);

    for (String page : List.of("/console/events", "/console/events/" + position,
        "/console/events?stream=" + java.net.URLEncoder.encode(HOSTILE, java.nio.charset.StandardCharsets.UTF_8),
        "/console/projections", "/console/projections/order-list/1", "/console/jobs?state=FAILED", "/console/jobs/" + id)) {
      HttpResponse<String> r = session.get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      assertThat(r.body()).as(page).doesNotContain("<script", "<img", "onerror=alert(1)>");
    }
    assertThat(session.get("/console/events/" + position).body())
        .contains("&lt;script&gt;alert(&#39;stream&#39;)&lt;/script&gt;&quot;&#39;&amp;")
        .contains("&lt;/pre&gt;&lt;script&gt;alert(&#39;payload&#39;)");
    assertThat(session.get("/console/jobs/" + id).body()).contains("card declined &lt;img src=x onerror=alert(1)&gt;");
    assertThat(session.get("/console/projections/order-list/1").body()).contains("cannot apply &lt;script&gt;");
  }

  @Test
  void a_read_only_console_refuses_every_action_and_shows_no_buttons() {
    ConsoleServer server = serve(ConsoleConfig.DEFAULT.withReadOnly(true), ConsoleFixture.tokenAuth());
    HttpSession session = new HttpSession(server).bearer(TOKEN);
    long id = failedJob(null);
    String page = session.get("/console/jobs/" + id).body();
    assertThat(page).doesNotContain("/retry\"", "<button type=\"submit\" data-action");

    assertThat(session.act("/console/jobs/" + id + "/retry", Map.of()).statusCode()).isEqualTo(403);
    assertThat(session.act("/console/schedules/kill-switch", Map.of("on", "true")).statusCode()).isEqualTo(403);
    assertThat(fixture.queue.job(id).orElseThrow().state()).isEqualTo(JobState.FAILED);
    assertThat(fixture.queue.stats().killSwitchOn()).isFalse();
  }

  @Test
  void a_user_may_take_only_the_actions_granted_to_them() {
    ConsoleAuthenticator fromApp = request -> request.header("x-user").map(name -> name.equals("alice")
        ? new ConsoleUser("alice", java.util.Set.of(ConsoleAction.RETRY_JOB)) : ConsoleUser.reader(name));
    ConsoleServer server = serve(ConsoleConfig.DEFAULT, fromApp);
    long id = failedJob(null);

    HttpSession bob = new HttpSession(server);
    assertThat(bob.get("/console/jobs").statusCode()).as("no x-user header").isEqualTo(303);
    // the header stands in for the host application's own authentication
    var client = java.net.http.HttpClient.newHttpClient();
    java.util.function.BiFunction<String, String, Integer> postAs = (user, path) -> {
      try {
        var get = client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("/console/jobs/" + id))
            .header("x-user", user).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = get.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        var m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(get.body());
        assertThat(m.find()).isTrue();
        return client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve(path)).header("x-user", user)
            .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("csrf=" + m.group(1))).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    assertThat(postAs.apply("bob", "/console/jobs/" + id + "/retry")).isEqualTo(403);
    assertThat(postAs.apply("alice", "/console/schedules/kill-switch")).isEqualTo(403);
    assertThat(fixture.queue.job(id).orElseThrow().state()).isEqualTo(JobState.FAILED);
    fixture.fixed.set(true);
    assertThat(postAs.apply("alice", "/console/jobs/" + id + "/retry")).isEqualTo(303);
    await("alice's retry to succeed", () -> fixture.queue.job(id).orElseThrow().state() == JobState.SUCCEEDED);
  }

  @Test
  void a_console_for_one_tenant_shows_and_acts_on_that_tenant_only() {
    long acme = fixture.append("acme", "order-1", false, "acme's order");
    long globex = fixture.append("globex", "order-1", false, "globex's secret order");
    long globexJob = failedJob("globex");
    long acmeJob = failedJob("acme");
    HttpSession session = new HttpSession(serve(ConsoleConfig.DEFAULT.withTenant("acme"), ConsoleFixture.tokenAuth()))
        .bearer(TOKEN);

    String log = session.get("/console/events?after=0").body();
    assertThat(log).contains("/console/events/" + acme).doesNotContain("/console/events/" + globex + "\"", "globex");
    assertThat(session.get("/console/events/" + acme).body()).contains("acme&#39;s order");
    assertThat(session.get("/console/events/" + globex).statusCode()).isEqualTo(404);
    assertThat(session.get("/console/events?stream=order-1&tenant=globex").body()).as("the console's tenant wins")
        .contains("/console/events/" + acme + "\"").doesNotContain("/console/events/" + globex + "\"", "globex");
    String jobs = session.get("/console/jobs").body();
    assertThat(jobs).contains("/console/jobs/" + acmeJob + "\"").doesNotContain("/console/jobs/" + globexJob + "\"");
    assertThat(session.get("/console/jobs/" + globexJob).statusCode()).isEqualTo(404);
    assertThat(session.act("/console/jobs/" + globexJob + "/retry", Map.of()).statusCode()).isEqualTo(404);
    assertThat(session.act("/console/schedules/kill-switch", Map.of("on", "true")).statusCode()).isEqualTo(403);
    assertThat(fixture.queue.job(globexJob).orElseThrow().state()).isEqualTo(JobState.FAILED);
    assertThat(fixture.queue.stats().killSwitchOn()).isFalse();
    assertThat(session.act("/console/jobs/" + acmeJob + "/cancel", Map.of()).statusCode()).isEqualTo(303);
  }
}
