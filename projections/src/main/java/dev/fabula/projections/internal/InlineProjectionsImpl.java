package dev.fabula.projections.internal;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.Transaction;
import dev.fabula.internal.Fatal;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.InlineProjections;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionException;
import dev.fabula.projections.TransactionalHandler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * {@link InlineProjections}: appends, reads the appended events back in the same transaction, and
 * hands them to each projection. A {@link AppendResult#replayed() replayed} append (its events
 * were already stored, by an earlier call with the same ids) applies nothing: its events were
 * applied when they were stored.
 *
 * <p>A handler's failure fails the caller's transaction: a {@link RuntimeException} as it is;
 * anything else (a checked exception, an {@link Error} such as {@code StackOverflowError}) as a
 * {@link ProjectionException} that names the projection and the positions, with the failure as
 * its cause; a fatal error ({@code OutOfMemoryError}) as it is. Either way the append rolls back.
 */
public final class InlineProjectionsImpl implements InlineProjections {
  private final JdbcEventStore store;
  private final ProjectionSql sql;
  private final List<Projection> projections;

  private InlineProjectionsImpl(JdbcEventStore store, ProjectionSql sql, List<Projection> projections) {
    this.store = store;
    this.sql = sql;
    this.projections = projections;
  }

  /** See {@link InlineProjections#open}. */
  public static InlineProjections open(JdbcEventStore store, List<Projection> projections) {
    for (Projection p : projections) {
      if (!(p.handler() instanceof TransactionalHandler)) {
        throw new ProjectionException("inline projection " + p.id() + " must have a TransactionalHandler: it writes in "
            + "the append's transaction. Run at-least-once projections with a ProjectionRunner");
      }
    }
    ReadModelErasure readModels = new ReadModelErasure();
    readModels.add(projections);
    store.onErase(readModels);
    return new InlineProjectionsImpl(store, ProjectionSql.open(store), List.copyOf(projections));
  }

  @Override
  public AppendResult append(Transaction tx, String streamId, ExpectedVersion expected, List<EventData> events) {
    return appendAll(tx, List.of(new StreamAppend(streamId, expected, events))).get(0);
  }

  @Override
  public List<AppendResult> appendAll(Transaction tx, List<StreamAppend> appends) {
    Handle h = tx.unwrap(Handle.class);
    List<AppendResult> results = tx.appendAll(appends);
    List<RecordedEvent> written = new ArrayList<>();
    for (AppendResult r : results) {
      if (!r.replayed()) {
        written.addAll(call("reading appended events", () -> sql.inlineEvents(h, tx.tenantId(), r)));
      }
    }
    if (written.isEmpty()) {
      return results;
    }
    written.sort(Comparator.comparingLong(RecordedEvent::position));
    for (Projection p : projections) {
      List<RecordedEvent> mine = written.stream().filter(p.filter()::matches).toList();
      if (mine.isEmpty()) {
        continue;
      }
      try {
        ((TransactionalHandler) p.handler()).apply(h, mine);
      } catch (RuntimeException e) {
        throw e;
      } catch (Throwable e) {
        if (Fatal.is(e)) {
          throw (Error) e;
        }
        // A checked exception, or an Error such as StackOverflowError: the caller learns which
        // projection failed where, and the transaction (append included) rolls back.
        throw new ProjectionException("inline projection " + p.id() + " failed on positions " + mine.get(0).position()
            + ".." + mine.get(mine.size() - 1).position() + ": " + UserCode.describe(e) + "; the append is rolled back", e);
      }
    }
    return results;
  }

  private <T> T call(String action, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (org.jdbi.v3.core.JdbiException e) {
      throw sql.db().translate(e, action);
    }
  }
}
