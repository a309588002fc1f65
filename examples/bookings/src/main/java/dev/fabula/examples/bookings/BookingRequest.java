package dev.fabula.examples.bookings;

import java.time.LocalDateTime;

/**
 * A client's booking request, as it arrives at the API.
 *
 * @param staffId who is booked
 * @param slot the start of the slot ({@link BookingPlatform#SLOT_MINUTES} minutes long)
 * @param customer who books
 * @param paymentMethod a token of the customer's payment method
 * @param priceCents the price in cents
 * @param idempotencyKey the client's key: a retried request carries the same key and books once
 */
public record BookingRequest(String staffId, LocalDateTime slot, String customer, String paymentMethod,
    long priceCents, String idempotencyKey) {}
