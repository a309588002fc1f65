package dev.fabula.scheduler;

import dev.fabula.InvalidInputException;

/**
 * The most jobs that may run at once in a scope, counted across every process that shares the
 * database. Set with {@link JobQueue#setConcurrencyLimit}; stored in the database.
 *
 * <pre>{@code
 * queue.setConcurrencyLimit(ConcurrencyLimit.overall(5));
 * queue.setConcurrencyLimit(ConcurrencyLimit.ofJobType("render-pdf", 2));
 * }</pre>
 *
 * @param scope what is limited
 * @param name the queue or job type; {@code *} for {@link Scope#OVERALL}
 * @param maxRunning the most running jobs, 0 or more (0 stops the scope, like a pause)
 */
public record ConcurrencyLimit(Scope scope, String name, int maxRunning) {

  /** What a limit or a pause applies to. */
  public enum Scope {
    /** Every job. */
    OVERALL,
    /** The jobs of one queue. */
    QUEUE,
    /** The jobs of one type. */
    JOB_TYPE;

    /** The database spelling. */
    public String code() {
      return switch (this) {
        case OVERALL -> "global";
        case QUEUE -> "queue";
        case JOB_TYPE -> "type";
      };
    }

    /** Reads the database spelling. */
    public static Scope ofCode(String code) {
      return switch (code) {
        case "global" -> OVERALL;
        case "queue" -> QUEUE;
        case "type" -> JOB_TYPE;
        default -> throw new IllegalArgumentException("unknown scope '" + code + "'");
      };
    }
  }

  /** Validates the values. */
  public ConcurrencyLimit {
    if (scope == null) {
      throw new InvalidInputException("a concurrency limit needs a scope");
    }
    if (scope == Scope.OVERALL) {
      if (!"*".equals(name)) {
        throw new InvalidInputException("the overall limit is named '*' but was given '" + name + "'");
      }
    } else {
      name = JobRequest.name(scope == Scope.QUEUE ? "queue" : "job type", name, 200);
    }
    if (maxRunning < 0) {
      throw new InvalidInputException("maxRunning must be 0 or more but was " + maxRunning);
    }
  }

  /** At most {@code maxRunning} jobs in all. */
  public static ConcurrencyLimit overall(int maxRunning) {
    return new ConcurrencyLimit(Scope.OVERALL, "*", maxRunning);
  }

  /** At most {@code maxRunning} jobs of queue {@code queue}. */
  public static ConcurrencyLimit ofQueue(String queue, int maxRunning) {
    return new ConcurrencyLimit(Scope.QUEUE, queue, maxRunning);
  }

  /** At most {@code maxRunning} jobs of type {@code type}. */
  public static ConcurrencyLimit ofJobType(String type, int maxRunning) {
    return new ConcurrencyLimit(Scope.JOB_TYPE, type, maxRunning);
  }
}
