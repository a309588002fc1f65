package dev.fabula.scheduler.internal;

import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.MissedRunPolicy;
import dev.fabula.scheduler.Schedule;
import dev.fabula.scheduler.ScheduleInfo;
import dev.fabula.scheduler.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns due schedule occurrences into jobs. Any worker pool may run it; the schedule rows are
 * locked (SKIP LOCKED on PostgreSQL, the write lock on SQLite), and a unique index on (schedule,
 * scheduled instant) makes sure no occurrence ever gets two jobs.
 *
 * <p>For each due schedule, in one transaction:
 *
 * <ol>
 *   <li>If a job of the schedule is still unfinished, nothing happens: runs never overlap, and
 *       the occurrences that come due meanwhile are handled when it finishes.
 *   <li>The due occurrences are listed, from the stored next_run_at up to now (at most {@link
 *       #MAX_ENUMERATED}; older ones beyond that are counted as missed in one entry).
 *   <li>The missed-run policy picks at most one to run now; occurrences later than the lateness
 *       limit never run. Every due occurrence that will not run is recorded as missed.
 *   <li>The job is inserted (trigger {@code scheduled}) and next_run_at moves past what was
 *       handled: for catch-up, to the occurrence after the one run (which may already be due:
 *       it runs after this one finishes).
 * </ol>
 *
 * <p>Nothing is turned into a job while the kill switch is on; when it is turned off, the
 * occurrences missed meanwhile follow the policy.
 */
final class ScheduleRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleRunner.class);

  /** The most due occurrences listed one by one per schedule and pass. */
  static final int MAX_ENUMERATED = 1000;

  private final Db db;
  private final Rows rows;
  private final Writes writes;
  private final Enqueuer enqueuer;
  private final LocalPools pools;

  ScheduleRunner(DefaultJobQueue queue) {
    this.db = queue.db;
    this.rows = queue.rows;
    this.writes = queue.writes;
    this.enqueuer = queue.enqueuer;
    this.pools = queue.pools;
  }

  /** The earliest next occurrence of any schedule, or null. */
  @Nullable Instant nextDue() {
    return db.read("reading the next schedule occurrence",
        h -> h.createQuery(db.sql.get("next_schedule")).map((rs, ctx) -> db.readTime(rs, 1)).findOne().orElse(null));
  }

  /** Handles the due schedules; returns the number of jobs made. */
  int runDue() {
    Instant now = db.now();
    return db.write("running due schedules", h -> {
      if (Controls.read(h, db).killSwitch()) {
        return 0;
      }
      List<ScheduleInfo> due = h.createQuery(db.sql.get("due_schedules"))
          .bind("now", db.time(now))
          .bind("limit", 50)
          .map(rows.schedule)
          .list();
      int made = 0;
      for (ScheduleInfo s : due) {
        made += handle(h, s, now);
      }
      return made;
    });
  }

  private int handle(Handle h, ScheduleInfo info, Instant now) {
    long active = h.createQuery(db.sql.get("schedule_active")).bind("schedule_name", info.name()).mapTo(Long.class).one();
    if (active > 0) {
      LOG.debug("Schedule '{}' has an unfinished job; its due occurrences wait for it", info.name());
      return 0;
    }
    Schedule schedule = info.schedule();
    List<Instant> dueList = new ArrayList<>();
    long skippedUnlisted = 0;
    Instant first = info.nextRunAt();
    Instant o = first;
    while (o != null && !o.isAfter(now) && dueList.size() < MAX_ENUMERATED) {
      dueList.add(o);
      o = schedule.nextAfter(o).orElse(null);
    }
    if (o != null && !o.isAfter(now)) {
      // Too many to list: drop the oldest listed ones and start again from the newest due.
      Optional<Instant> afterNow = schedule.nextAfter(now);
      Instant newest = lastAtOrBefore(schedule, now, dueList.get(dueList.size() - 1));
      skippedUnlisted = dueList.size();
      dueList.clear();
      dueList.add(newest);
      o = afterNow.orElse(null);
    }
    Duration lateness = schedule.effectiveLatenessLimit();
    Instant chosen = null;
    if (schedule.missedRuns().kind() == MissedRunPolicy.Kind.CATCH_UP) {
      int from = Math.max(0, dueList.size() - schedule.missedRuns().cap());
      for (int i = from; i < dueList.size() && chosen == null; i++) {
        if (onTime(dueList.get(i), now, lateness)) {
          chosen = dueList.get(i);
        }
      }
    } else if (!dueList.isEmpty() && onTime(dueList.get(dueList.size() - 1), now, lateness)) {
      chosen = dueList.get(dueList.size() - 1);
    }
    List<Map<String, @Nullable Object>> missed = new ArrayList<>();
    if (skippedUnlisted > 0) {
      missed.add(missedRun(info, first, now, skippedUnlisted + " or more occurrences from " + first
          + " on were missed (too many to list one by one)"));
    }
    for (Instant d : dueList) {
      if (chosen != null && !d.isBefore(chosen)) {
        break;
      }
      missed.add(missedRun(info, d, now, reason(d, now, lateness, chosen, schedule)));
    }
    Instant next;
    if (chosen != null && schedule.missedRuns().kind() == MissedRunPolicy.Kind.CATCH_UP) {
      next = schedule.nextAfter(chosen).orElse(null);
    } else {
      next = dueList.isEmpty() ? o : schedule.nextAfter(dueList.get(dueList.size() - 1)).orElse(null);
    }
    LOG.debug("Schedule '{}' at {}: due {}, running {}, next {}", info.name(), now, dueList, chosen, next);
    int made = 0;
    if (chosen != null) {
      var inserted = enqueuer.insert(h, info.job(), null, Trigger.SCHEDULED, info.name(), chosen);
      made = inserted != null && inserted.created() ? 1 : 0;
      if (made == 1) {
        h.afterCommit(pools::wake);
      }
    }
    writes.insertRuns(h, missed);
    var advance = h.createUpdate(db.sql.get("advance_schedule")).bind("name", info.name()).bind("now", db.time(now));
    db.bindTime(advance, "next_run_at", next);
    db.bindTime(advance, "last_scheduled_for", chosen);
    advance.execute();
    if (!missed.isEmpty()) {
      LOG.info("Schedule '{}': {} occurrence(s) missed, {}", info.name(), missed.size(),
          chosen == null ? "none runs now" : "running the one of " + chosen);
    }
    return made;
  }

  private static boolean onTime(Instant occurrence, Instant now, @Nullable Duration lateness) {
    return lateness == null || Duration.between(occurrence, now).compareTo(lateness) <= 0;
  }

  private static String reason(Instant d, Instant now, @Nullable Duration lateness, @Nullable Instant chosen, Schedule s) {
    if (!onTime(d, now, lateness)) {
      return "missed: " + Diagnostics.human(Duration.between(d, now)) + " late, past the lateness limit of "
          + Diagnostics.human(lateness) + " (" + s.missedRuns().kind() + ")";
    }
    return "missed: superseded by a later occurrence" + (chosen == null ? "" : " (" + chosen + ")")
        + " under the " + s.missedRuns().kind() + " policy";
  }

  /** The newest occurrence at or before {@code now}, walking on from {@code from}. */
  private static Instant lastAtOrBefore(Schedule schedule, Instant now, Instant from) {
    Instant last = from;
    for (int i = 0; i < 1_000_000; i++) {
      Optional<Instant> next = schedule.nextAfter(last);
      if (next.isEmpty() || next.get().isAfter(now)) {
        return last;
      }
      last = next.get();
    }
    return last;
  }

  private Map<String, @Nullable Object> missedRun(ScheduleInfo info, @Nullable Instant occurrence, Instant now, String error) {
    return writes.run(null, info.job().type(), info.job().queue(), 0, Trigger.SCHEDULED, null, info.name(), occurrence,
        null, now, now, JobRun.Outcome.MISSED, error, null);
  }
}
