package dev.fabula.projections.internal;

import dev.fabula.projections.ProjectionState;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a projection's {@link Worker} knows and shows: where the projection stands (checkpoint,
 * state, failed, rebuilding, as of the last read or commit of its checkpoint row), what the worker
 * waits for, its last error, and whether it is to go on. The worker and its parts ({@link
 * Applier}, {@link ParkedRetries}) share it; its transitions are named after the steps of the
 * state machine.
 *
 * <p>Thread safety: the worker thread makes the transitions and waits; status calls read the
 * volatile fields from other threads; the signals ({@link #stop}, {@link #eventsAppended}, {@link
 * #controlSignal}) come from any thread.
 */
final class WorkerState {
  private final Wakeup wakeup = new Wakeup();
  private volatile boolean running = true;
  private volatile boolean dead;
  private volatile ProjectionState current = ProjectionState.STOPPED;
  private volatile @Nullable String lastError;
  private volatile String activity = "starting";
  private volatile Instant activitySince = Instant.now();
  // The worker thread's own:
  private long checkpoint;
  private boolean failed;
  private boolean rebuilding;

  // ---- signals, from any thread ---------------------------------------------------------------

  /** New events may be in the log: ends a wait for events. */
  void eventsAppended() {
    wakeup.events();
  }

  /** Ends any wait now (an admin request, or stop). */
  void controlSignal() {
    wakeup.control();
  }

  void stop() {
    running = false;
    wakeup.control();
  }

  boolean running() {
    return running;
  }

  /** Whether the worker thread died (of a fatal error, {@link dev.fabula.internal.Fatal}): nothing renews or applies. */
  boolean dead() {
    return dead;
  }

  // ---- status, for any thread -----------------------------------------------------------------

  ProjectionState current() {
    return current;
  }

  @Nullable String lastError() {
    return lastError;
  }

  /** What it waits for, for status; null while it works. */
  @Nullable String waitingFor() {
    String a = activity;
    return a.isEmpty() ? null : a + " (since " + activitySince + ")";
  }

  // ---- where the projection stands: the worker thread -----------------------------------------

  long checkpoint() {
    return checkpoint;
  }

  boolean isFailed() {
    return failed;
  }

  boolean isRebuilding() {
    return rebuilding;
  }

  /** The lease was taken: the row says where the projection stands. */
  void leaseTaken(long position, ProjectionState state) {
    checkpoint = position;
    failed = state == ProjectionState.FAILED;
    rebuilding = state == ProjectionState.REBUILDING;
    current = state;
  }

  /** Not applying: no lease, or it was lost or released. */
  void stopped() {
    current = ProjectionState.STOPPED;
  }

  /** A commit moved the checkpoint to {@code position}; a rebuild that reaches RUNNING is over. */
  void moved(long position, ProjectionState next) {
    checkpoint = position;
    current = next;
    lastError = null;
    if (next == ProjectionState.RUNNING) {
      rebuilding = false;
    }
  }

  /** The projection is FAILED (this worker marked it, or found it so). */
  void markFailed() {
    failed = true;
    current = ProjectionState.FAILED;
  }

  /** A FAILED projection was resumed: it catches up from its checkpoint. */
  void resumed() {
    failed = false;
    current = ProjectionState.CATCHING_UP;
  }

  /** The reset committed: the projection replays from the start. */
  void rebuildStarted() {
    checkpoint = 0;
    rebuilding = true;
    current = ProjectionState.REBUILDING;
  }

  /** The checkpoint is at the end of the log, and the row says RUNNING. */
  void caughtUp() {
    current = ProjectionState.RUNNING;
    rebuilding = false;
  }

  /** The worker thread dies of {@code description}: status shows it until the runner is closed. */
  void died(String description) {
    dead = true;
    running = false;
    current = ProjectionState.STOPPED;
    lastError = "the runner thread died: " + description;
    activity("a restart of the runner: its thread for this projection died of " + description
        + "; the lease was given up, so another runner can take over");
  }

  void error(@Nullable String description) {
    lastError = description;
  }

  // ---- waiting: the worker thread -------------------------------------------------------------

  /** Working: nothing to wait for. */
  void busy() {
    activity("");
  }

  /** What the worker waits for from now on, for status. */
  void activity(String what) {
    if (!what.equals(activity)) {
      activity = what;
      activitySince = Instant.now();
    }
  }

  /** Waits for {@code duration}, or until a control signal or (if {@code forEvents}) new events. */
  void waitFor(String what, Duration duration, boolean forEvents) {
    activity(what);
    wakeup.await(duration.toNanos(), forEvents);
  }
}
