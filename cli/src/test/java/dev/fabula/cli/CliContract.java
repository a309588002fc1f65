package dev.fabula.cli;

import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.WorkerPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.Capture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on one backend, run in-process. */
abstract class CliContract extends MigrationContract {
  @TempDir Path files;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(JdbcEventStore store, String... args) {
    out.reset();
    err.reset();
    String[] all = new String[args.length + 4];
    all[0] = "--url";
    all[1] = url();
    all[2] = "--prefix";
    all[3] = store.jdbcConfig().tablePrefix();
    System.arraycopy(args, 0, all, 4, args.length);
    return Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void migrate_creates_every_modules_tables_that_the_other_commands_only_check() {
    String prefix = dev.fabula.testkit.contract.StoreContractSupport.uniqueTablePrefix();
    String[] status = {"--url", url(), "--prefix", prefix, "status"};
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

    assertThat(Main.run(status, o, e)).isEqualTo(Main.RUNTIME);
    assertThat(err()).contains("no eventstore tables yet", "--prefix " + prefix, " migrate").doesNotContain("Exception");

    err.reset();
    assertThat(Main.run(new String[] {"--url", url(), "--prefix", prefix, "migrate"}, o, e)).as(err()).isZero();
    assertThat(out()).startsWith("migrated (tables " + prefix + "*): eventstore v")
        .contains("projections v", "migration v", "snapshots v1");
    out.reset();
    assertThat(Main.run(status, o, e)).as(err()).isZero();
  }

  @Test
  void applies_the_schema_imports_checks_parity_and_shows_status_with_exit_codes() throws Exception {
    JdbcEventStore store = store();
    String table = readingsTable(store, 120);
    assertThat(run(store, "migrate")).isZero();
    assertThat(out()).contains("eventstore v", "projections v", "scheduler v", "migration v", "snapshots v1");
    assertThat(run(store, "capture", "install", "--table", table)).isZero();
    assertThat(Capture.open(store).installed(table)).isTrue();

    Path importConfig = files.resolve("import.properties");
    Files.writeString(importConfig, String.join("\n",
        "source.name=cli-" + table, "source.query=SELECT id, meter, wh, note FROM " + table, "source.key=id",
        "stream.template=reading-{id}", "event.type=ReadingImported", "batch.size=50"));
    assertThat(run(store, "import", "--config", importConfig.toString())).as(err()).isZero();
    assertThat(out()).contains("120 rows read, 120 events written");
    assertThat(run(store, "import", "--config", importConfig.toString())).isZero();
    assertThat(out()).contains("0 events written, 120 rows already imported");

    String view = Readings.buildReadModel(store, table);
    Path parityConfig = files.resolve("parity.properties");
    Files.writeString(parityConfig, String.join("\n", "legacy.query=SELECT * FROM " + table,
        "readmodel.query=SELECT * FROM " + view, "key=id", "sums=wh", "tolerance=0.001"));
    assertThat(run(store, "parity", "--config", parityConfig.toString())).as(err()).isZero();
    assertThat(out()).contains("PARITY PASSED");
    store.jdbi().useHandle(h -> h.execute("DELETE FROM " + view + " WHERE id = 7"));
    assertThat(run(store, "parity", "--config", parityConfig.toString())).isEqualTo(Main.CHECK_FAILED);
    assertThat(out()).contains("PARITY FAILED", "missing in read model: 1 e.g. [7]");

    assertThat(run(store, "status")).isZero();
    assertThat(out()).contains("streams: 120", "head position:", "cli-" + table + " pass 2", "capture backlog:");

    assertThat(run(store, "capture", "remove", "--table", table)).isZero();
    assertThat(Capture.open(store).installed(table)).isFalse();
  }

  @Test
  void applies_retention_to_a_tenants_category_and_archives_and_unarchives_a_stream() {
    JdbcEventStore store = store();
    for (String tenant : List.of("acme", "globex")) {
      for (int i = 0; i < 5; i++) {
        store.forTenant(tenant).append("sensor-1", ExpectedVersion.any(),
            List.of(EventData.json("read", 1, store.types().mapper().createObjectNode().put("n", i))));
      }
    }

    assertThat(run(store, "retention", "keep-last", "2", "--category", "sensor", "--tenant", "acme")).as(err()).isZero();
    assertThat(out()).contains("1 stream(s) truncated, 3 event(s) removed", "stream 'sensor-1' versions 1-3");
    assertThat(store.forTenant("acme").readStream("sensor-1")).hasSize(2);
    assertThat(store.forTenant("globex").readStream("sensor-1")).hasSize(5);
    assertThat(run(store, "retention", "archive", "--stream", "sensor-1", "--tenant", "globex")).as(err()).isZero();
    assertThat(out()).contains("archived: stream 'sensor-1' versions 1-5");
    assertThat(store.forTenant("globex").retention().readArchived("sensor-1")).hasSize(5);
    assertThat(run(store, "retention", "unarchive", "--stream", "sensor-1", "--tenant", "globex")).as(err()).isZero();
    assertThat(store.forTenant("globex").readStream("sensor-1")).hasSize(5);
    assertThat(run(store, "retention", "max-age", "soon", "--stream", "sensor-1")).isEqualTo(Main.USAGE);
    assertThat(err()).contains("ISO-8601 duration");
  }

  @Test
  void rebuilds_a_projection_and_retries_a_failed_job() throws InterruptedException {
    JdbcEventStore store = store();
    for (int i = 1; i <= 5; i++) {
      store.append("order-" + i, ExpectedVersion.noStream(), List.of(EventData.json("OrderPlaced", 1, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())));
    }
    AtomicInteger resets = new AtomicInteger();
    AtomicInteger applied = new AtomicInteger();
    CountDownLatch appliedTwice = new CountDownLatch(10);
    Projection counter = Projection.transactional("order-count", TransactionalHandler.eachEvent((handle, event) -> {
          applied.incrementAndGet();
          appliedTwice.countDown();
        }))
        .withReset(handle -> resets.incrementAndGet());
    Projections projections = Projections.open(store);
    try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT.withPollInterval(Duration.ofMillis(20)), List.of(counter))) {
      runner.start();
      projections.awaitPosition(counter.id(), store.headPosition(), Duration.ofSeconds(20));
      assertThat(applied).hasValue(5);

      assertThat(run(store, "projection", "rebuild", "--name", "order-count")).as(err()).isZero();
      assertThat(out()).contains("rebuild of order-count");
      assertThat(appliedTwice.await(20, TimeUnit.SECONDS)).as("the runner replays the log after the reset").isTrue();
      projections.awaitPosition(counter.id(), store.headPosition(), Duration.ofSeconds(20));
      assertThat(applied).hasValue(10);
      assertThat(resets).hasValue(1);
      assertThat(run(store, "projection", "resume", "--name", "order-count", "--version", "1")).isZero();
      assertThat(out()).contains("was not FAILED");
    }
    assertThat(run(store, "projection", "rebuild", "--name", "no-such-projection")).isEqualTo(Main.RUNTIME);
    assertThat(err()).contains("no-such-projection").doesNotContain("\tat ");
    assertThat(run(store, "projection", "rebuild", "--name", "order-count", "--version", "two")).isEqualTo(Main.USAGE);

    JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withPollInterval(Duration.ofMillis(20)));
    AtomicBoolean targetUp = new AtomicBoolean();
    queue.register("export", ctx -> targetUp.get() ? JobResult.success() : JobResult.failWithoutRetry("the export target refused"));
    long job = queue.enqueue(JobRequest.of("export")).id();
    assertThat(run(store, "job", "retry", "--id", String.valueOf(job))).isEqualTo(Main.RUNTIME);
    assertThat(err()).contains("job " + job + " was not retried");
    try (WorkerPool pool = queue.newWorkerPool(1).start()) {
      awaitState(queue, job, JobState.FAILED);
      assertThat(queue.job(job).orElseThrow().lastError()).contains("the export target refused");

      targetUp.set(true); // the fix
      assertThat(run(store, "job", "retry", "--id", String.valueOf(job))).as(err()).isZero();
      awaitState(queue, job, JobState.SUCCEEDED);
    }
    assertThat(queue.history(job)).extracting(JobRun::attempt, JobRun::outcome)
        .containsExactly(tuple(1, JobRun.Outcome.FAILED), tuple(1, JobRun.Outcome.SUCCEEDED));
  }

  @Test
  void status_counts_the_lag_a_projection_status_counts_and_rebuild_refuses_a_projection_without_a_reset_hook() {
    JdbcEventStore store = store();
    assertThat(run(store, "migrate")).as(err()).isZero();
    EventData placed = EventData.json("OrderPlaced", 1, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
    long ordered = store.append("order-1", ExpectedVersion.noStream(), List.of(placed)).lastPosition();
    Projection orders = Projection.transactional("order-lines", (handle, events) -> {})
        .withFilter(EventFilter.ofCategories("order"));
    Projections projections = Projections.open(store);
    try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orders)).start()) {
      projections.awaitPosition(orders.id(), ordered, Duration.ofSeconds(20));
    }
    for (int i = 1; i <= 3; i++) { // events its filter does not take: they are not lag
      store.append("invoice-" + i, ExpectedVersion.noStream(), List.of(EventData.json("InvoiceSent", 1,
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())));
    }

    assertThat(run(store, "status")).as(err()).isZero();
    assertThat(out()).contains("head position: " + (ordered + 3), "order-lines v1 at " + ordered + " (lag 0) STOPPED");
    assertThat(projections.status(orders.id()).lagEvents()).isZero();

    assertThat(run(store, "projection", "rebuild", "--name", "order-lines")).isEqualTo(Main.RUNTIME);
    assertThat(err()).contains("refused", ".withReset(", ".withIdempotentReplay()").doesNotContain("\tat ");
  }

  private static void awaitState(JobQueue queue, long job, JobState state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (queue.job(job).orElseThrow().state() != state) {
      assertThat(System.nanoTime()).as("job %d %s within 20 s; it is %s", job, state, queue.job(job).orElseThrow())
          .isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void ordinary_mistakes_get_one_line_and_the_right_exit_code_without_a_stack_trace() {
    JdbcEventStore store = store();
    assertThat(run(store, "migrate")).isZero();
    assertThat(run(store, "frobnicate")).isEqualTo(Main.USAGE);
    assertThat(err()).contains("unknown command 'frobnicate'", "usage:").doesNotContain("\tat ");
    assertThat(run(store, "migrate", "now")).isEqualTo(Main.USAGE);
    assertThat(run(store, "capture", "install")).isEqualTo(Main.USAGE);
    assertThat(run(store, "import", "--config", "/nonexistent.properties")).isEqualTo(Main.RUNTIME);
    assertThat(err()).contains("does not exist").doesNotContain("\tat ");
    assertThat(run(store, "capture", "install", "--table", "x; DROP TABLE y")).isEqualTo(Main.RUNTIME);
    assertThat(err()).contains("is not a table name").doesNotContain("\tat ");
    assertThat(Main.run(new String[] {"status"}, new PrintStream(out), new PrintStream(err))).isEqualTo(Main.USAGE);
  }

  private int runWith(java.util.Map<String, String> environment, String... args) {
    out.reset();
    err.reset();
    return Main.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void reads_the_url_from_a_file_or_the_environment_so_that_it_stays_off_the_command_line() throws Exception {
    JdbcEventStore store = store();
    assertThat(run(store, "migrate")).as(err()).isZero();
    store.append("cli-url-1", ExpectedVersion.noStream(),
        List.of(EventData.json("x", 1, store.types().mapper().createObjectNode().put("n", 1))));
    String prefix = store.jdbcConfig().tablePrefix();
    String head = "head position: " + store.headPosition();

    Path urlFile = files.resolve("url.txt");
    Files.writeString(urlFile, "\n" + url() + "\n");
    assertThat(runWith(java.util.Map.of(), "--url-file", urlFile.toString(), "--prefix", prefix, "status")).as(err()).isZero();
    assertThat(out()).contains(head);

    assertThat(runWith(java.util.Map.of(Main.URL_VARIABLE, url()), "--prefix", prefix, "status")).as(err()).isZero();
    assertThat(out()).contains(head);

    assertThat(runWith(java.util.Map.of(Main.URL_VARIABLE, "jdbc:nowhere:x"), "--url-file", urlFile.toString(),
        "--prefix", prefix, "status")).as("the file wins over the environment").isZero();

    assertThat(runWith(java.util.Map.of(), "--url", url(), "--url-file", urlFile.toString(), "status")).isEqualTo(Main.USAGE);
    assertThat(err()).contains("not both");
    assertThat(runWith(java.util.Map.of(), "--url-file", files.resolve("missing.txt").toString(), "status"))
        .isEqualTo(Main.USAGE);
    assertThat(err()).contains("does not exist");
    assertThat(runWith(java.util.Map.of(), "status")).isEqualTo(Main.USAGE);
    assertThat(err()).contains(Main.URL_VARIABLE, "--url-file");
  }

  @Test
  void never_prints_the_password_of_a_url_however_it_was_given() throws Exception {
    String secret = "S3CRET";
    Path urlFile = files.resolve("secret-url.txt");
    for (String bad : List.of("postgres://app:" + secret + "@db:5432/app", "jdbc:postgresql://app:" + secret + "@db/app",
        "jdbc:postgresql://localhost:1/app?user=app&password=" + secret + "&sslpassword=" + secret,
        "jdbc:nosuch://db/app?PASSWORD=" + secret)) {
      Files.writeString(urlFile, bad);
      assertThat(runWith(java.util.Map.of(), "--url", bad, "status")).isNotZero();
      assertThat(err() + out()).as(bad).contains("error:").doesNotContain(secret);
      assertThat(runWith(java.util.Map.of(), "--url-file", urlFile.toString(), "status")).isNotZero();
      assertThat(err() + out()).as(bad).doesNotContain(secret);
      assertThat(runWith(java.util.Map.of(Main.URL_VARIABLE, bad), "status")).isNotZero();
      assertThat(err() + out()).as(bad).doesNotContain(secret);
    }
  }
}
