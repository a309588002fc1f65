package dev.fabula.scheduler.internal;

import dev.fabula.scheduler.ConcurrencyLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * A snapshot of the controls table. Pools cache one for at most a poll interval, to choose the
 * claim statement; the claim statements read the table themselves, so a stale snapshot never
 * lets a paused or limited job through.
 */
record Controls(boolean killSwitch, Set<String> pausedQueues, Set<String> pausedTypes, List<ConcurrencyLimit> limits) {

  static Controls read(Handle h, Db db) {
    boolean[] kill = {false};
    Set<String> queues = new TreeSet<>();
    Set<String> types = new TreeSet<>();
    List<ConcurrencyLimit> limits = new ArrayList<>();
    h.createQuery(db.sql.get("controls")).map((rs, ctx) -> {
      ConcurrencyLimit.Scope scope = ConcurrencyLimit.Scope.ofCode(rs.getString("scope"));
      String name = rs.getString("name");
      if (rs.getBoolean("paused")) {
        switch (scope) {
          case OVERALL -> kill[0] = true;
          case QUEUE -> queues.add(name);
          case JOB_TYPE -> types.add(name);
        }
      }
      int max = rs.getInt("max_running");
      if (!rs.wasNull()) {
        limits.add(new ConcurrencyLimit(scope, name, max));
      }
      return name;
    }).list();
    return new Controls(kill[0], Set.copyOf(queues), Set.copyOf(types), List.copyOf(limits));
  }

  boolean anyLimit() {
    return !limits.isEmpty();
  }
}
