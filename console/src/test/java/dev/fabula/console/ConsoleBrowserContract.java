package dev.fabula.console;

import static dev.fabula.console.ConsoleFixture.TOKEN;
import static dev.fabula.console.ConsoleFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.scheduler.ConcurrencyLimit;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.Schedule;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (headless Chromium, JavaScript off): sign in, read every page, and
 * act end to end: retry a parked event and see it applied, retry a failed job and see it succeed,
 * flip the kill switch and see the workers stop and start again, promote a caught-up v2 and see the
 * readers switch, run a parity check on the migration page. Saves screenshots of the main
 * pages under {@code target/screenshots}. The subclass supplies the database.
 */
abstract class ConsoleBrowserContract {
  @TempDir static Path profile;
  /** One browser for the class's tests: starting Chromium is the slow part. */
  private static ChromeDriver browser;
  private ConsoleFixture fixture;
  private ConsoleServer server;

  protected abstract JdbcEventStore openStore(JdbcConfig config);

  /** Names the screenshots: {@code sqlite}, {@code postgresql}. */
  protected abstract String backend();

  @BeforeAll
  static void startBrowser() {
    browser = Chromium.start(profile);
  }

  @AfterAll
  static void quitBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @BeforeEach
  void open() {
    fixture = new ConsoleFixture(this::openStore);
    server = ConsoleServer.start(fixture.console(ConsoleConfig.DEFAULT, ConsoleFixture.tokenAuth()), 0);
    browser.manage().deleteAllCookies();
    browser.get(server.uri().toString());
    assertThat(browser.getCurrentUrl()).endsWith("/console/sign-in");
    browser.findElement(By.name("token")).sendKeys(TOKEN);
    follow(browser.findElement(By.cssSelector("button[type=submit]")));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    fixture.close();
  }

  private void go(String path) {
    browser.get(server.uri().resolve(path).toString());
  }

  private String text() {
    return browser.findElement(By.tagName("main")).getText();
  }

  /**
   * Clicks an action's button and waits until the browser has left the page it was on: a form post
   * answers with a redirect, and reading the old page in between finds elements that go stale.
   */
  private void submit(String label) {
    follow(browser.findElement(By.cssSelector("button[data-action='" + label + "']")));
  }

