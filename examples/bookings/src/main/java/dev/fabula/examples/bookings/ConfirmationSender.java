package dev.fabula.examples.bookings;

import dev.fabula.examples.bookings.BookingEvent.BookingRequested;

/** Tells the customer their booking is final (mail, SMS, calendar invite): the saga's last step. */
@FunctionalInterface
public interface ConfirmationSender {

  /**
   * Sends the confirmation of {@code booking}.
   *
   * @throws RuntimeException when it could not be sent (the saga retries, then compensates)
   */
  void send(String tenant, BookingRequested booking);
}
