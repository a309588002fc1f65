package dev.fabula.scheduler.internal;

import dev.fabula.internal.Fatal;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.spi.JobObserver;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobObserver}s of one queue, told as one: each hears every call whatever the others
 * throw; a failure is logged at ERROR and the pool goes on, a fatal error ({@link dev.fabula.internal.Fatal})
 * is rethrown once all have heard. Thread-safe.
 */
final class JobObservers {
  private static final Logger LOG = LoggerFactory.getLogger(JobObservers.class);

  private final CopyOnWriteArrayList<JobObserver> observers = new CopyOnWriteArrayList<>();

  /** Adds an observer (once, however often); the returned action removes it. */
  Runnable add(JobObserver observer) {
    observers.addIfAbsent(observer);
    return () -> observers.remove(observer);
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
    Error fatal = null;
    for (JobObserver o : observers) {
      try {
        call.accept(o);
      } catch (Throwable e) {
        LOG.error("A job observer failed on job {} ({}): {}; the pool goes on", job.id(), job.type(), e.toString(), e);
        if (Fatal.is(e)) {
          fatal = (Error) e;
        }
      }
    }
    if (fatal != null) {
      throw fatal;
    }
  }
}
