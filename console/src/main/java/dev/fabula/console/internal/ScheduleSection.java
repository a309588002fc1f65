package dev.fabula.console.internal;

import dev.fabula.console.ConsoleAction;
import dev.fabula.scheduler.ConcurrencyLimit;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.ScheduleInfo;
import dev.fabula.scheduler.SchedulerStats;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Schedules and the controls every process obeys: each schedule's next run in its own time zone
 * with pause and resume, the kill switch, paused queues, limits and live workers. It concerns every tenant, so a tenant's console does not show it.
 */
final class ScheduleSection implements Section {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");
  private final JobQueue queue;

  ScheduleSection(JobQueue queue) {
    this.queue = queue;
  }

  @Override
  public String segment() {
    return "schedules";
  }

  @Override
  public String label() {
    return "Schedules";
  }

  @Override
  public @Nullable Page get(RequestContext ctx, List<String> rest) {
    if (!rest.isEmpty()) {
      return null;
    }
    Html h = new Html(ctx);
    if (ctx.tenant() != null) {
      h.el("p", "Schedules and the kill switch concern every tenant: an operator's console shows them.");
      return new Page("Schedules", h.toString());
    }
    SchedulerStats stats = queue.stats();
    h.el("h2", "Kill switch");
    h.raw("<p id=\"kill-switch\">").raw(stats.killSwitchOn()
        ? "<span class=\"on\">ON: no process starts a job or a schedule occurrence.</span>"
        : "Off: workers start jobs.").raw("</p>");
    h.action(ctx.may(ConsoleAction.KILL_SWITCH), "/schedules/kill-switch",
        Map.of("on", Boolean.toString(!stats.killSwitchOn())),
        stats.killSwitchOn() ? "Turn the kill switch off" : "Turn the kill switch on");

    List<ScheduleInfo> schedules = queue.schedules();
    h.el("h2", "Schedules (" + schedules.size() + ")");
    h.head("Name", "When", "Zone", "Next run (its zone)", "Next run (UTC)", "Last occurrence", "Job type", "Queue", "State", "");
    for (ScheduleInfo s : schedules) {
      Instant next = s.nextRunAt();
      h.row().cell(s.name()).cell(s.schedule().recurrence().kind() + " " + s.schedule().recurrence().text())
          .cell(s.schedule().zone())
          .cell(next == null ? null : LOCAL.format(ZonedDateTime.ofInstant(next, s.schedule().zone())))
          .cell(Html.time(next)).cell(Html.time(s.lastScheduledFor()))
          .cellLink("/jobs?type=" + Html.q(s.job().type()), s.job().type())
          .cell(s.job().queue() + (stats.pausedQueues().contains(s.job().queue()) ? " (paused)" : ""))
          .cell(s.paused() ? "paused" : "active").raw("<td>");
      h.action(ctx.may(ConsoleAction.PAUSE_SCHEDULE), "/schedules/schedule",
          Map.of("name", s.name(), "pause", Boolean.toString(!s.paused())), s.paused() ? "Resume schedule" : "Pause schedule");
      h.raw("</td>").endRow();
    }
    h.endTable();

    TreeSet<String> queues = new TreeSet<>(stats.pausedQueues());
    schedules.forEach(s -> queues.add(s.job().queue()));
    stats.byQueueAndType().forEach(t -> queues.add(t.queue()));
    h.el("h2", "Queues");
    h.head("Queue", "State", "");
    for (String name : queues) {
      boolean paused = stats.pausedQueues().contains(name);
      h.row().cell(name).cell(paused ? "paused" : "running").raw("<td>");
      h.action(ctx.may(ConsoleAction.PAUSE_QUEUE), "/schedules/queue",
          Map.of("queue", name, "pause", Boolean.toString(!paused)), paused ? "Resume" : "Pause");
      h.raw("</td>").endRow();
    }
    h.endTable();

    h.el("h2", "Concurrency limits");
    h.head("Scope", "Name", "Running", "Limit");
    for (ConcurrencyLimit l : stats.limits()) {
      h.row().cell(l.scope()).cell(l.name()).cell(stats.running(l)).cell(l.maxRunning()).endRow();
    }
    h.endTable();
    h.el("h2", "Live workers (" + stats.liveWorkers().size() + ")");
    h.raw("<ul>");
    stats.liveWorkers().forEach(w -> h.el("li", w));
    h.raw("</ul>");
    return new Page("Schedules", h.toString());
  }

  @Override
  public @Nullable Action post(RequestContext ctx, List<String> rest) {
    if (rest.size() != 1) {
      return null;
    }
    return switch (rest.get(0)) {
      case "kill-switch" -> {
        boolean on = Boolean.parseBoolean(ctx.field("on"));
        yield new Action(ConsoleAction.KILL_SWITCH, on ? "kill switch on" : "kill switch off", () -> {
          boolean was = queue.stats().killSwitchOn();
          if (on) {
            queue.pauseAll();
          } else {
            queue.resumeAll();
          }
          return was != on;
        }, "/schedules");
      }
      case "schedule" -> {
        String name = ctx.field("name");
        boolean pause = Boolean.parseBoolean(ctx.field("pause"));
        yield new Action(ConsoleAction.PAUSE_SCHEDULE, (pause ? "pause" : "resume") + " schedule " + name,
            () -> pause ? queue.pauseSchedule(name) : queue.resumeSchedule(name), "/schedules");
      }
      case "queue" -> {
        String name = ctx.field("queue");
        boolean pause = Boolean.parseBoolean(ctx.field("pause"));
        if (name.isEmpty()) {
          throw new Rejected(400, "Name the queue.");
        }
        yield new Action(ConsoleAction.PAUSE_QUEUE, (pause ? "pause" : "resume") + " queue " + name, () -> {
          if (pause) {
            queue.pauseQueue(name);
          } else {
            queue.resumeQueue(name);
          }
          return true;
        }, "/schedules");
      }
      default -> null;
    };
  }
}
