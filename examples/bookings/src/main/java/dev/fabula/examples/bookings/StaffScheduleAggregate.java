package dev.fabula.examples.bookings;

import dev.fabula.Aggregate;
import dev.fabula.Decision;
import dev.fabula.examples.bookings.ScheduleEvent.SlotReleased;
import dev.fabula.examples.bookings.ScheduleEvent.SlotReserved;
import java.util.Map;
import java.util.TreeMap;

/**
 * A staff member's schedule: which booking holds which slot, and how busy the person has been. It
 * is the rule keeper against double booking (one slot, one booking), and it lives long: every
 * booking of the person adds to its stream for years, so it is loaded from a snapshot plus the few
 * events after it.
 */
public final class StaffScheduleAggregate
    implements Aggregate<StaffScheduleAggregate.Schedule, StaffScheduleAggregate.Command, ScheduleEvent> {

  /**
   * The schedule.
   *
   * @param slots slot (ISO local date-time) to the booking holding it
   * @param reservations slots ever reserved
   * @param releases slots ever released
   * @param bookedMinutes minutes currently booked: the utilisation figure
   */
  public record Schedule(Map<String, String> slots, long reservations, long releases, long bookedMinutes) {
    /** Copies the map, sorted. */
    public Schedule {
      slots = java.util.Collections.unmodifiableMap(new TreeMap<>(slots));
    }
  }

  /** What a booking asks of a schedule. */
  public sealed interface Command {}

  /** Hold a slot for a booking. */
  public record Reserve(String staffId, String slot, String bookingId, int minutes) implements Command {}

  /** Give a booking's slot back. */
  public record Release(String staffId, String slot, String bookingId) implements Command {}

  @Override
  public String category() {
    return "schedule";
  }

  @Override
  public Class<Schedule> stateType() {
    return Schedule.class;
  }

  @Override
  public Class<ScheduleEvent> eventType() {
    return ScheduleEvent.class;
  }

  @Override
  public Schedule initialState() {
    return new Schedule(Map.of(), 0, 0, 0);
  }

  @Override
  public Schedule evolve(Schedule state, ScheduleEvent event) {
    Map<String, String> slots = new TreeMap<>(state.slots());
    if (event instanceof SlotReserved r) {
      slots.put(r.slot(), r.bookingId());
      return new Schedule(slots, state.reservations() + 1, state.releases(), state.bookedMinutes() + r.minutes());
    }
    if (event instanceof SlotReleased r) {
      slots.remove(r.slot());
      return new Schedule(slots, state.reservations(), state.releases() + 1, state.bookedMinutes() - r.minutes());
    }
    throw new IllegalArgumentException("unknown schedule event " + event);
  }

  @Override
  public Decision<ScheduleEvent> decide(Schedule state, Command command) {
    if (command instanceof Reserve r) {
      String holder = state.slots().get(r.slot());
      if (holder == null) {
        return Decision.accept(new SlotReserved(r.staffId(), r.slot(), r.bookingId(), r.minutes()));
      }
      return holder.equals(r.bookingId())
          ? Decision.accept() // the same booking again: already held
          : Decision.reject("slot-taken", r.staffId() + " is already booked at " + r.slot());
    }
    if (command instanceof Release r) {
      if (!r.bookingId().equals(state.slots().get(r.slot()))) {
        return Decision.accept(); // released before, or never held: nothing to do
      }
      return Decision.accept(new SlotReleased(r.staffId(), r.slot(), r.bookingId(), BookingPlatform.SLOT_MINUTES));
    }
    throw new IllegalArgumentException("unknown schedule command " + command);
  }
}
