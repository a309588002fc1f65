package dev.fabula.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.Aggregate;
import dev.fabula.RepositoryConfig;
import dev.fabula.SnapshotPolicy;
import dev.fabula.spi.Snapshot;
import dev.fabula.spi.SnapshotStore;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Repository}'s use of its snapshot store: where a load starts (a usable snapshot, or
 * the initial state), and whether to save one after a load or a command, as the {@link
 * SnapshotPolicy} says.
 *
 * <p>A snapshot is only a shortcut: one that cannot be read, is of another state schema version,
 * or does not decode is ignored (the events are replayed, and the next snapshot replaces it); a
 * save that fails is logged, and the next load replays more events. Holds no state of its own;
 * thread-safe as far as the snapshot store is.
 */
final class Snapshots<S> {
  private static final Logger LOG = LoggerFactory.getLogger(Repository.class); // the repository's log, one name for its parts

  /** A state and the stream version it reflects; {@code snapshotVersion} is the newest snapshot known. */
  record Loaded<S>(S state, long version, long snapshotVersion) {}

  private final Aggregate<S, ?, ?> aggregate;
  private final RepositoryConfig config;
  private final ObjectMapper mapper;
  private final @Nullable String tenant;

  /** The snapshots of {@code tenant}'s streams (null: the unconfined store's). */
  Snapshots(Aggregate<S, ?, ?> aggregate, RepositoryConfig config, ObjectMapper mapper, @Nullable String tenant) {
    this.aggregate = aggregate;
    this.config = config;
    this.mapper = mapper;
    this.tenant = tenant;
  }

  /**
   * The snapshot's state and version if it is usable for a state at {@code maxVersion}, else the
   * initial state. A snapshot of another state schema version, or that does not decode, is ignored
   * (and replaced by the next snapshot taken).
   */
  Loaded<S> start(String streamId, long maxVersion) {
    Loaded<S> initial = new Loaded<>(aggregate.initialState(), 0, 0);
    SnapshotStore snapshots = config.snapshotStore();
    if (snapshots == SnapshotStore.none()) {
      return initial;
    }
    Optional<Snapshot> found;
    try {
      found = snapshots.load(tenant, streamId);
    } catch (RuntimeException e) {
      LOG.warn("Cannot read the snapshot of stream '{}' ({}); replaying all its events", streamId, e.getMessage(), e);
      return initial;
    }
    if (found.isEmpty()) {
      return initial;
    }
    Snapshot snapshot = found.get();
    if (snapshot.stateSchemaVersion() != aggregate.stateSchemaVersion()) {
      LOG.info("Ignoring the snapshot of stream '{}' at version {}: its state schema version is {}, {} needs {}; "
              + "rebuilding from the events", streamId, snapshot.version(), snapshot.stateSchemaVersion(),
          aggregate.getClass().getSimpleName(), aggregate.stateSchemaVersion());
      return initial;
    }
    if (snapshot.version() > maxVersion) {
      return new Loaded<>(aggregate.initialState(), 0, snapshot.version());
    }
    S state;
    try {
      state = mapper.treeToValue(snapshot.state(), aggregate.stateType());
    } catch (Exception e) {
      LOG.warn("Ignoring the snapshot of stream '{}' at version {}: it does not decode into {} ({}); raise {}.stateSchemaVersion() "
              + "whenever the state class changes", streamId, snapshot.version(), aggregate.stateType().getName(),
          e.getMessage(), aggregate.getClass().getSimpleName());
      return initial;
    }
    if (state == null) {
      return initial;
    }
    return new Loaded<>(state, snapshot.version(), snapshot.version());
  }

  /** Saves a snapshot if the policy wants one; returns the version of the newest snapshot known. */
  long maybeSave(String streamId, S state, long version, long previousSnapshotVersion) {
    SnapshotStore snapshots = config.snapshotStore();
    if (snapshots == SnapshotStore.none() || version <= previousSnapshotVersion
        || !config.snapshotPolicy().shouldSnapshot(new SnapshotPolicy.Candidate(streamId, version, previousSnapshotVersion, state))) {
      return previousSnapshotVersion;
    }
    try {
      JsonNode tree = mapper.valueToTree(state);
      snapshots.save(tenant, new Snapshot(streamId, version, aggregate.stateSchemaVersion(), tree, Instant.now()));
      return version;
    } catch (RuntimeException e) {
      LOG.warn("Cannot save the snapshot of stream '{}' at version {} ({}); the next load replays more events",
          streamId, version, e.getMessage(), e);
      return previousSnapshotVersion;
    }
  }
}
