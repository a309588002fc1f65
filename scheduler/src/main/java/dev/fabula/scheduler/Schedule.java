package dev.fabula.scheduler;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.fabula.InvalidInputException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * When a recurring job runs: a {@link Recurrence} read in a time zone, with a policy for missed
 * runs, for daylight-saving gaps, and an optional lateness limit. Immutable:
 *
 * <pre>{@code
 * Schedule.dailyAt(LocalTime.of(2, 30)).inZone("America/New_York")
 * Schedule.every(Duration.ofMinutes(15))
 * Schedule.weeklyAt(DayOfWeek.MONDAY, LocalTime.of(9, 0)).inZone("Europe/Berlin")
 * Schedule.cron("0 6 * * 1-5").inZone("Europe/Berlin").withMissedRuns(MissedRunPolicy.skip())
 * }</pre>
 *
 * <p>The zone is UTC unless set; the JVM's default zone is never used. Local times are resolved
 * in the zone with the rules of {@link DstPolicy}: a time that happens twice runs once, at the
 * first instant; a time that does not exist follows {@link #dstPolicy()}.
 *
 * @param recurrence when it recurs
 * @param zone the time zone of local times (daily, weekly, cron)
 * @param missedRuns what to do with occurrences that could not run on time
 * @param dstPolicy what to do with local times that do not exist
 * @param latenessLimit how late an occurrence may still start; later ones are missed. Null for
 *     no limit (but {@link MissedRunPolicy.Kind#SKIP} then uses {@link MissedRunPolicy#SKIP_GRACE})
 */
public record Schedule(
    Recurrence recurrence, ZoneId zone, MissedRunPolicy missedRuns, DstPolicy dstPolicy, @Nullable Duration latenessLimit) {

  private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final java.util.Map<String, ExecutionTime> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

  /** Validates every value. */
  public Schedule {
    if (recurrence == null || zone == null || missedRuns == null || dstPolicy == null) {
      throw new InvalidInputException("a schedule needs a recurrence, a zone, a missed-run policy and a DST policy");
    }
    if (latenessLimit != null && (latenessLimit.isNegative() || latenessLimit.isZero())) {
      throw new InvalidInputException("the lateness limit must be positive but was " + latenessLimit);
    }
  }

  /** Runs once, at {@code at}. */
  public static Schedule once(Instant at) {
    return of(new Once(at));
  }

  /**
   * Runs every {@code interval} (at least a second) at the multiples of the interval since the
   * Unix epoch: every 15 minutes is :00, :15, :30, :45 UTC. Absolute time: daylight saving does
   * not move it. Use {@link #cron} for other alignments.
   */
  public static Schedule every(Duration interval) {
    return of(new Every(interval));
  }

  /** Runs every day at {@code time} in the schedule's zone. */
  public static Schedule dailyAt(LocalTime time) {
    return of(new DailyAt(time));
  }

  /** Runs every week on {@code day} at {@code time} in the schedule's zone. */
  public static Schedule weeklyAt(DayOfWeek day, LocalTime time) {
    return of(new WeeklyAt(day, time));
  }

  /**
   * Runs at the local times a Unix cron expression matches (five fields: minute, hour, day of
   * month, month, day of week), in the schedule's zone.
   *
   * @throws InvalidInputException if the expression is not valid
   */
  public static Schedule cron(String expression) {
    return of(new CronExpression(expression));
  }

  private static Schedule of(Recurrence recurrence) {
    return new Schedule(recurrence, ZoneOffset.UTC, MissedRunPolicy.runOnce(), DstPolicy.RUN_AT_NEXT_VALID_TIME, null);
  }

  /** Returns a copy in another time zone. */
  public Schedule inZone(ZoneId value) {
    return new Schedule(recurrence, value, missedRuns, dstPolicy, latenessLimit);
  }

  /**
   * Returns a copy in the zone named {@code zoneId}, such as {@code Europe/Berlin}.
   *
   * @throws InvalidInputException if there is no such zone
   */
  public Schedule inZone(String zoneId) {
    try {
      return inZone(ZoneId.of(zoneId));
    } catch (DateTimeException | NullPointerException e) {
      throw new InvalidInputException("'" + zoneId + "' is not a time zone; use a region id such as \"Europe/Berlin\" or \"UTC\"");
    }
  }

  /** Returns a copy with another missed-run policy. */
  public Schedule withMissedRuns(MissedRunPolicy value) {
    return new Schedule(recurrence, zone, value, dstPolicy, latenessLimit);
  }

  /** Returns a copy with another DST policy. */
  public Schedule withDstPolicy(DstPolicy value) {
    return new Schedule(recurrence, zone, missedRuns, value, latenessLimit);
  }

  /** Returns a copy with a lateness limit (null: none). */
  public Schedule withLatenessLimit(@Nullable Duration value) {
    return new Schedule(recurrence, zone, missedRuns, dstPolicy, value);
  }

  /** The lateness past which an occurrence is missed, or null for none. */
  public @Nullable Duration effectiveLatenessLimit() {
    if (latenessLimit == null && missedRuns.kind() == MissedRunPolicy.Kind.SKIP) {
      return MissedRunPolicy.SKIP_GRACE;
    }
    return latenessLimit;
  }

  /** The first occurrence for a schedule created at {@code now}: {@link Once} its instant, else the next after now. */
  public Optional<Instant> firstAt(Instant now) {
    if (recurrence instanceof Once once) {
      return Optional.of(once.at());
    }
    return nextAfter(now);
  }

  /**
   * The first occurrence strictly after {@code after}, or empty when there is none (a {@link
   * Once} that has passed, a cron expression that never matches).
   */
  public Optional<Instant> nextAfter(Instant after) {
    if (recurrence instanceof Once once) {
      return once.at().isAfter(after) ? Optional.of(once.at()) : Optional.empty();
    }
    if (recurrence instanceof Every every) {
      long step = every.interval().getSeconds();
      long seconds = Math.floorDiv(after.getEpochSecond(), step) * step + step;
      return Optional.of(Instant.ofEpochSecond(seconds));
    }
    return nextLocal(after);
  }

  /**
   * Walks the local times the recurrence matches after {@code after}'s local time, resolving
   * each in the zone, until one lies strictly after {@code after}: a second pass through a
   * repeated hour resolves to instants already passed (the first offset), so it never runs twice.
   */
  private Optional<Instant> nextLocal(Instant after) {
    ZoneRules rules = zone.getRules();
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    for (int i = 0; i < 10_000; i++) {
      Optional<LocalDateTime> candidate = recurrence.nextLocal(local);
      if (candidate.isEmpty()) {
        return Optional.empty();
      }
      local = candidate.get();
      Instant resolved = resolve(rules, local);
      if (resolved != null && resolved.isAfter(after)) {
        return Optional.of(resolved);
      }
    }
    return Optional.empty();
  }

  /** The instant of a local time: the earlier offset in an overlap; the gap's end, or null, in a gap. */
  private @Nullable Instant resolve(ZoneRules rules, LocalDateTime local) {
    var offsets = rules.getValidOffsets(local);
    if (!offsets.isEmpty()) {
      return local.toInstant(offsets.get(0));
    }
    if (dstPolicy == DstPolicy.SKIP) {
      return null;
    }
    ZoneOffsetTransition gap = rules.getTransition(local);
    return gap.getInstant();
  }

  /** Reads a recurrence back from its stored kind and text. */
  public static Recurrence parse(String kind, String text) {
    return switch (kind) {
      case "once" -> new Once(Instant.parse(text));
      case "every" -> new Every(Duration.parse(text));
      case "daily" -> new DailyAt(LocalTime.parse(text));
      case "weekly" -> {
        String[] parts = text.split(" ", 2);
        yield new WeeklyAt(DayOfWeek.valueOf(parts[0]), LocalTime.parse(parts[1]));
      }
      case "cron" -> new CronExpression(text);
      default -> throw new InvalidInputException("unknown recurrence kind '" + kind + "' in the schedules table");
    };
  }

  /** When a schedule recurs. */
  public sealed interface Recurrence permits Once, Every, DailyAt, WeeklyAt, CronExpression {
    /** The stored kind: once, every, daily, weekly or cron. */
    String kind();

    /** The stored text, read back by {@link Schedule#parse}. */
    String text();

    /** The first matching local time strictly after {@code after}; unused for absolute recurrences. */
    default Optional<LocalDateTime> nextLocal(LocalDateTime after) {
      return Optional.empty();
    }
  }

  /** Once, at an instant. @param at the instant */
  public record Once(Instant at) implements Recurrence {
    /** Validates the instant. */
    public Once {
      if (at == null) {
        throw new InvalidInputException("a one-time schedule needs an instant");
      }
    }

    @Override
    public String kind() {
      return "once";
    }

    @Override
    public String text() {
      return at.toString();
    }
  }

  /** Every interval, aligned to the Unix epoch. @param interval whole seconds, at least one */
  public record Every(Duration interval) implements Recurrence {
    /** Validates the interval. */
    public Every {
      if (interval == null || interval.getSeconds() < 1 || interval.getNano() != 0) {
        throw new InvalidInputException("a schedule interval must be a whole number of seconds, at least 1, but was " + interval);
      }
    }

    @Override
    public String kind() {
      return "every";
    }

    @Override
    public String text() {
      return interval.toString();
    }
  }

  /** Daily at a local time. @param time the local time (whole minutes or seconds) */
  public record DailyAt(LocalTime time) implements Recurrence {
    /** Validates the time. */
    public DailyAt {
      if (time == null) {
        throw new InvalidInputException("a daily schedule needs a time of day");
      }
      time = time.truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public String kind() {
      return "daily";
    }

    @Override
    public String text() {
      return time.toString();
    }

    @Override
    public Optional<LocalDateTime> nextLocal(LocalDateTime after) {
      LocalDateTime today = after.toLocalDate().atTime(time);
      return Optional.of(today.isAfter(after) ? today : today.plusDays(1));
    }
  }

  /** Weekly on a day at a local time. @param day the day @param time the local time */
  public record WeeklyAt(DayOfWeek day, LocalTime time) implements Recurrence {
    /** Validates the day and time. */
    public WeeklyAt {
      if (day == null || time == null) {
        throw new InvalidInputException("a weekly schedule needs a day of the week and a time of day");
      }
      time = time.truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public String kind() {
      return "weekly";
    }

    @Override
    public String text() {
      return day + " " + time;
    }

    @Override
    public Optional<LocalDateTime> nextLocal(LocalDateTime after) {
      LocalDateTime candidate = after.toLocalDate().with(TemporalAdjusters.nextOrSame(day)).atTime(time);
      return Optional.of(candidate.isAfter(after) ? candidate : candidate.plusWeeks(1));
    }
  }

  /**
   * A Unix cron expression, parsed by cron-utils.
   *
   * @param expression five fields: minute, hour, day of month, month, day of week
   */
  public record CronExpression(String expression) implements Recurrence {
    /** Parses and validates the expression. */
    public CronExpression {
      if (expression == null || expression.isBlank()) {
        throw new InvalidInputException("a cron expression must not be blank");
      }
      expression = expression.strip();
      executionTime(expression);
    }

    @Override
    public String kind() {
      return "cron";
    }

    @Override
    public String text() {
      return expression;
    }

    private static ExecutionTime executionTime(String expression) {
      try {
        return PARSED.computeIfAbsent(expression, e -> ExecutionTime.forCron(CRON.parse(e).validate()));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("'" + expression + "' is not a valid cron expression (" + e.getMessage()
            + "); use five fields: minute hour day-of-month month day-of-week, such as \"30 2 * * *\"");
      }
    }

    /** Local times are matched in a zone without daylight saving (UTC), then resolved by the schedule. */
    @Override
    public Optional<LocalDateTime> nextLocal(LocalDateTime after) {
      ZonedDateTime asUtc = after.atZone(ZoneOffset.UTC);
      return executionTime(expression).nextExecution(asUtc).map(ZonedDateTime::toLocalDateTime);
    }
  }
}
