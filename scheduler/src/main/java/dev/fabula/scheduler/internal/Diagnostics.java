package dev.fabula.scheduler.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.scheduler.ConcurrencyLimit;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobDiagnosis;
import dev.fabula.scheduler.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Explains in plain words why a job is or is not running ({@code JobQueue.explain}). */
final class Diagnostics {
  private final Db db;
  private final QueueReads reads;

  Diagnostics(Db db, QueueReads reads) {
    this.db = db;
    this.reads = reads;
  }

  JobDiagnosis explain(Job job) {
    Instant now = db.now();
    List<String> reasons = new ArrayList<>();
    switch (job.state()) {
      case SUCCEEDED -> reasons.add("it succeeded at " + job.finishedAt() + " after " + attempts(job.attempt()));
      case FAILED -> reasons.add("it failed at " + job.finishedAt() + " after " + attempts(job.attempt()) + ": " + job.lastError());
      case CANCELLED -> reasons.add("it was cancelled at " + job.finishedAt());
      case RUNNING -> {
        reasons.add("it is running: leased by worker " + job.leaseOwner() + " until " + job.leaseUntil()
            + " (attempt " + job.attempt() + " of " + job.maxAttempts() + ")");
        if (job.leaseUntil() != null && job.leaseUntil().isBefore(now)) {
          reasons.add("its lease expired " + Duration.between(job.leaseUntil(), now).toSeconds()
              + " s ago: the next maintenance of a live worker pool rescues it and retries it");
        }
      }
      case WAITING -> {
        Optional<Job> parent = job.parentId() == null ? Optional.empty() : reads.job(job.parentId());
        reasons.add("it is waiting for its parent job " + job.parentId()
            + parent.map(p -> " (" + p.state().code() + ")").orElse(" (pruned)")
            + " to finish: it runs after its success, or, if it compensates for it, after its failure");
      }
      case PENDING -> pending(job, now, reasons);
    }
    return new JobDiagnosis(job, List.copyOf(reasons));
  }

  private void pending(Job job, Instant now, List<String> reasons) {
    record State(Controls controls, Map<String, Long> runningByQueue, Map<String, Long> runningByType, long total,
                 List<Worker> workers, long ahead) {}
    State s = db.read("explaining job " + job.id(), h -> {
      Map<String, Long> byQueue = new java.util.HashMap<>();
      Map<String, Long> byType = new java.util.HashMap<>();
      long[] total = {0};
      h.createQuery(db.sql.get("running_counts")).map((rs, ctx) -> {
        long n = rs.getLong(3);
        byQueue.merge(rs.getString(1), n, Long::sum);
        byType.merge(rs.getString(2), n, Long::sum);
        total[0] += n;
        return n;
      }).list();
      List<Worker> workers = h.createQuery(db.sql.get("live_workers"))
          .bind("since", db.time(now.minus(reads.liveWindow())))
          .map((rs, ctx) -> new Worker(rs.getString("worker_id"), rs.getString("job_types"), rs.getString("queues")))
          .list();
      long ahead = h.createQuery(db.sql.get("due_ahead"))
          .bind("priority", job.priority().value())
          .bind("run_at", db.time(job.runAt()))
          .bind("id", job.id())
          .bind("now", db.time(now))
          .mapTo(Long.class).one();
      return new State(Controls.read(h, db), byQueue, byType, total[0], workers, ahead);
    });
    if (job.runAt().isAfter(now)) {
      reasons.add("it is not due yet: it runs at " + job.runAt() + " (in " + human(Duration.between(now, job.runAt())) + ")");
    }
    if (s.controls().killSwitch()) {
      reasons.add("the kill switch is on: no job starts anywhere until JobQueue.resumeAll()");
    }
    if (s.controls().pausedQueues().contains(job.queue())) {
      reasons.add("its queue '" + job.queue() + "' is paused (JobQueue.resumeQueue)");
    }
    if (s.controls().pausedTypes().contains(job.type())) {
      reasons.add("its job type '" + job.type() + "' is paused");
    }
    for (ConcurrencyLimit limit : s.controls().limits()) {
      long running = switch (limit.scope()) {
        case OVERALL -> s.total();
        case QUEUE -> limit.name().equals(job.queue()) ? s.runningByQueue().getOrDefault(job.queue(), 0L) : -1;
        case JOB_TYPE -> limit.name().equals(job.type()) ? s.runningByType().getOrDefault(job.type(), 0L) : -1;
      };
      if (running >= 0 && running >= limit.maxRunning()) {
        String scope = switch (limit.scope()) {
          case OVERALL -> "the overall limit";
          case QUEUE -> "the limit of queue '" + limit.name() + "'";
          case JOB_TYPE -> "the limit of job type '" + limit.name() + "'";
        };
        reasons.add("its concurrency limit is full: " + scope + " allows " + limit.maxRunning() + " and " + running + " are running");
      }
    }
    if (s.workers().isEmpty()) {
      reasons.add("no worker pool is running: none sent a heartbeat in the last " + human(reads.liveWindow()));
    } else if (s.workers().stream().noneMatch(w -> w.handles(job.type()))) {
      reasons.add("no handler registered for job type '" + job.type() + "' in any live worker pool ("
          + s.workers().stream().map(Worker::id).toList() + ")");
    } else if (s.workers().stream().noneMatch(w -> w.serves(job.queue()))) {
      reasons.add("no live worker pool serves queue '" + job.queue() + "'");
    }
    if (reasons.isEmpty()) {
      reasons.add("it is due and waits for a free worker: " + s.ahead() + " due job(s) are ahead of it");
    }
  }

  private static String attempts(int n) {
    return n == 1 ? "1 attempt" : n + " attempts";
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return d.toMillis() < 1000 ? d.toMillis() + " ms" : s + " s";
    }
    if (s < 7200) {
      return (s / 60) + " min";
    }
    return (s / 3600) + " h";
  }

  /** A live worker pool, from job_workers. */
  private record Worker(String id, @Nullable String typesJson, @Nullable String queuesJson) {
    boolean handles(String type) {
      return contains(typesJson, type);
    }

    boolean serves(String queue) {
      return contains(queuesJson, queue);
    }

    private static boolean contains(@Nullable String json, String value) {
      if (json == null) {
        return true;
      }
      try {
        JsonNode node = Db.JSON.readTree(json);
        for (JsonNode n : node) {
          if (value.equals(n.asText())) {
            return true;
          }
        }
        return false;
      } catch (JsonProcessingException e) {
        return true;
      }
    }
  }

}
