package dev.fabula.health;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JVM's own liveness: {@link #deadlocks()} reports threads deadlocked on monitors or locks
 * ({@link ThreadMXBean#findDeadlockedThreads()}), which no amount of waiting resolves. Reads no
 * database.
 */
public final class JvmHealth {
  private JvmHealth() {}

  /** Liveness, named {@code deadlocks}: {@link Status#DOWN} naming the deadlocked threads. */
  public static HealthIndicator deadlocks() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return new HealthIndicator() {
      @Override
      public String name() {
        return "deadlocks";
      }

      @Override
      public HealthCheck.Kind kind() {
        return HealthCheck.Kind.LIVENESS;
      }

      @Override
      public List<HealthCheck> check() {
        long[] ids = threads.findDeadlockedThreads();
        if (ids == null || ids.length == 0) {
          return List.of(HealthCheck.of(name(), kind(), Status.UP, "no deadlocked threads"));
        }
        String names = Arrays.stream(threads.getThreadInfo(ids))
            .filter(java.util.Objects::nonNull)
            .map(ThreadInfo::getThreadName)
            .sorted()
            .collect(Collectors.joining(", "));
        return List.of(new HealthCheck(name(), kind(), Status.DOWN,
            ids.length + " threads are deadlocked: " + names + "; restart the process (and take a thread dump first)",
            Map.of("threads", names)));
      }
    };
  }
}
