package dev.fabula.testkit.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The event classes the contract suites append, and {@link #TYPES}, the registry every contract
 * store is opened with. Type names start with {@code contract-} so they never clash with a
 * backend's own test events.
 */
public final class ContractEvents {
  private ContractEvents() {}

  /** A sealed family, registered through the interface alone. */
  public sealed interface CartEvent permits ItemAdded, ItemRemoved, CartCheckedOut {}

  /**
   * An item was put in a cart.
   *
   * @param sku the article
   * @param quantity how many
   */
  @EventType("contract-item-added")
  public record ItemAdded(String sku, int quantity) implements CartEvent {}

  /**
   * An item was taken out of a cart.
   *
   * @param sku the article
   */
  @EventType("contract-item-removed")
  public record ItemRemoved(String sku) implements CartEvent {}

  /**
   * A cart was checked out; schema version 2.
   *
   * @param at when
   * @param total the amount due
   */
  @EventType(value = "contract-cart-checked-out", version = 2)
  public record CartCheckedOut(Instant at, BigDecimal total) implements CartEvent {}

  /**
   * Free text, for payload content tests.
   *
   * @param text the text
   */
  @EventType("contract-note")
  public record Note(String text) {}

  /**
   * Every common {@code java.time} type; schema version 3.
   *
   * @param instant an instant with nanoseconds
   * @param day a date
   * @param time a time of day
   * @param local a date and time without zone
   * @param zoned a date and time in a region zone (with daylight saving rules)
   * @param offset a date and time at a fixed offset
   * @param duration a duration
   * @param period a period
   * @param month a year and month
   * @param reference a UUID
   */
  @EventType(value = "contract-scheduled", version = 3)
  public record Scheduled(
      Instant instant,
      LocalDate day,
      LocalTime time,
      LocalDateTime local,
      ZonedDateTime zoned,
      OffsetDateTime offset,
      Duration duration,
      Period period,
      YearMonth month,
      UUID reference) {}

  /**
   * Numbers of every kind, plus collections, a nested record and a null, for exact round trips.
   *
   * @param small an int
   * @param large a long beyond the int range
   * @param ratio a double
   * @param single a float
   * @param money an amount with a significant trailing zero
   * @param precise a decimal with more digits than a double holds
   * @param huge an integer beyond the long range
   * @param flag a boolean
   * @param tags an ordered list
   * @param counts a map
   * @param nested a nested record
   * @param absent always null
   */
  @EventType("contract-numbers")
  public record Numbers(
      int small,
      long large,
      double ratio,
      float single,
      BigDecimal money,
      BigDecimal precise,
      BigInteger huge,
      boolean flag,
      List<String> tags,
      Map<String, Integer> counts,
      Nested nested,
      @Nullable String absent) {}

  /**
   * A value nested in {@link Numbers}.
   *
   * @param name a name
   * @param values some numbers
   */
  public record Nested(String name, List<Long> values) {}

  /**
   * A registered event that serialises to a JSON string instead of an object, which the store must
   * reject.
   *
   * @param value the string it serialises to
   */
  @EventType("contract-bare")
  public record Bare(@JsonValue String value) {}

  /**
   * An annotated event that is deliberately not registered in {@link #TYPES}.
   *
   * @param value anything
   */
  @EventType("contract-not-registered")
  public record NotRegistered(String value) {}

  /** The registry of every contract store: all the classes above except {@link NotRegistered}. */
  public static final EventTypes TYPES =
      EventTypes.builder()
          .register(CartEvent.class)
          .register(Note.class)
          .register(Scheduled.class)
          .register(Numbers.class)
          .register(Bare.class)
          .build();
}
