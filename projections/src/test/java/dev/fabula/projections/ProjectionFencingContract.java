package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A lease holder frozen with {@code SIGSTOP} in the middle of a batch, while a second runner
 * process stands by: the takeover comes within the lease plus a bounded delay while the holder is
 * still frozen, and after {@code SIGCONT} the old holder applies nothing. For an at-least-once
 * handler the effects go to a sink outside the database's transaction that rejects stale fencing
 * tokens ({@link RunnerProcess#sink}); for a transactional one, the read model is checked for
 * exactly-once effects.
 */
@DisabledOnOs(OS.WINDOWS) // kill -STOP / -CONT
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class ProjectionFencingContract extends ContractSupport {
  private static final ProjectionId FENCED = ProjectionId.of("fenced", 1);
  private static final ProjectionId CRASH = ProjectionId.of("crash", 1);
  private static final Duration LONG_WAIT = Duration.ofSeconds(90);
  /** The lease of the child runners: short, so that the test is. */
  private static final long LEASE_MS = 3_000;
  /** Events per batch; the holder is frozen at its {@value #PAUSE_AFTER}th event: in its third batch, halfway. */
  private static final int BATCH = 10;
  private static final int PAUSE_AFTER = 25;
  private static final int EVENTS = 100;
  /**
   * The takeover comes at most this long after the freeze: the lease runs out (or, on PostgreSQL,
   * the server ends the frozen transaction) one lease after the holder's last renewal or statement,
   * the standby tries every third of a lease, and some slack for two JVMs on a busy machine.
   */
  static final Duration TAKEOVER_BOUND = Duration.ofMillis(LEASE_MS + LEASE_MS / 3 + 3_000);

  /**
   * Whether the database ends the transaction of a frozen holder, so that the standby takes over
   * a transactional projection while the holder is still frozen: PostgreSQL (the runner's {@code
   * idle_in_transaction_session_timeout}); not SQLite, whose frozen writer keeps the file's write
   * lock until it resumes.
   */
  protected abstract boolean databaseEndsFrozenTransactions();

  // ---- the token, in one process ----------------------------------------------------------------

  @Test
  void every_acquisition_of_the_lease_bumps_the_fencing_token_that_the_handler_gets() {
    List<Long> seen = new CopyOnWriteArrayList<>();
    Projection p = Projection.atLeastOnce("tokens", AtLeastOnceHandler.eachEvent((e, token) -> seen.add(token.value())));
    long first = append("s-1", "ticked", 1).lastPosition();
    ProjectionRunner runner = run(FAST, p);
    projections.awaitPosition(p.id(), first, WAIT);
    runner.close(); // releases the lease
    long second = append("s-1", "ticked", 1).lastPosition();
    run(FAST, p);
    projections.awaitPosition(p.id(), second, WAIT);
    assertThat(seen).containsExactly(1L, 2L);
    assertThat(token(p.id())).isEqualTo(2);
  }

  @Test
  void a_holder_whose_token_moved_on_moves_no_checkpoint_and_takes_the_lease_again() {
    Map<Long, List<Long>> tokensByPosition = new ConcurrentHashMap<>();
    CountDownLatch applying = new CountDownLatch(1);
    CountDownLatch takenOver = new CountDownLatch(1);
    Projection p = Projection.atLeastOnce("stale", AtLeastOnceHandler.eachEvent((e, token) -> {
      tokensByPosition.computeIfAbsent(e.position(), k -> new CopyOnWriteArrayList<>()).add(token.value());
      applying.countDown();
      takenOver.await(); // the first delivery waits while "another process of the same name" takes over
    }));
    long last = append("s-1", "ticked", 1).lastPosition();
    run(FAST, p);
    awaitLatch(applying);
    // A process with the same owner name took the lease (acquire_lease.sql accepts its own name): the token moved on.
    execute("UPDATE " + table("projection_checkpoints") + " SET fencing_token = fencing_token + 1 WHERE name = 'stale'");
    takenOver.countDown();
    projections.awaitPosition(p.id(), last, WAIT);
    assertThat(tokensByPosition.get(last)).as("the stale holder's checkpoint write changed nothing: delivered again")
        .containsExactly(1L, 3L);
    assertThat(token(p.id())).isEqualTo(3);
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertThat(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("latch").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  // ---- at-least-once --------------------------------------------------------------------------

  @Test
  void a_frozen_at_least_once_holder_is_taken_over_in_time_and_applies_nothing_after_it_wakes() throws Exception {
    atLeastOnce();
  }

  @Tag("torture")
  @RepeatedTest(10)
  void a_frozen_at_least_once_holder_applies_nothing_after_it_wakes_ten_times_in_a_row() throws Exception {
    atLeastOnce();
  }

  private void atLeastOnce() throws Exception {
    execute("CREATE TABLE " + table("sink_fence") + " (max_token BIGINT NOT NULL)");
    execute("INSERT INTO " + table("sink_fence") + " (max_token) VALUES (0)");
    for (String t : List.of("sink_effects", "sink_rejected")) {
      execute("CREATE TABLE " + table(t) + " (seq BIGINT NOT NULL, position BIGINT NOT NULL, token BIGINT NOT NULL, "
          + "owner VARCHAR(100) NOT NULL)");
    }
    List<ChildRunner> both = start("at-least-once");
    long last = seedEvents(EVENTS);

    String pausedAt = awaitPause(both);
    ChildRunner a = both.stream().filter(c -> pausedAt.contains(c.owner())).findFirst().orElseThrow();
    String other = a == both.get(0) ? both.get(1).owner() : both.get(0).owner();
    long frozenAt = freezeOutsideWrites(a);
    long tokenA = token(FENCED);
    long tookOver = awaitOwnerWhileFrozen(FENCED, other, frozenAt);
    assertThat(token(FENCED)).as("the takeover bumped the fencing token").isGreaterThan(tokenA);
    long tokenB = token(FENCED);
    Await.until("the new holder's first effect", LONG_WAIT,
        () -> count("SELECT count(*) FROM " + table("sink_effects") + " WHERE token = " + tokenB) > 0);
    a.signal("CONT");

    a.awaitLog("lost the lease", LONG_WAIT); // it noticed before applying anything (the operator's view)
    projections.awaitPosition(FENCED, last, LONG_WAIT);
    long pausePosition = Long.parseLong(pausedAt.split(" ")[2]);
    assertThat(count("SELECT count(*) FROM " + table("sink_rejected")))
        .as("stale writes that reached the sink (took over after %s ms)", tookOver).isZero();
    assertThat(longs("SELECT position FROM " + table("sink_effects") + " WHERE token = " + tokenA))
        .as("the frozen holder's effects: none after the event it was frozen in").allMatch(p -> p <= pausePosition);
    assertThat(a.applying()).as("the frozen holder's deliveries").allMatch(l -> !l.contains("REJECTED"))
        .allMatch(l -> Long.parseLong(l.split(" ")[2]) <= pausePosition);
    List<Long> tokens = longs("SELECT token FROM " + table("sink_effects") + " ORDER BY seq");
    assertThat(tokens).as("tokens in the order the sink accepted them").isSorted();
    assertThat(longs("SELECT DISTINCT position FROM " + table("sink_effects") + " ORDER BY position"))
        .as("every event applied, at least once").containsExactlyElementsOf(allPositions());
    assertThat(count("SELECT count(*) FROM (SELECT position FROM " + table("sink_effects")
        + " GROUP BY position HAVING count(*) > 1) d"))
        .as("events applied twice: at most those of the batch the holder was frozen in").isLessThanOrEqualTo(BATCH);
  }

  // ---- transactional ----------------------------------------------------------------------------

  @Test
  void a_frozen_transactional_holder_cannot_block_the_takeover_and_nothing_is_applied_twice() throws Exception {
    transactional();
  }

  @Tag("torture")
  @RepeatedTest(10)
  void a_frozen_transactional_holder_cannot_block_the_takeover_ten_times_in_a_row() throws Exception {
    transactional();
  }

  private void transactional() throws Exception {
    createCrashModel();
    List<ChildRunner> both = start("transactional");
    long last = seedEvents(EVENTS);

    String pausedAt = awaitPause(both); // inside its batch's transaction, row lock held
    ChildRunner a = both.stream().filter(c -> pausedAt.contains(c.owner())).findFirst().orElseThrow();
    String other = a == both.get(0) ? both.get(1).owner() : both.get(0).owner();
    long frozenAt = System.nanoTime();
    a.signal("STOP");
    if (databaseEndsFrozenTransactions()) {
      awaitOwnerWhileFrozen(CRASH, other, frozenAt);
      Await.until("the new holder to move the checkpoint", LONG_WAIT,
          () -> count("SELECT count(*) FROM " + table("crash_model") + " WHERE owner = '" + other + "'") > 0);
    } else {
      // SQLite: the frozen holder keeps the file's write lock, so nobody can take over (nor append)
      // until it resumes; its batch then commits, as its lease was good when the batch began.
      // A stretch of time in which nothing may change: past the frozen holder's lease and a retry.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(LEASE_MS + LEASE_MS / 3 + 500));
      assertThat(projections.status(CRASH).owner()).isEqualTo(a.owner());
    }
    a.signal("CONT");

    projections.awaitPosition(CRASH, last, LONG_WAIT);
    assertCrashModelExactlyOnce();
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /**
   * Starts two runner processes of {@code kind} together; the first to apply its {@value
   * #PAUSE_AFTER}th event pauses there (the one the test freezes), the other stands by.
   */
  private List<ChildRunner> start(String kind) throws Exception {
    Path marker = Files.createTempDirectory(Path.of("target"), "pause-").resolve("paused");
    List<ChildRunner> both = new ArrayList<>();
    for (String owner : List.of("runner-a", "runner-b")) {
      both.add(closeLater(new ChildRunner(url(), prefix, owner, LEASE_MS, 2, BATCH, kind, PAUSE_AFTER, LEASE_MS, marker)));
    }
    for (ChildRunner c : both) {
      c.awaitLine(l -> l.startsWith("STARTED"), LONG_WAIT);
    }
    return both;
  }

  /** Waits for one of {@code both} to print its PAUSING line; returns it. */
  private static String awaitPause(List<ChildRunner> both) {
    String[] line = new String[1];
    Await.until("a runner to pause", LONG_WAIT, () -> {
      for (ChildRunner c : both) {
        c.pausing().ifPresent(l -> line[0] = l);
      }
      return line[0] != null;
    });
    return line[0];
  }

  /**
   * Freezes {@code runner} at a moment it holds no write transaction (on SQLite its heartbeat's
   * renewal, a few milliseconds every second, holds the file's write lock; frozen inside one, it
   * would block the takeover, which is the transactional case, not this one); returns when.
   */
  private long freezeOutsideWrites(ChildRunner runner) throws Exception {
    for (int attempt = 1; ; attempt++) {
      long frozenAt = System.nanoTime();
      runner.signal("STOP");
      if (!writeLockedByAnotherProcess()) {
        return frozenAt;
      }
      runner.signal("CONT");
      if (attempt == 20) {
        throw new AssertionError("the runner held the write lock at 20 freezes in a row");
      }
      Await.until("the runner's write to end", LONG_WAIT, () -> !writeLockedByAnotherProcess());
    }
  }

  /** Whether another process holds the database's write lock now (SQLite); false where writers do not exclude each other. */
  protected boolean writeLockedByAnotherProcess() {
    return false;
  }

  /** The fencing token in the checkpoint row of {@code id}. */
  private long token(ProjectionId id) {
    return count("SELECT fencing_token FROM " + table("projection_checkpoints") + " WHERE name = '" + id.name()
        + "' AND version = " + id.version());
  }

  private void awaitOwner(ProjectionId id, String owner) {
    Await.until(owner + " to hold the lease of " + id, LONG_WAIT, () -> owner.equals(ownerOf(id)));
  }

  /** Waits for {@code owner} to take the lease within {@link #TAKEOVER_BOUND} of the freeze; returns after how many ms. */
  private long awaitOwnerWhileFrozen(ProjectionId id, String owner, long frozenAt) {
    Await.until(owner + " to take over " + id + " within " + TAKEOVER_BOUND.toMillis() + " ms of the freeze",
        TAKEOVER_BOUND.minusNanos(System.nanoTime() - frozenAt), () -> owner.equals(ownerOf(id)));
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
  }

  private String ownerOf(ProjectionId id) {
    return projections.statuses().stream().filter(s -> s.id().equals(id)).findFirst()
        .map(ProjectionStatus::owner).orElse(null);
  }

}
