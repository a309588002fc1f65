package dev.fabula.scheduler;

import dev.fabula.InvalidInputException;

/**
 * How urgent a job is: workers claim higher values first, then earlier run times. The four named
 * levels cover most needs; any number in [{@value #MIN}, {@value #MAX}] is allowed.
 *
 * @param value the priority; higher runs first
 */
public record Priority(int value) {

  /** The lowest accepted value. */
  public static final int MIN = -1_000_000;
  /** The highest accepted value. */
  public static final int MAX = 1_000_000;

  /** 100: ahead of everything else (paging someone, releasing a payment hold). */
  public static final Priority CRITICAL = new Priority(100);
  /** 75: user-visible work. */
  public static final Priority HIGH = new Priority(75);
  /** 50: the default. */
  public static final Priority MEDIUM = new Priority(50);
  /** 25: background work (reports, clean-ups). */
  public static final Priority LOW = new Priority(25);

  /** Validates the range. */
  public Priority {
    if (value < MIN || value > MAX) {
      throw new InvalidInputException("priority must be between " + MIN + " and " + MAX + " but was " + value);
    }
  }

  /** The priority {@code value}. */
  public static Priority of(int value) {
    return new Priority(value);
  }

  @Override
  public String toString() {
    return switch (value) {
      case 100 -> "CRITICAL";
      case 75 -> "HIGH";
      case 50 -> "MEDIUM";
      case 25 -> "LOW";
      default -> Integer.toString(value);
    };
  }
}