  /** Clicks a link or button and waits until the page it was on has been replaced. */
  private static void follow(WebElement element) {
    element.click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(element));
  }

  private void screenshot(String name) {
    Chromium.screenshot(browser, backend() + "-" + name);
  }

  @Test
  void retrying_a_parked_event_in_the_browser_applies_it() {
    fixture.append(null, "order-1", false, "fine");
    long poison = fixture.append(null, "order-2", true, "a bad one");
    fixture.append("acme", "order-3", false, "a tenant's order");
    await("the poison event to be parked", () -> fixture.projections.parked(fixture.orders).size() == 1);

    go("/console/projections");
    assertThat(text()).contains("order-list v1", "Parked");
    screenshot("projections");
    follow(browser.findElement(By.linkText("order-list v1")));
    assertThat(text()).contains("Parked events (1)", "order-2", "cannot apply <script>alert('parked')</script>");
    screenshot("projection-parked");

    fixture.fixed.set(true); // the fix is deployed
    submit("Retry stream");
    assertThat(browser.findElement(By.className("flash")).getText()).contains("RETRY_PARKED", "order-2", "done");
    await("the retried event to be applied", () -> fixture.applied.contains(poison));
    await("the parked list to empty", () -> {
      browser.navigate().refresh();
      return text().contains("Parked events (0)");
    });

    go("/console/events");
    assertThat(text()).contains("order-1", "order-2", "order-3", "acme");
    screenshot("events");
    follow(browser.findElement(By.linkText(Long.toString(poison))));
    assertThat(text()).contains("\"poison\" : true", "a bad one");
    screenshot("event");
    go("/console/audit");
    assertThat(text()).contains("RETRY_PARKED", "ops");
  }

  @Test
  void retrying_a_failed_job_in_the_browser_makes_it_succeed() {
    Job job = fixture.queue.enqueue(JobRequest.of("charge").withPayload("{\"order\":7}"));
    await("the job to fail", () -> fixture.queue.job(job.id()).orElseThrow().state() == JobState.FAILED);

    go("/console/jobs");
    follow(browser.findElement(By.partialLinkText("FAILED (1)")));
    assertThat(text()).contains("FAILED jobs", "charge", "card declined");
    screenshot("jobs");
    follow(browser.findElement(By.linkText(Long.toString(job.id()))));
    assertThat(text()).contains("card declined <img src=x onerror=alert(1)>").containsPattern("\"order\": ?7"); // PostgreSQL respaces JSON
    screenshot("job-failed");

    fixture.fixed.set(true);
    submit("Retry");
    assertThat(browser.findElement(By.className("flash")).getText()).contains("RETRY_JOB", "done");
    await("the job to succeed on the page", () -> {
      browser.navigate().refresh();
      return browser.findElement(By.cssSelector("dd.state-SUCCEEDED")).getText().equals("SUCCEEDED");
    });
    assertThat(text()).contains("SUCCEEDED", "FAILED"); // its history shows both attempts
  }

  @Test
  void the_kill_switch_in_the_browser_stops_and_restarts_the_workers() {
    fixture.fixed.set(true);
    fixture.queue.schedule("nightly-report", Schedule.dailyAt(LocalTime.of(2, 30)).inZone("Europe/Berlin"),
        JobRequest.of("charge"));
    fixture.queue.setConcurrencyLimit(ConcurrencyLimit.ofJobType("charge", 4));

    go("/console/schedules");
    assertThat(text()).contains("nightly-report", "Europe/Berlin", "Off: workers start jobs.");
    submit("Turn the kill switch on");
    assertThat(browser.findElement(By.id("kill-switch")).getText()).startsWith("ON");
    assertThat(fixture.queue.stats().killSwitchOn()).isTrue();
    submit("Pause schedule");
    assertThat(text()).contains("PAUSE_SCHEDULE pause schedule nightly-report: done");
    assertThat(fixture.queue.schedules().get(0).paused()).isTrue();
    screenshot("schedules");

    Job held = fixture.queue.enqueue(JobRequest.of("charge"));
    await("the pool to say why the job waits", () -> String.join(" ", fixture.queue.explain(held.id()).reasons())
        .toLowerCase(java.util.Locale.ROOT).contains("kill switch"));
    long until = System.nanoTime() + Duration.ofSeconds(1).toNanos(); // ten poll intervals of the pool
    while (System.nanoTime() < until) {
      assertThat(fixture.queue.job(held.id()).orElseThrow().state()).as("no worker starts a job").isEqualTo(JobState.PENDING);
    }

    submit("Turn the kill switch off");
    assertThat(browser.findElement(By.id("kill-switch")).getText()).startsWith("Off");
    await("the held job to run", () -> fixture.queue.job(held.id()).orElseThrow().state() == JobState.SUCCEEDED);
    go("/console/");
    screenshot("overview");
  }

  @Test
  void promoting_a_caught_up_version_in_the_browser_switches_the_readers() {
    for (int i = 1; i <= 4; i++) {
      fixture.append(null, "order-" + i, false, "order " + i);
    }
    await("v1 to catch up", () -> fixture.projections.status(fixture.orders).caughtUp());
    fixture.projections.promote(fixture.orders, ConsoleFixture.WAIT);
    // what the application's readers do: read the read model of the version that serves them
    java.util.function.Supplier<java.util.Set<Long>> readers = () ->
        fixture.projections.servingVersion("order-list").orElseThrow() == 2 ? fixture.appliedV2 : fixture.applied;
    assertThat(readers.get()).isSameAs(fixture.applied);
    fixture.startV2(); // the new version replays the log, held at its first event for now

    go("/console/projections");
    assertThat(text()).contains("order-list v1", "order-list v2", "serves readers", "candidate (v1 serves)");
    follow(browser.findElement(By.linkText("order-list v2")));
    assertThat(text()).contains("Readers use v1.", "4 events behind", "promote once caught up");
    assertThat(browser.findElements(By.cssSelector("button[data-action='Promote order-list v2']"))).isEmpty();

    fixture.v2Gate.countDown();
    await("v2 to show as caught up with its promote button", () -> {
      browser.navigate().refresh();
      return !browser.findElements(By.cssSelector("button[data-action='Promote order-list v2']")).isEmpty();
    });
    screenshot("projection-versions");
    submit("Promote order-list v2");

    assertThat(browser.findElement(By.className("flash")).getText())
        .contains("PROMOTE_PROJECTION projection order-list v2: done");
    assertThat(browser.findElement(By.id("serving")).getText()).isEqualTo("Readers use v2.");
    assertThat(text()).contains("candidate (v2 serves)", "serves readers");
    assertThat(fixture.projections.servingVersion("order-list")).hasValue(2);
    assertThat(readers.get()).isSameAs(fixture.appliedV2).hasSize(4);
    go("/console/audit");
    assertThat(text()).contains("PROMOTE_PROJECTION", "projection order-list v2");
  }

  @Test
  void the_migration_page_in_the_browser_shows_imports_failed_rows_capture_and_parity() {
    String legacy = fixture.legacyReadings;
    fixture.store.jdbi().useHandle(h -> {
      h.execute("CREATE TABLE " + legacy + " (id INTEGER PRIMARY KEY, wh INTEGER NOT NULL)");
      h.execute("CREATE TABLE " + fixture.readingView + " (id INTEGER PRIMARY KEY, wh INTEGER NOT NULL)");
      for (int i = 1; i <= 30; i++) {
        h.execute("INSERT INTO " + legacy + " (id, wh) VALUES (?, ?)", i, i * 10);
      }
    });
    dev.fabula.migration.Capture.open(fixture.store).install(legacy);
    dev.fabula.migration.Importer.open(fixture.store,
        dev.fabula.migration.ImportSource.query("legacy-readings", "SELECT id, wh FROM " + legacy, "id"), row -> {
          long id = ((Number) row.get("id")).longValue();
          if (id % 7 == 0) {
            throw new IllegalArgumentException("reading " + id + " has no meter");
          }
          fixture.store.jdbi().useHandle(h -> h.execute("INSERT INTO " + fixture.readingView + " (id, wh) VALUES (?, ?)",
              id, ((Number) row.get("wh")).longValue()));
          return dev.fabula.migration.MappedRow.of("reading-" + id, dev.fabula.EventData.json("ReadingImported", 1,
              fixture.store.types().mapper().valueToTree(row)));
        }, dev.fabula.migration.ImportConfig.DEFAULT.withBatchSize(8)).run();
    fixture.store.jdbi().useHandle(h -> h.execute("UPDATE " + legacy + " SET wh = wh + 1 WHERE id IN (1, 2)"));
    dev.fabula.migration.ReadSwitch.open(fixture.store, "readings", Duration.ZERO)
        .set(dev.fabula.migration.ReadTarget.LEGACY);

    go("/console/migration");
    assertThat(text()).contains("legacy-readings", "finished", legacy, "LEGACY", "Not run since this console started.");
    submit("Run parity check readings");
    assertThat(browser.findElement(By.className("flash")).getText()).contains("RUN_PARITY_CHECK parity check readings: done");
    assertThat(text()).contains("PARITY FAILED", "missing in read model: 4", "by ops");
    screenshot("migration");

    follow(browser.findElement(By.linkText("legacy-readings")));
    assertThat(text()).contains("Failed rows", "MAPPING_FAILED", "reading 7 has no meter", "reading 28 has no meter");
    screenshot("migration-import");
  }
}
