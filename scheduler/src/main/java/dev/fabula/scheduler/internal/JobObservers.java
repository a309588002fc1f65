package dev.fabula.scheduler.internal;

import dev.fabula.internal.ObserverList;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.spi.JobObserver;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobObserver}s of one queue, told as one: each hears every call whatever the others
 * throw; a failure is logged at ERROR and the pool goes on, a fatal error ({@link dev.fabula.internal.Fatal})
 * is rethrown once all have heard ({@link ObserverList}). Thread-safe.
 */
final class JobObservers {
  private static final Logger LOG = LoggerFactory.getLogger(JobObservers.class);

  private final ObserverList<JobObserver> observers =
      new ObserverList<>(LOG, "A job observer failed on job {}: {}; the pool goes on");

  /** Adds an observer (once, however often); the returned action removes it. */
  Runnable add(JobObserver observer) {
    return observers.add(observer);
  }

  /** Tells of a finished handler run, classified as {@link OutcomeRecorder} will record it. */
  void ran(Outcome o) {
    if (observers.isEmpty()) {
      return;
    }
    Job job = o.running().job;
    JobRun.Outcome outcome;
    boolean retrying = false;
    if (o.result() instanceof JobResult.Success) {
      outcome = JobRun.Outcome.SUCCEEDED;
    } else if (o.result() instanceof JobResult.Snooze) {
      outcome = JobRun.Outcome.SNOOZED;
    } else {
      outcome = JobRun.Outcome.FAILED;
      retrying = o.result() == null && job.attempt() < job.maxAttempts();
    }
    boolean willRetry = retrying;
    Instant started = o.started();
    tell(job, obs -> obs.ran(job, started, o.finished(), outcome, willRetry));
  }

  /** Tells of a rescued job. */
  void rescued(Job job, boolean failed) {
    tell(job, obs -> obs.rescued(job, failed));
  }

  private void tell(Job job, Consumer<JobObserver> call) {
    observers.tell(new Subject(job.id(), job.type()), call);
  }

  /** A job as the failure message names it: its id and type, never its payload. */
  private record Subject(long id, String type) {
    @Override
    public String toString() {
      return id + " (" + type + ")";
    }
  }
}
