/**
 * Projections: read models built from the event store's global log.
 *
 * <p>Three lifecycles. <b>Inline</b> ({@link dev.fabula.projections.InlineProjections}): applied
 * in the appending transaction, for read-your-writes. <b>Async</b> ({@link
 * dev.fabula.projections.ProjectionRunner}): a background runner per process catches up from a
 * checkpoint and follows the log live; one process at a time holds each projection's lease.
 * <b>Live</b> ({@link dev.fabula.projections.LiveProjection}): in memory, rebuilt from the log at
 * start-up.
 *
 * <p>Start with {@link dev.fabula.projections.Projection} and {@link
 * dev.fabula.projections.Projections}.
 */
@NullMarked
package dev.fabula.projections;

import org.jspecify.annotations.NullMarked;
