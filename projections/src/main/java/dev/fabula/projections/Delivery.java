package dev.fabula.projections;

/**
 * The answer of the delivery audit: what became of the event at {@code position} for a projection
 * version, and why ({@link Projections#delivery}).
 *
 * @param projection the projection version
 * @param position the global position asked about
 * @param state what became of it
 * @param reason why, in words (the checkpoint, the filter, the error, the dismissal reason…)
 */
public record Delivery(ProjectionId projection, long position, DeliveryState state, String reason) {}
