package dev.fabula.projections;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamAppend;
import dev.fabula.Transaction;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.internal.InlineProjectionsImpl;
import java.util.List;

/**
 * Inline projections: applied in the same transaction as the append, so a reader sees the read
 * model and the events change together (read-your-writes without waiting). A handler that throws
 * rolls the append back.
 *
 * <pre>{@code
 * InlineProjections inline = InlineProjections.open(store, List.of(orderTotals));
 * store.inTransaction(tx -> inline.append(tx, "order-7", ExpectedVersion.noStream(), events));
 * }</pre>
 *
 * <p>Appends made without this class (or by other processes) do not reach inline projections: if
 * every writer cannot go through it, use an asynchronous projection and {@link
 * Projections#awaitPosition}. An idempotent retry of an append (the same event ids) writes nothing
 * and applies nothing. To build an inline read model over existing events, replay them once with
 * a {@link ProjectionRunner} before writers switch to this class. Thread-safe.
 */
public interface InlineProjections {

  /**
   * Inline projections on {@code store}; each must have a {@link TransactionalHandler} (their
   * filters apply; versions, batch sizes, failure policies and reset hooks are not used).
   *
   * @throws ProjectionException if a projection's handler is not transactional
   */
  static InlineProjections open(JdbcEventStore store, List<Projection> projections) {
    return InlineProjectionsImpl.open(store, projections);
  }

  /**
   * Appends in {@code tx}, as {@link Transaction#append}, then applies the inline projections to
   * the appended events in the same transaction.
   */
  AppendResult append(Transaction tx, String streamId, ExpectedVersion expected, List<EventData> events);

  /**
   * Appends to several streams in {@code tx}, as {@link Transaction#appendAll}, then applies the
   * inline projections to all appended events, in position order, in the same transaction.
   */
  List<AppendResult> appendAll(Transaction tx, List<StreamAppend> appends);
}
