package dev.fabula.examples.mealplanner;

import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.ScheduleInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Replays time with a {@link SimulatedClock}: jumps the clock to the next moment something is
 * due (a schedule occurrence or a retry), then waits until the worker pool has done everything
 * due by then, and so on. Waiting is on the scheduler's own state in the database (no sleeps of
 * a guessed length): the step is over when no schedule has a due occurrence left, no due job is
 * pending and none is running. While the kill switch is on, nothing becomes due, so a step only
 * waits for running jobs to finish and then jumps to the next occurrence anyway.
 *
 * <p>Used by the {@link Tour} and the tests; one thread drives it.
 */
public final class Simulation {
  /** The longest a step may take before the simulation gives up with a diagnosis. */
  public static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

  private final MealPlanner planner;
  private final JobQueue queue;
  private final SimulatedClock clock;
  private int steps;

  /** A simulation of {@code planner}, whose configuration must use {@code clock}. */
  public Simulation(MealPlanner planner, SimulatedClock clock) {
    if (planner.config().clock() != clock) {
      throw new IllegalArgumentException("the planner must run on the simulation's clock");
    }
    this.planner = planner;
    this.queue = planner.queue();
    this.clock = clock;
  }

  /** The clock. */
  public SimulatedClock clock() {
    return clock;
  }

  /** Steps taken so far. */
  public int steps() {
    return steps;
  }

  /**
   * Runs everything due up to and including {@code end}, step by step, and leaves the clock at
   * {@code end} with the pool idle.
   */
  public void runUntil(Instant end) {
    while (true) {
      boolean killSwitch = planner.killSwitchOn();
      awaitIdle(killSwitch);
      Instant next = nextDue();
      if (next == null || next.isAfter(end)) {
        if (clock.instant().isBefore(end)) {
          clock.set(end);
          steps++;
          awaitIdle(killSwitch);
        }
        return;
      }
      clock.set(next);
      steps++;
    }
  }

  /**
   * The next moment strictly after now that something comes due: a schedule occurrence or a
   * pending job. (Occurrences and jobs due already can only be held by the kill switch.)
   */
  private @Nullable Instant nextDue() {
    Instant now = clock.instant();
    Instant next = null;
    for (ScheduleInfo s : queue.schedules()) {
      Instant at = s.nextRunAt();
      if (at != null && !at.isAfter(now)) {
        at = s.schedule().nextAfter(now).orElse(null);
      }
      next = earliest(next, at);
    }
    for (Job j : queue.list(JobQuery.ALL.withState(JobState.PENDING).withLimit(1000))) {
      if (j.runAt().isAfter(now)) {
        next = earliest(next, j.runAt());
      }
    }
    return next;
  }

  private static @Nullable Instant earliest(@Nullable Instant a, @Nullable Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  /**
   * Waits until the pool has done what is due now. The reads go in the order work moves
   * (schedule → pending job → running job → finished), and count only if no job changed state
   * while they ran (the counts by state are the same before and after): a job claimed and
   * finished between two reads, or one that a running job enqueued, cannot slip between them unseen.
   */
  private void awaitIdle(boolean killSwitch) {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (!idle(killSwitch)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the worker pool did not finish the work due at " + clock.instant() + " within "
            + STEP_TIMEOUT + ": " + queue.stats() + " " + queue.schedules());
      }
      LockSupport.parkNanos(Duration.ofMillis(3).toNanos());
    }
  }

  private boolean idle(boolean killSwitch) {
    Map<JobState, Long> before = queue.stats().counts();
    return idleNow(killSwitch) && before.equals(queue.stats().counts());
  }

  private boolean idleNow(boolean killSwitch) {
    Instant now = clock.instant();
    if (!killSwitch) {
      for (ScheduleInfo s : queue.schedules()) {
        if (s.nextRunAt() != null && !s.nextRunAt().isAfter(now)) {
          return false;
        }
      }
      List<Job> pending = queue.list(JobQuery.ALL.withState(JobState.PENDING).withLimit(1000));
      if (pending.stream().anyMatch(j -> !j.runAt().isAfter(now))) {
        return false;
      }
    }
    return queue.list(JobQuery.ALL.withState(JobState.RUNNING).withLimit(1)).isEmpty();
  }
}
