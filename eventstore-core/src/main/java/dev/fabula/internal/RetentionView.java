package dev.fabula.internal;

import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.RemovedRange;
import dev.fabula.Retention;
import dev.fabula.RetentionPolicy;
import dev.fabula.StreamInfo;
import dev.fabula.spi.Backend;
import dev.fabula.spi.RetentionStorage;
import dev.fabula.spi.Snapshot;
import dev.fabula.spi.SnapshotStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Retention} for one tenant view: turns policies into the backend's cuts, one stream at a
 * time (each stream in a transaction of its own, so a long category run never holds a lock for
 * long), and reads archived streams through the view's decoding ({@code opened}).
 */
final class RetentionView implements Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private final Backend backend;
  private final RetentionStorage storage;
  private final @Nullable String tenant;
  private final UnaryOperator<List<RecordedEvent>> opened;
  private final UnaryOperator<LogQuery> confined;

  RetentionView(Backend backend, RetentionStorage storage, @Nullable String tenant, UnaryOperator<List<RecordedEvent>> opened,
      UnaryOperator<LogQuery> confined) {
    this.backend = backend;
    this.storage = storage;
    this.tenant = tenant;
    this.opened = opened;
    this.confined = confined;
  }

  @Override
  public Optional<RemovedRange> truncateBefore(String streamId, long beforeVersion, SnapshotStore snapshots) {
    String id = Validation.streamId(streamId);
    if (beforeVersion < 2) {
      throw new InvalidInputException("truncateBefore needs a version of 2 or more (versions start at 1) but had " + beforeVersion);
    }
    if (snapshots == null) {
      throw new InvalidInputException("truncateBefore needs the snapshot store that covers the stream");
    }
    long covered = snapshots.load(tenant, id).map(Snapshot::version).orElse(0L);
    if (covered < beforeVersion - 1) {
      throw new InvalidInputException("cannot truncate stream '" + id + "' before version " + beforeVersion + ": "
          + (covered == 0 ? "it has no snapshot" : "its snapshot is at version " + covered)
          + ", and aggregates could no longer load; save a snapshot at version " + (beforeVersion - 1) + " or later first");
    }
    return storage.truncate(tenant, id, new RetentionStorage.BeforeVersion(beforeVersion));
  }

  @Override
  public List<RemovedRange> apply(RetentionPolicy policy) {
    if (policy == null) {
      throw new InvalidInputException("policy must not be null");
    }
    List<String> streams = policy.streamId() != null
        ? List.of(Validation.streamId(policy.streamId()))
        : storage.streamsOf(tenant, policy.category());
    Instant now = backend.config().clock().instant();
    List<RemovedRange> removed = new ArrayList<>();
    for (String streamId : streams) {
      Optional<RetentionStorage.Cut> cut = cut(policy.rule(), streamId, now);
      cut.flatMap(c -> storage.truncate(tenant, streamId, c)).ifPresent(removed::add);
    }
    LOG.info("Retention {} on {} stream(s){}: {} removal(s), {} event(s)", describe(policy.rule()), streams.size(),
        policy.category() != null ? " of category '" + policy.category() + "'" : "", removed.size(),
        removed.stream().mapToLong(RemovedRange::eventCount).sum());
    return List.copyOf(removed);
  }

  private Optional<RetentionStorage.Cut> cut(RetentionPolicy.Rule rule, String streamId, Instant now) {
    if (rule instanceof RetentionPolicy.KeepLast k) {
      return Optional.of(new RetentionStorage.KeepLast(k.count()));
    }
    if (rule instanceof RetentionPolicy.MaxAge m) {
      return Optional.of(new RetentionStorage.OlderThan(now.minus(m.age())));
    }
    return ((RetentionPolicy.CoveredBySnapshot) rule).snapshots().load(tenant, streamId)
        .map(snapshot -> new RetentionStorage.BeforeVersion(snapshot.version() + 1));
  }

  private static String describe(RetentionPolicy.Rule rule) {
    if (rule instanceof RetentionPolicy.KeepLast k) {
      return "keep last " + k.count();
    }
    return rule instanceof RetentionPolicy.MaxAge m ? "max age " + m.age() : "covered by snapshot";
  }

  @Override
  public Optional<RemovedRange> archive(String streamId) {
    return storage.archive(tenant, Validation.streamId(streamId));
  }

  @Override
  public void unarchive(String streamId) {
    storage.unarchive(tenant, Validation.streamId(streamId));
  }

  @Override
  public List<RecordedEvent> readArchived(String streamId) {
    String id = Validation.streamId(streamId);
    if (!storage.archived(tenant, id)) {
      Optional<StreamInfo> info = backend.streamInfo(tenant, id);
      throw new InvalidInputException("stream '" + id + "' is not archived" + (info.isEmpty() ? " (it does not exist)" : "")
          + "; read it with readStream");
    }
    return opened.apply(storage.readArchived(tenant, id));
  }

  @Override
  public List<RemovedRange> removedAfter(LogQuery query) {
    if (query == null) {
      throw new InvalidInputException("query must not be null; use LogQuery.all()");
    }
    return storage.removedAfter(confined.apply(query));
  }
}
