package dev.fabula.projections.internal;

import dev.fabula.RecordedEvent;
import dev.fabula.projections.AtLeastOnceHandler;
import dev.fabula.projections.ParkedEvent;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries the parked events of a projection whose retry was requested ({@code
 * Projections.retryParked}), for its {@link Worker}, before it reads new events. Worker thread only.
 *
 * <p>A stream's parked events are retried in order, each with the runner's attempts and backoff.
 * Each is read again through the store, so it arrives as the runner would deliver it now: upcast,
 * split into its parts (those the projection's filter passes), or gone if an upcaster drops it.
 * One that is applied is marked APPLIED (for a {@link TransactionalHandler}, in the transaction
 * that applies it); one whose event was erased is dismissed. The first that fails again stays
 * PARKED, and so do the later ones of its stream, so a stream is never applied out of order. A
 * retry does not move the checkpoint, but it runs under the lease ({@link Lease#lock}); for a
 * {@link TransactionalHandler}, an event dismissed meanwhile is not applied.
 */
final class ParkedRetries {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class); // the runner's log, one name for its parts

  private final ProjectionsImpl projections;
  private final ProjectionSql sql;
  private final RunnerConfig config;
  private final Projection projection;
  private final ProjectionId id;
  private final Lease lease;
  private final WorkerState state;

  ParkedRetries(ProjectionsImpl projections, RunnerConfig config, Projection projection, Lease lease, WorkerState state) {
    this.projections = projections;
    this.sql = projections.sql();
    this.config = config;
    this.projection = projection;
    this.id = projection.id();
    this.lease = lease;
    this.state = state;
  }

  /** Retries the parked events of every stream with a retry request. */
  void run() {
    SegmentSql.Shape shape = lease.shape();
    List<StreamKey> streams = sql.read("reading retry requests of " + id, h -> sql.retryStreams(h, id)).stream()
        .filter(stream -> shape == null || shape.owns(stream)) // a segment retries its own streams only
        .toList();
    for (StreamKey stream : streams) {
      List<DeadLetterRow> rows = sql.read("reading parked events of " + id, h -> sql.streamDeadLetters(h, id, stream));
      LOG.info("Projection {}: retrying {} parked events of stream {}", id, rows.size(), stream);
      for (int i = 0; i < rows.size(); i++) {
        if (!state.running() || !lease.held()) {
          return;
        }
        if (!retry(rows.get(i))) {
          for (DeadLetterRow rest : rows.subList(i + 1, rows.size())) {
            sql.write("updating a parked event of " + id, h ->
                sql.settle(h, id, rest.position(), ParkedEvent.Status.PARKED, rest.reason(), rest.attempts()));
          }
          break;
        }
      }
    }
  }

  /** Retries one parked event; returns whether it is settled (applied or gone). */
  private boolean retry(DeadLetterRow row) {
    long position = row.position();
    List<RecordedEvent> events = EventsAt.read(sql.store(), position).stream().filter(projection.filter()::matches).toList();
    if (events.isEmpty()) {
      sql.write("updating a parked event of " + id, h -> sql.settle(h, id, position, ParkedEvent.Status.DISMISSED,
          "the event is no longer in the log (its stream was erased), or no longer reads as an event this projection "
              + "handles (an upcaster drops or renames it)", row.attempts()));
      return true;
    }
    Throwable error = null;
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      if (attempt > 1) {
        state.waitFor("a retry of parked position " + position, config.backoffBefore(attempt), false);
        if (!state.running() || !lease.held()) {
          return false;
        }
      }
      int attempts = row.attempts() + attempt;
      String reason = "applied by a retry at " + Instant.now() + " after: " + row.reason();
      try {
        if (projection.handler() instanceof TransactionalHandler handler) {
          sql.write("retrying a parked event of " + id, h -> {
            lease.lock(h, state.checkpoint(), true);
            if (sql.settle(h, id, position, ParkedEvent.Status.APPLIED, reason, attempts) != 1) {
              throw new ControlFlow.Dismissed();
            }
            UserCode.invoke(() -> handler.apply(h, events));
            return null;
          });
        } else {
          AtLeastOnceHandler handler = (AtLeastOnceHandler) projection.handler();
          lease.deliver(handler, events, state.checkpoint());
          sql.write("retrying a parked event of " + id, h -> {
            lease.lock(h, state.checkpoint(), true);
            return sql.settle(h, id, position, ParkedEvent.Status.APPLIED, reason, attempts);
          });
        }
        LOG.info("Projection {}: parked event at position {} applied by a retry", id, position);
        projections.progressed();
        return true;
      } catch (ControlFlow.Dismissed d) {
        return true;
      } catch (ControlFlow.HandlerFailure f) {
        error = f.getCause();
      }
    }
    String why = UserCode.describe(error);
    int attempts = row.attempts() + config.maxAttempts();
    sql.write("updating a parked event of " + id,
        h -> sql.settle(h, id, position, ParkedEvent.Status.PARKED, why, attempts));
    LOG.warn("Projection {}: parked event at position {} failed its retry ({} attempts): {}; it stays parked", id,
        position, config.maxAttempts(), why);
    projections.progressed();
    return false;
  }
}
