package dev.fabula.migration.internal;

import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.RawEvent;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.MigrationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Copies one tenant's events from a source database to a target, as stored (no upcasting, no
 * decryption): each event keeps its id, stream, version, type, payload and metadata, and the
 * tenant's events are appended in the source's position order, so each stream's order (and the
 * tenant's order across streams) is kept. Positions and recording times are the target's own.
 *
 * <p>The copy remembers the last source position copied. It starts after the source position of
 * the newest event of the tenant the target holds ({@link #resume}), so a move that stopped
 * half-way (or a tenant moving back to a database that holds its older events) copies only what
 * is missing. Each batch is one transaction of the target that passes the tenant's {@code in}
 * fence there.
 */
public final class TenantCopy {
  private final String tenant;
  private final ComponentDatabase source;
  private final JdbcEventStore target;
  private final ComponentDatabase targetDb;
  private final int batchSize;
  private long copiedUpTo;

  /** A copy of {@code tenant} from {@code source} to {@code target}. */
  public TenantCopy(String tenant, ComponentDatabase source, JdbcEventStore target, ComponentDatabase targetDb, int batchSize) {
    this.tenant = tenant;
    this.source = source;
    this.target = target;
    this.targetDb = targetDb;
    this.batchSize = batchSize;
  }

  /**
   * Sets where the copy starts: after the source position of the target's newest event of the
   * tenant, among the streams the source still has (a stream erased or hard-deleted in the source
   * since it was copied no longer counts: the move deletes it in the target before its parity check).
   */
  public long resume() {
    Optional<RecordedEvent> last = lastEvent(targetDb);
    if (last.isEmpty()) {
      copiedUpTo = 0;
      return 0;
    }
    List<RecordedEvent> inSource = source.read("finding where a tenant's copy stopped",
        h -> source.findEvents(h, tenant, List.of(last.get().eventId())));
    if (inSource.isEmpty()) {
      // Its stream may have been erased or hard-deleted in the source since it was copied: resume
      // after the newest copied event of a stream the source still has.
      List<String> streams = source.read("listing a tenant's streams", h -> h.createQuery(source.sql("tenant_streams"))
          .bind("tenant_id", tenant).mapTo(String.class).list());
      Optional<RecordedEvent> kept = targetDb.read("reading a tenant's newest copied event", h -> {
        var query = h.createQuery(targetDb.sql("tenant_last_event_in")).bind("tenant_id", tenant);
        targetDb.bindStrings(query, "stream_ids", streams);
        return query.map(targetDb.events()).findOne();
      });
      if (kept.isEmpty()) {
        copiedUpTo = 0;
        return 0;
      }
      RecordedEvent newest = kept.get();
      inSource = source.read("finding where a tenant's copy stopped", h -> source.findEvents(h, tenant, List.of(newest.eventId())));
    }
    if (inSource.isEmpty()) {
      throw new MigrationException("the target database already holds events of the tenant that the source does not "
          + "(its newest, " + last.get().eventId() + ", is not in the source): the tenant was written in the target by "
          + "something other than this move; move it from the database that holds all its events");
    }
    copiedUpTo = inSource.get(0).position();
    return copiedUpTo;
  }

  /** The last source position copied. */
  public long copiedUpTo() {
    return copiedUpTo;
  }

  /** The source position of the tenant's newest event, whether committed or not (0: none). */
  public long sourceLastPosition() {
    return lastEvent(source).map(RecordedEvent::position).orElse(0L);
  }

  private Optional<RecordedEvent> lastEvent(ComponentDatabase db) {
    return db.read("reading a tenant's newest event", h -> h.createQuery(db.sql("tenant_last_event"))
        .bind("tenant_id", tenant).map(db.events()).findOne());
  }

  /**
   * Copies the tenant's events after {@link #copiedUpTo} and at or below {@code upTo}, a position
   * at or below which every event of the tenant has committed.
   *
   * @param afterBatch told the events copied by this call so far, after each batch commits
   * @return the number of events copied
   */
  public long copyUpTo(long upTo, java.util.function.LongConsumer afterBatch) {
    long copied = 0;
    while (true) {
      long after = copiedUpTo;
      List<RecordedEvent> batch = source.read("reading a tenant's events to copy", h -> h.createQuery(source.sql("tenant_events_after"))
          .bind("tenant_id", tenant).bind("after", after).bind("up_to", upTo).bind("limit", batchSize)
          .map(source.events()).list());
      if (batch.isEmpty()) {
        return copied;
      }
      List<List<StreamAppend>> appends = appends(batch);
      target.inTransaction(tx -> {
        TenantFences.bypass(targetDb, tx.unwrap(Handle.class), tenant);
        for (List<StreamAppend> group : appends) {
          tx.forTenant(tenant).appendAll(group);
        }
        return null;
      });
      copiedUpTo = batch.get(batch.size() - 1).position();
      copied += batch.size();
      afterBatch.accept(copied);
    }
  }

  /**
   * The batch as appends, one per run of consecutive events of one stream, each at its version; a
   * new group of appends whenever a stream comes back (one appendAll names a stream once).
   */
  private static List<List<StreamAppend>> appends(List<RecordedEvent> batch) {
    List<List<StreamAppend>> groups = new ArrayList<>();
    List<StreamAppend> group = new ArrayList<>();
    java.util.Set<String> streams = new java.util.HashSet<>();
    int start = 0;
    for (int i = 1; i <= batch.size(); i++) {
      if (i < batch.size() && batch.get(i).streamId().equals(batch.get(start).streamId())) {
        continue;
      }
      RecordedEvent first = batch.get(start);
      if (!streams.add(first.streamId())) {
        groups.add(group);
        group = new ArrayList<>();
        streams.clear();
        streams.add(first.streamId());
      }
      List<EventData> run = new ArrayList<>();
      for (RecordedEvent e : batch.subList(start, i)) {
        run.add(new EventData(e.eventId(), new RawEvent(e.type(), e.schemaVersion(), e.payload()), e.metadata()));
      }
      group.add(new StreamAppend(first.streamId(), ExpectedVersion.exactly(first.streamVersion() - 1), run));
      start = i;
    }
    groups.add(group);
    return groups;
  }
}
