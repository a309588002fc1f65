package dev.fabula.examples.bookings;

import dev.fabula.EventType;

/**
 * What happens to a staff member's schedule, stored in {@code schedule-<tenant>:<staffId>}: a long-lived
 * stream (every booking of that person adds to it), loaded through snapshots.
 */
public sealed interface ScheduleEvent {

  /** A slot was given to a booking. */
  @EventType("slot-reserved")
  record SlotReserved(String staffId, String slot, String bookingId, int minutes) implements ScheduleEvent {}

  /** A booking gave its slot back (it was cancelled). */
  @EventType("slot-released")
  record SlotReleased(String staffId, String slot, String bookingId, int minutes) implements ScheduleEvent {}
}
