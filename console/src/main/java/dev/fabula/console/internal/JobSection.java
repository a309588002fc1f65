package dev.fabula.console.internal;

import dev.fabula.console.ConsoleAction;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.SchedulerStats;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Jobs: counts by state and by queue and type ({@link SchedulerStats}), a filtered list (keyset on
 * the id, no payloads), and one job with its payload, diagnosis and attempt history; retry, cancel,
 * reschedule. A tenant's console lists only the tenant's jobs (it scans at most {@link #SCAN}
 * jobs a page for them) and answers 404 for any other job.
 */
final class JobSection implements Section {
  static final int SCAN = 5_000;
  private final JobQueue queue;

  JobSection(JobQueue queue) {
    this.queue = queue;
  }

  @Override
  public String segment() {
    return "jobs";
  }

  @Override
  public String label() {
    return "Jobs";
  }

  @Override
  public @Nullable Page get(RequestContext ctx, List<String> rest) {
    if (rest.isEmpty()) {
      return list(ctx);
    }
    if (rest.size() != 1) {
      return null;
    }
    Job job = find(ctx, EventSection.parse(rest.get(0)));
    return job == null ? null : detail(ctx, job);
  }

  private Page list(RequestContext ctx) {
    JobState state = ctx.param("state").map(s -> {
      try {
        return JobState.valueOf(s);
      } catch (IllegalArgumentException e) {
        throw new Rejected(400, "Unknown job state.");
      }
    }).orElse(null);
    String type = ctx.param("type").orElse(null);
    String queueName = ctx.param("queue").orElse(null);
    Html h = new Html(ctx);
    String filter = (type == null ? "" : "&type=" + Html.q(type)) + (queueName == null ? "" : "&queue=" + Html.q(queueName));
    if (ctx.tenant() == null) {
      SchedulerStats stats = queue.stats();
      h.raw("<p class=\"filters\">").link("/jobs?" + filter, "All");
      for (JobState s : JobState.values()) {
        h.link("/jobs?state=" + s + filter, s + " (" + stats.count(s) + ")");
      }
      h.raw("</p>");
      h.el("h2", "By queue and type");
      h.head("Queue", "Type", "Pending", "Running", "Failed", "Oldest due");
      for (SchedulerStats.TypeStats t : stats.byQueueAndType()) {
        h.row().cell(t.queue()).cellLink("/jobs?type=" + Html.q(t.type()) + "&queue=" + Html.q(t.queue()), t.type())
            .cell(t.count(JobState.PENDING)).cell(t.count(JobState.RUNNING)).cell(t.count(JobState.FAILED))
            .cell(Html.duration(t.oldestDueAge())).endRow();
      }
      h.endTable();
    } else {
      h.raw("<p class=\"filters\">").link("/jobs?" + filter, "All");
      for (JobState s : JobState.values()) {
        h.link("/jobs?state=" + s + filter, s.toString());
      }
      h.raw("</p>");
    }
    int size = ctx.config().pageSize();
    JobQuery query = new JobQuery(state, type, queueName, Math.max(0, ctx.longParam("after", 0)), size + 1);
    List<Job> jobs = new ArrayList<>();
    long scannedTo = page(ctx, query, size + 1, jobs);
    h.el("h2", (state == null ? "Jobs" : state + " jobs") + (type == null ? "" : " of type " + type)
        + (queueName == null ? "" : " in queue " + queueName));
    h.head("Id", "Type", "Queue", "State", "Attempt", "Run at", "Tenant", "Last error");
    for (Job j : jobs.subList(0, Math.min(size, jobs.size()))) {
      String error = j.lastError() == null ? null : j.lastError().lines().findFirst().orElse("");
      h.row().cellLink("/jobs/" + j.id(), j.id()).cell(j.type()).cell(j.queue())
          .raw("<td class=\"state-" + j.state().name() + "\">").text(j.state()).raw("</td>")
          .cell(j.attempt() + " of " + j.maxAttempts()).cell(Html.time(j.runAt())).cell(j.tenantId())
          .cell(error == null || error.length() <= 160 ? error : error.substring(0, 159) + "…").endRow();
    }
    h.endTable();
    if (jobs.isEmpty()) {
      h.el("p", "No jobs here.");
    }
    boolean more = jobs.size() > size || scannedTo > 0;
    long cursor = jobs.size() > size ? jobs.get(size - 1).id() : scannedTo;
    h.next("/jobs?after=" + cursor + (state == null ? "" : "&state=" + state) + filter, more);
    return new Page("Jobs", h.toString());
  }

  /**
   * Fills {@code into} with up to {@code want} jobs of the query (the console's tenant's only).
   * Returns the id up to which a tenant's scan got without filling the page (the next page's
   * cursor), or 0 when the page is full or the table ends.
   */
  private long page(RequestContext ctx, JobQuery query, int want, List<Job> into) {
    if (ctx.tenant() == null) {
      into.addAll(queue.list(query));
      return 0;
    }
    JobQuery q = query.withLimit(500);
    int scanned = 0;
    while (into.size() < want) {
      List<Job> batch = queue.list(q);
      for (Job j : batch) {
        if (ctx.tenant().equals(j.tenantId()) && into.size() < want) {
          into.add(j);
        }
      }
      scanned += batch.size();
      if (batch.size() < q.limit()) {
        return 0;
      }
      q = q.withAfterId(batch.get(batch.size() - 1).id());
      if (scanned >= SCAN && into.size() < want) {
        return q.afterId();
      }
    }
    return 0;
  }

  private Page detail(RequestContext ctx, Job j) {
    Html h = new Html(ctx);
    h.raw("<dl>");
    h.el("dt", "State").raw("<dd class=\"state-" + j.state().name() + "\">").text(j.state()).raw("</dd>");
    Map<String, Object> facts = new java.util.LinkedHashMap<>();
    facts.put("Type", j.type());
    facts.put("Queue", j.queue());
    facts.put("Priority", j.priority());
    facts.put("Attempt", j.attempt() + " of " + j.maxAttempts());
    facts.put("Run at", Html.time(j.runAt()));
    facts.put("Trigger", j.trigger());
    facts.put("Tenant", j.tenantId());
    facts.put("Unique key", j.uniqueKey());
    facts.put("Parent", j.parentId());
    facts.put("Schedule", j.scheduleName() == null ? null : j.scheduleName() + " for " + Html.time(j.scheduledFor()));
    facts.put("Worker", j.leaseOwner());
    facts.put("Created", Html.time(j.createdAt()));
    facts.put("Finished", j.finishedAt() == null ? null : Html.time(j.finishedAt()));
    facts.forEach((k, v) -> h.el("dt", k).el("dd", v == null ? "–" : v));
    h.raw("</dl>");
    h.el("h2", "Why").raw("<ul>");
    queue.explain(j.id()).reasons().forEach(r -> h.el("li", r));
    h.raw("</ul>");
    String base = "/jobs/" + j.id();
    h.action(ctx.may(ConsoleAction.RETRY_JOB) && (j.state() == JobState.FAILED || j.state() == JobState.CANCELLED),
        base + "/retry", Map.of(), "Retry");
    h.action(ctx.may(ConsoleAction.CANCEL_JOB) && !j.state().isFinished(), base + "/cancel", Map.of(), "Cancel");
    String soon = LocalDateTime.ofInstant(Instant.now().plus(Duration.ofMinutes(5)), ZoneOffset.UTC)
        .truncatedTo(ChronoUnit.MINUTES).toString();
    h.action(ctx.may(ConsoleAction.RESCHEDULE_JOB) && (j.state() == JobState.PENDING || j.state() == JobState.WAITING),
        base + "/reschedule", Map.of(), "Reschedule",
        "<label>Run at (UTC) <input type=\"datetime-local\" name=\"runAt\" value=\"" + soon + "\" required></label> ");
    if (j.lastError() != null) {
      h.el("h2", "Last error").pre(j.lastError());
    }
    h.el("h2", "Payload").pre(j.payload());
    if (j.output() != null) {
      h.el("h2", "Output").pre(j.output());
    }
    h.el("h2", "Attempts");
    h.head("Attempt", "Trigger", "Worker", "Started", "Duration", "Outcome", "Error");
    for (JobRun r : queue.history(j.id())) {
      h.row().cell(r.attempt()).cell(r.trigger()).cell(r.worker()).cell(Html.time(r.startedAt()))
          .cell(r.durationMs() + " ms").cell(r.outcome()).raw("<td>");
      if (r.error() != null) {
        h.pre(r.error());
      }
      h.raw("</td>").endRow();
    }
    h.endTable();
    return new Page("Job " + j.id(), h.toString());
  }

  @Override
  public @Nullable Action post(RequestContext ctx, List<String> rest) {
    if (rest.size() != 2) {
      return null;
    }
    long id = EventSection.parse(rest.get(0));
    if (find(ctx, id) == null) {
      throw new Rejected(404, "Not found");
    }
    String then = "/jobs/" + id;
    String target = "job " + id;
    return switch (rest.get(1)) {
      case "retry" -> new Action(ConsoleAction.RETRY_JOB, target, () -> queue.retry(id), then);
      case "cancel" -> new Action(ConsoleAction.CANCEL_JOB, target, () -> queue.cancel(id), then);
      case "reschedule" -> {
        Instant runAt;
        try {
          runAt = LocalDateTime.parse(ctx.field("runAt")).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          throw new Rejected(400, "Give the run time as 2026-12-31T09:30 (UTC).");
        }
        yield new Action(ConsoleAction.RESCHEDULE_JOB, target + " to " + runAt, () -> queue.reschedule(id, runAt), then);
      }
      default -> null;
    };
  }

  /** The job, or null when it does not exist or belongs to another tenant than the console's. */
  private @Nullable Job find(RequestContext ctx, long id) {
    return queue.job(id).filter(j -> ctx.tenant() == null || ctx.tenant().equals(j.tenantId())).orElse(null);
  }
}
