package dev.fabula.jdbc.internal;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.TenantAccessException;
import dev.fabula.TenantMovingException;
import dev.fabula.TransactionCallback;
import dev.fabula.jdbc.TenantPlacement;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's view of a {@link TenantRouter}: every call goes to the tenant view of the store of
 * the database the directory places the tenant in.
 *
 * <p>Writes that meet the tenant's move fence ({@link TenantMovingException}: nothing was written)
 * wait for the move to switch, polling the directory until its placement leaves the fenced
 * database or {@code fenceWait} passes, and then run once more on the new database. Units of work
 * are not run again (their callback may have done other things): they fail with the exception.
 */
final class RoutedTenant implements EventStore {
  /** How often a write waiting for a move reads the directory. */
  private static final long POLL_MILLIS = 20;

  private final TenantRouter router;
  private final String tenant;

  RoutedTenant(TenantRouter router, String tenant) {
    this.router = router;
    this.tenant = tenant;
  }

  private EventStore here() {
    return router.storeOf(router.placement(tenant)).forTenant(tenant);
  }

  /** Runs a write, and once more on the new database if the old one fenced it (see the class comment). */
  private <T> T write(Function<EventStore, T> op) {
    TenantPlacement placed = router.placement(tenant);
    try {
      return op.apply(router.storeOf(placed).forTenant(tenant));
    } catch (TenantMovingException fenced) {
      long deadline = System.nanoTime() + router.routing().fenceWait().toNanos();
      while (true) {
        router.refresh(tenant);
        TenantPlacement now = router.placement(tenant);
        if (!now.database().equals(placed.database())) {
          return op.apply(router.storeOf(now).forTenant(tenant));
        }
        if (System.nanoTime() - deadline > 0) {
          throw new TenantMovingException("tenant '" + tenant + "' is being moved out of database '" + placed.database()
              + "' and the move did not switch within " + router.routing().fenceWait().toMillis()
              + " ms (TenantRoutingConfig.fenceWait); nothing was written: retry later, and check the move "
              + "(a move that stopped half-way keeps the fence until it is run again or abandoned)", fenced);
        }
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw fenced;
        }
      }
    }
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
    return write(s -> s.append(streamId, expected, events));
  }

  @Override
  public List<AppendResult> appendAll(List<StreamAppend> appends) {
    return write(s -> s.appendAll(appends));
  }

  @Override
  public List<RecordedEvent> readStream(String streamId, StreamRead read) {
    return here().readStream(streamId, read);
  }

  @Override
  public Stream<RecordedEvent> readAll(LogQuery query) {
    return here().readAll(query);
  }

  @Override
  public Optional<StreamInfo> streamInfo(String streamId) {
    return here().streamInfo(streamId);
  }

  @Override
  public long headPosition() {
    return here().headPosition();
  }

  @Override
  public void deleteStream(String streamId, ExpectedVersion expected) {
    write(s -> {
      s.deleteStream(streamId, expected);
      return null;
    });
  }

  @Override
  public void hardDeleteStream(String streamId) {
    write(s -> {
      s.hardDeleteStream(streamId);
      return null;
    });
  }

  @Override
  public boolean forgetSubject(String subjectId) {
    return write(s -> s.forgetSubject(subjectId));
  }

  @Override
  public dev.fabula.ErasureRecord erase(dev.fabula.Erasure erasure) {
    return write(s -> s.erase(erasure));
  }

  @Override
  public List<dev.fabula.ErasureRecord> erasures() {
    return here().erasures();
  }

  @Override
  public List<dev.fabula.ErasureRecord> erasuresOf(dev.fabula.Erasure target) {
    return here().erasuresOf(target);
  }

  @Override
  public void rotateSubjectKey(String subjectId) {
    here().rotateSubjectKey(subjectId);
  }

  @Override
  public EventStore forTenant(String tenantId) {
    if (tenantId == null || !tenantId.equals(tenant)) {
      throw new TenantAccessException(tenant, String.valueOf(tenantId));
    }
    return this;
  }

  @Override
  public @Nullable String tenantId() {
    return tenant;
  }

  @Override
  public <R, X extends Exception> R inTransaction(TransactionCallback<R, X> work) throws X {
    if (work == null) {
      throw new InvalidInputException("work must not be null");
    }
    try {
      return here().inTransaction(work);
    } catch (TenantMovingException fenced) {
      router.refresh(tenant);
      throw fenced;
    }
  }

  @Override
  public EventTypes types() {
    return router.types();
  }

  @Override
  public void close() {}
}
